import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import type { DonationView, ProjectView } from './donation.service.js';
import {
  CreateProjectInputType,
  DonateInputType,
  DonationType,
  ProjectType,
} from './donation.type.js';

/** A project as the API shows it. */
export function projectOf(view: ProjectView, today: string): ProjectType {
  const p = view.project;
  return {
    id: p.id,
    circuitId: p.circuitId,
    circuitCode: view.circuitCode,
    organisationId: p.organisationId,
    organisationName: view.organisationName,
    title: p.title,
    description: p.description,
    targetCents: p.targetCents,
    endsOn: p.endsOn,
    status: p.status,
    acceptingDonations: p.status === 'OPEN' && !p.hiddenAt && p.endsOn >= today,
    raisedCents: view.raisedCents,
    donorCount: view.donorCount,
    publicDonors: view.publicDonors,
    hidden: p.hiddenAt !== null && p.hiddenAt !== undefined,
    hiddenReason: p.hiddenReason ?? null,
    paidOutCents: p.paidOutCents ?? null,
    createdAt: p.createdAt,
    closedAt: p.closedAt ?? null,
  };
}

const today = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());

function donationOf(view: DonationView): DonationType {
  return {
    id: view.donation.id,
    amountCents: view.donation.amountCents,
    showName: view.donation.showName,
    createdAt: view.donation.createdAt,
    project: projectOf(view.project, today()),
  };
}

/** Fundraising projects: public reads, the organisation's list, create, close, hide. */
@Resolver(() => ProjectType)
export class ProjectResolver {
  constructor(private readonly services: Services) {}

  @Query(() => [ProjectType], {
    description:
      'The fundraising projects of a circuit, open first, newest first, with their totals. Public; hidden projects are left out. NOT_FOUND for an unknown circuit.',
  })
  async iesProjects(
    @Arg('circuitCode', { description: 'The circuit’s public code.' }) circuitCode: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType[]> {
    const views = await this.services.donations.visible(ctx.em, circuitCode);
    return views.map((v) => projectOf(v, today()));
  }

  @Query(() => ProjectType, {
    description:
      'A fundraising project with its totals. Public; a hidden one only for its organisation and the circuit’s staff (NOT_FOUND for anyone else).',
  })
  async iesProject(
    @Arg('id', () => ID, { description: 'The project.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType> {
    return projectOf(await this.services.donations.get(ctx.em, ctx.caller, id), today());
  }

  @Query(() => [ProjectType], {
    description:
      'Every fundraising project of an organisation (hidden ones too, with the reason), newest first. Only for those who act for it (FORBIDDEN otherwise).',
  })
  async iesOrganisationProjects(
    @Arg('organisationId', () => ID, { description: 'The organisation.' }) organisationId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType[]> {
    const views = await this.services.donations.ofOrganisation(ctx.em, ctx.caller, organisationId);
    return views.map((v) => projectOf(v, today()));
  }

  @Query(() => [ProjectType], {
    description:
      'Every fundraising project of a circuit (hidden ones too, with the reason), newest first. Only for the circuit’s staff (FORBIDDEN otherwise).',
  })
  async iesCircuitProjects(
    @Arg('circuitId', () => ID, { description: 'The circuit.' }) circuitId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType[]> {
    const views = await this.services.donations.ofCircuit(ctx.em, ctx.caller, circuitId);
    return views.map((v) => projectOf(v, today()));
  }

  @Mutation(() => ProjectType, {
    description:
      'Starts a fundraising project of an ASSOCIATION or COOPERATIVE member of the circuit (its ADMIN, OWNER or MANAGER). Field errors for a bad title, description, target or end date (nothing written).',
  })
  async createIesProject(
    @Arg('input', () => CreateProjectInputType, { description: 'The project.' })
    input: CreateProjectInputType,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType> {
    return projectOf(await this.services.donations.create(ctx.em, ctx.caller, input), today());
  }

  @Mutation(() => ProjectType, {
    description:
      'Closes a project (its organisation’s ADMIN, OWNER or MANAGER): every IES raised moves to the organisation’s wallet and no donation is taken any more. Closing a closed project answers it as it is.',
  })
  async closeIesProject(
    @Arg('id', () => ID, { description: 'The project.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType> {
    return projectOf(await this.services.donations.close(ctx.em, ctx.caller, id), today());
  }

  @Mutation(() => ProjectType, {
    description:
      'Hides a project from the public pages and from donations (the circuit’s staff), with a reason its organisation sees. The IES already raised stay the project’s until the organisation closes it.',
  })
  async hideIesProject(
    @Arg('id', () => ID, { description: 'The project.' }) id: string,
    @Arg('reason', { description: 'Why, 3 to 500 characters.' }) reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ProjectType> {
    return projectOf(await this.services.donations.hide(ctx.em, ctx.caller, id, reason), today());
  }
}

/** Donations of IES to projects. */
@Resolver(() => DonationType)
export class DonationResolver {
  constructor(private readonly services: Services) {}

  @Mutation(() => DonationType, {
    description:
      'Donates IES to an open project from the caller’s wallet (an ACTIVE member of the project’s circuit) or their organisation’s. No fee. Idempotent by `idempotencyKey`: the same key answers the same donation (another project or amount with it is a CONFLICT). Field errors for a bad amount or key and for not enough IES (nothing moved).',
  })
  async donateIes(
    @Arg('input', () => DonateInputType, { description: 'The donation.' }) input: DonateInputType,
    @Ctx() ctx: SubgraphContext,
  ): Promise<DonationType> {
    return donationOf(await this.services.donations.donate(ctx.em, ctx.caller, input));
  }
}
