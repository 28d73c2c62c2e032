import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteral } from '@welfare/kit/book';
import { Project } from './project.entity.js';

/** A project's totals, from its donations. */
export interface ProjectTotals {
  raisedCents: number;
  donorCount: number;
  /** The names of the donors who agreed to show them, by first donation. */
  publicDonors: string[];
}

/** A donation as stored. */
export interface DonationRow {
  id: string;
  projectId: string;
  donorMemberId: string;
  idempotencyKey: string;
  amountCents: number;
  showName: boolean;
  createdAt: Date;
}

const S = 'ies_circuit';

/** Reads and writes of projects and donations. */
export class DonationRepository {
  byId(em: EntityManager, id: string): Promise<Project | null> {
    return em.findOne(Project, { id });
  }

  /** The projects of a circuit not hidden, open ones first, newest first. */
  visibleIn(em: EntityManager, circuitId: string): Promise<Project[]> {
    return em.find(
      Project,
      { circuitId, hiddenAt: null },
      { orderBy: { status: 'desc', createdAt: 'desc', id: 'asc' } },
    );
  }

  /** Every project of a circuit (hidden ones too), newest first: for its staff. */
  ofCircuit(em: EntityManager, circuitId: string): Promise<Project[]> {
    return em.find(Project, { circuitId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  /** Every project of an organisation (any circuit, hidden ones too), newest first. */
  ofOrganisation(em: EntityManager, organisationId: string): Promise<Project[]> {
    return em.find(Project, { organisationId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }

  /** Locks the project's row: shared by donations, exclusive for closing and hiding. */
  async lock(tx: EntityManager, id: string, mode: 'share' | 'update'): Promise<void> {
    await tx.execute(`select 1 from ${S}.project where id = ? for ${mode}`, [id]);
  }

  /** The projects' totals, by project id (none: zero). */
  async totals(
    em: EntityManager,
    projectIds: readonly string[],
  ): Promise<Map<string, ProjectTotals>> {
    const result = new Map<string, ProjectTotals>();
    if (!projectIds.length) return result;
    const rows = await em.execute<
      { project_id: string; raised: string; donors: string; names: string[] | null }[]
    >(
      `select d.project_id, sum(d.amount_cents)::text as raised,
              count(distinct d.donor_member_id)::text as donors,
              array_agg(distinct m.display_name) filter (where d.show_name) as names
         from ${S}.donation d join ${S}.member m on m.id = d.donor_member_id
        where d.project_id = any(?::uuid[])
        group by d.project_id`,
      [arrayLiteral([...projectIds])],
    );
    for (const r of rows) {
      result.set(r.project_id, {
        raisedCents: Number(r.raised),
        donorCount: Number(r.donors),
        publicDonors: (r.names ?? []).sort((a, b) => a.localeCompare(b, 'it')),
      });
    }
    return result;
  }

  /** A donation by its donor and key. */
  async byKey(
    em: EntityManager,
    donorMemberId: string,
    idempotencyKey: string,
  ): Promise<DonationRow | null> {
    const [row] = await em.execute<
      {
        id: string;
        project_id: string;
        donor_member_id: string;
        idempotency_key: string;
        amount_cents: number;
        show_name: boolean;
        created_at: string | Date;
      }[]
    >(
      `select id, project_id, donor_member_id, idempotency_key, amount_cents, show_name, created_at
         from ${S}.donation where donor_member_id = ? and idempotency_key = ?`,
      [donorMemberId, idempotencyKey],
    );
    return row
      ? {
          id: row.id,
          projectId: row.project_id,
          donorMemberId: row.donor_member_id,
          idempotencyKey: row.idempotency_key,
          amountCents: row.amount_cents,
          showName: row.show_name,
          createdAt: new Date(row.created_at),
        }
      : null;
  }

  /** Records a donation (its id is the book transfer's); false when its key was taken meanwhile. */
  async insert(tx: EntityManager, row: Omit<DonationRow, 'createdAt'>): Promise<boolean> {
    const inserted = await tx.execute<{ id: string }[]>(
      `insert into ${S}.donation
         (id, project_id, donor_member_id, idempotency_key, amount_cents, show_name)
       values (?, ?, ?, ?, ?, ?)
       on conflict (donor_member_id, idempotency_key) do nothing
       returning id`,
      [row.id, row.projectId, row.donorMemberId, row.idempotencyKey, row.amountCents, row.showName],
    );
    return inserted.length === 1;
  }
}
