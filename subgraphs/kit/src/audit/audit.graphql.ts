import { GraphQLSafeInt } from 'graphql-scalars';
import {
  Arg,
  Ctx,
  Directive,
  Field,
  ID,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
} from 'type-graphql';
import type { SubgraphContext } from '../context.js';
import type { AuditEntry, AuditLog, AuditPage, ChainStatus } from './audit-log.js';

/* The same types in every subgraph that keeps a log (shareable), one query pair per subgraph. */

@Directive('@shareable')
@ObjectType('AuditEvent', {
  description:
    'One event of a subgraph’s append-only, hash-chained audit log: who did what, on what, when.',
})
export class AuditEventType {
  @Field(() => ID, { description: 'Position in the subgraph’s chain (also the page cursor).' })
  seq!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The organisation whose staff oversee the event (a Comune; in identity the organisation acted on); null for a platform-level event such as a login.',
  })
  organisationId!: string | null;

  @Field({ description: 'Who: `person:<id>`, `service:<name>`, `anonymous` or `system`.' })
  actor!: string;

  @Field({ description: 'What, e.g. `PAYMENT`, `LOGIN_FAILED`, `TENANCY_REFUSED`.' })
  action!: string;

  @Field({
    description:
      'On what, e.g. `card:<id>`, `payment:<id>`, `email:<keyed hash>` (never a raw e-mail).',
  })
  subject!: string;

  @Field({ description: 'When (the database’s clock, to the millisecond).' })
  at!: Date;
}

@Directive('@shareable')
@ObjectType('AuditEventPage', { description: 'A page of audit events, newest first.' })
export class AuditEventPageType {
  @Field(() => [AuditEventType], { description: 'The events, newest first.' })
  events!: AuditEventType[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next (older) page; null on the last page.',
  })
  nextCursor!: string | null;
}

@Directive('@shareable')
@ObjectType('AuditChainStatus', {
  description:
    'The latest scheduled verification of a subgraph’s audit chain. `brokenAt` set is an alert: a row was changed behind the log’s back; `unsealedFrom` set is an alert too: rows were left out of the chain (the sealer stopped, or a row committed after its number was skipped).',
})
export class AuditChainStatusType {
  @Field({ description: 'When the chain was last verified.' })
  checkedAt!: Date;

  @Field(() => GraphQLSafeInt, { description: 'Sealed rows verified.' })
  rows!: number;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'The `seq` of the first row that does not match; null when the chain is intact.',
  })
  brokenAt!: number | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description:
      'The lowest `seq` of the rows still unsealed (outside the chain) past the alert limit; null when none.',
  })
  unsealedFrom!: number | null;

  @Field(() => GraphQLSafeInt, { description: 'Rows still unsealed past the alert limit.' })
  unsealedRows!: number;

  @Field({ description: 'True when the chain is intact and no row is left unsealed.' })
  ok!: boolean;
}

@InputType('AuditEventFilter', { description: 'Conditions on audit events (all optional).' })
export class AuditEventFilterInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'The Comune (or organisation) whose events; its MANAGER may read them. Omit for every event (platform admins only).',
  })
  organisationId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Events at or after this instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Events at or before this instant.' })
  to?: Date | null;

  @Field(() => String, { nullable: true, description: 'Exactly this action.' })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this actor, e.g. `person:<id>`.' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this subject, e.g. `card:<id>`.' })
  subject?: string | null;
}

function toEventType(entry: AuditEntry): AuditEventType {
  return { ...entry, seq: String(entry.seq) };
}

function toStatusType(status: ChainStatus): AuditChainStatusType {
  return { ...status, ok: status.brokenAt === null && status.unsealedFrom === null };
}

/**
 * The subgraph's two audit queries, `<prefix>AuditEvents` and `<prefix>AuditChain` (e.g.
 * `identityAuditEvents`), thin over `log`. Add the returned class to the schema's resolvers
 * (its constructor takes no argument).
 */
export function createAuditResolver(prefix: string, subgraph: string, log: AuditLog) {
  @Resolver()
  class AuditResolver {
    @Query(() => AuditEventPageType, {
      name: `${prefix}AuditEvents`,
      description: `The ${subgraph} subgraph’s audit log, newest first, filtered and paginated. A MANAGER of the Comune reads its events (filter.organisationId); a platform admin reads every event. FORBIDDEN for anyone else; BAD_USER_INPUT for a bad filter.`,
    })
    async events(
      @Arg('filter', () => AuditEventFilterInput, {
        nullable: true,
        description:
          'Conditions; the organisation is required unless the caller is a platform admin.',
      })
      filter: AuditEventFilterInput | null,
      @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–500 (default 50).' })
      first: number | null,
      @Arg('after', () => String, {
        nullable: true,
        description: 'The previous page’s `nextCursor`.',
      })
      after: string | null,
      @Ctx() ctx: SubgraphContext,
    ): Promise<AuditEventPageType> {
      const page: AuditPage = await log.list(ctx.em, ctx.caller, { ...filter, first, after });
      return { events: page.events.map(toEventType), nextCursor: page.nextCursor };
    }

    @Query(() => AuditChainStatusType, {
      name: `${prefix}AuditChain`,
      nullable: true,
      description: `Platform admins: the latest scheduled verification of the ${subgraph} subgraph’s audit chain (null before the first). FORBIDDEN for anyone else.`,
    })
    async chain(@Ctx() ctx: SubgraphContext): Promise<AuditChainStatusType | null> {
      const status = await log.status(ctx.em, ctx.caller);
      return status ? toStatusType(status) : null;
    }
  }
  return AuditResolver;
}
