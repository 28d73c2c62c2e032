import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import { InsufficientFunds } from '@welfare/kit/book';
import { addDays, isIsoDate, romeToday } from '@welfare/kit/dates';
import { DomainError, FieldErrors } from '@welfare/kit/errors';
import { limitIdleInTransaction } from '@welfare/kit/deadline';
import { Circuit } from '../circuit/circuit.entity.js';
import type { CircuitService } from '../circuit/circuit.service.js';
import { withRetry } from '@welfare/kit/sql';
import {
  AccountKind,
  TransferCode,
  accountCodes,
  book,
  deterministicId,
  owners,
} from '../ledger/ledger.js';
import { Member } from '../member/member.entity.js';
import type { MemberLookup } from '../member/member.service.js';
import { actsFor, requireCircuitStaff, requireOrganisationRole } from '../shared/access.js';
import type { DonationRepository, DonationRow, ProjectTotals } from './donation.repository.js';
import { Project } from './project.entity.js';

/** The roles that run an organisation's projects (create, close). */
export const PROJECT_ROLES = ['ADMIN', 'OWNER', 'MANAGER'] as const;

/** The member kinds that may raise funds: the third sector. */
const FUNDRAISERS = ['ASSOCIATION', 'COOPERATIVE'];

const NO_PROJECT = { it: 'Progetto non trovato.', en: 'Project not found.' };

/** A project as shown: its row, its circuit's code, its organisation's name and its totals. */
export interface ProjectView extends ProjectTotals {
  project: Project;
  circuitCode: string;
  organisationName: string;
}

export interface CreateProjectInput {
  circuitCode: string;
  organisationId: string;
  title: string;
  description: string;
  targetCents: number;
  endsOn: string;
}

export interface DonateInput {
  projectId: string;
  amountCents: number;
  /** The client's key: the same key again answers the same donation. */
  idempotencyKey: string;
  /** The donor agrees to show their name on the project's public page. */
  showName: boolean;
  /** Donate from this organisation's wallet (the caller acts for it); the citizen's otherwise. */
  organisationId?: string | null;
}

/** A donation and its project as shown after it. */
export interface DonationView {
  donation: DonationRow;
  project: ProjectView;
}

/**
 * Fundraising projects of the third sector, and donations of IES to them.
 *
 * - An ASSOCIATION or COOPERATIVE member (its ADMIN/OWNER/MANAGER) creates a project: title,
 *   description, a target and an end date (field errors otherwise, nothing written). Its IES sit in
 *   the project's book account until the organisation closes it: then all of them move to the
 *   organisation's wallet (a PROJECT_PAYOUT transfer), and no donation is taken any more.
 * - Any ACTIVE member donates IES from their wallet (DONATION, wallet → project account),
 *   idempotent by the donor's key. No fee: a gift to the community is not an exchange, and the
 *   circuit's movement fee is for exchanges (it would tax generosity and make the public total
 *   differ from what donors gave).
 * - The public sees a project's total raised and number of donors, and only the names of the
 *   donors who agreed. The circuit's staff may hide a project (with a reason): it leaves the
 *   public pages and takes no donation; its organisation still sees it, with the reason.
 *
 * Concurrency: donations take the project's row FOR SHARE (they run side by side: the project
 * account is hot, credits are appended), closing takes it FOR UPDATE, so that no donation lands
 * after the payout; the book's CHECK keeps a wallet from going below zero.
 */
export class DonationService {
  constructor(
    private readonly projects: DonationRepository,
    private readonly circuits: CircuitService,
    private readonly members: MemberLookup,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The public projects of a circuit (not hidden): open first, newest first. */
  async visible(em: EntityManager, circuitCode: string): Promise<ProjectView[]> {
    const circuit = await this.circuits.byCode(em, circuitCode);
    return this.views(em, await this.projects.visibleIn(em, circuit.id));
  }

  /**
   * A project: public unless hidden; a hidden one only for its organisation and the circuit's
   * staff (NOT_FOUND for anyone else, as if it did not exist).
   */
  async get(em: EntityManager, caller: Caller, id: string): Promise<ProjectView> {
    const project = await this.find(em, id);
    if (project.hiddenAt && !actsFor(caller, project.organisationId)) {
      const circuit = await this.circuits.byId(em, project.circuitId);
      try {
        requireCircuitStaff(caller, circuit);
      } catch {
        throw DomainError.notFound(NO_PROJECT);
      }
    }
    return (await this.views(em, [project]))[0]!;
  }

  /** Every project of the organisation (the caller acts for it), hidden ones too. */
  async ofOrganisation(
    em: EntityManager,
    caller: Caller,
    organisationId: string,
  ): Promise<ProjectView[]> {
    requireOrganisationRole(caller, organisationId);
    return this.views(em, await this.projects.ofOrganisation(em, organisationId.toLowerCase()));
  }

  /** Every project of a circuit, hidden ones too (the circuit's staff: FORBIDDEN otherwise). */
  async ofCircuit(em: EntityManager, caller: Caller, circuitId: string): Promise<ProjectView[]> {
    const circuit = await this.circuits.byId(em, circuitId);
    requireCircuitStaff(caller, circuit);
    return this.views(em, await this.projects.ofCircuit(em, circuit.id));
  }

  /** Creates a project of an ASSOCIATION/COOPERATIVE member of the circuit. */
  async create(em: EntityManager, caller: Caller, input: CreateProjectInput): Promise<ProjectView> {
    const circuit = await this.circuits.byCode(em, input.circuitCode);
    const { member } = await this.members.organisation(
      em,
      caller,
      circuit,
      input.organisationId.toLowerCase(),
      PROJECT_ROLES,
    );
    if (!FUNDRAISERS.includes(member.kind)) {
      throw DomainError.forbidden({
        it: 'Solo le associazioni e le cooperative del circuito possono avviare una raccolta.',
        en: 'Only the circuit’s associations and cooperatives can start a fundraising project.',
      });
    }
    const title = input.title.trim();
    const description = input.description.trim();
    const errors = new FieldErrors();
    if (title.length < 3 || title.length > 120)
      errors.add('title', 'Da 3 a 120 caratteri.', 'From 3 to 120 characters.');
    if (description.length < 10 || description.length > 4000)
      errors.add('description', 'Da 10 a 4000 caratteri.', 'From 10 to 4000 characters.');
    if (
      !Number.isInteger(input.targetCents) ||
      input.targetCents < 100 ||
      input.targetCents > 100_000_000
    )
      errors.add(
        'targetCents',
        'Un obiettivo da 1 a 1.000.000 IES.',
        'A target from 1 to 1,000,000 IES.',
      );
    const today = romeToday(this.now);
    if (!isIsoDate(input.endsOn))
      errors.add('endsOn', 'Una data valida (aaaa-mm-gg).', 'A valid date (yyyy-mm-dd).');
    else if (input.endsOn < today || input.endsOn > addDays(today, 3 * 366))
      errors.add('endsOn', 'Da oggi a tre anni da oggi.', 'From today to three years from today.');
    errors.throwIfAny();
    const person = requirePerson(caller);
    const project = em.create(Project, {
      circuitId: circuit.id,
      memberId: member.id,
      organisationId: member.organisationId!,
      title,
      description,
      targetCents: input.targetCents,
      endsOn: input.endsOn,
      createdBy: person.personId,
    });
    await em.flush();
    await this.openAccount(em, project);
    return (await this.views(em, [project]))[0]!;
  }

  /**
   * Closes the project (its organisation): every IES raised moves to the organisation's wallet
   * (PROJECT_PAYOUT) and no donation is taken any more. Closing a closed project answers it as it is.
   */
  async close(em: EntityManager, caller: Caller, id: string): Promise<ProjectView> {
    const project = await this.find(em, id);
    const circuit = await this.circuits.byId(em, project.circuitId);
    const { walletId } = await this.members.organisation(
      em,
      caller,
      circuit,
      project.organisationId,
      PROJECT_ROLES,
    );
    const person = requirePerson(caller);
    await withRetry(() =>
      em.fork().transactional(async (tx) => {
        await limitIdleInTransaction(tx, 10_000);
        await this.projects.lock(tx, project.id, 'update');
        const current = await tx.findOneOrFail(Project, { id: project.id }, { refresh: true });
        if (current.status === 'CLOSED') return;
        const raised =
          (await this.projects.totals(tx, [project.id])).get(project.id)?.raisedCents ?? 0;
        if (raised > 0) {
          await book.transfer(tx, {
            id: deterministicId('ies-project-payout', project.id),
            debit: await this.openAccount(tx, project),
            credit: walletId,
            amount: raised,
            code: TransferCode.PROJECT_PAYOUT,
            reference: `project:${project.id}`,
          });
        }
        current.status = 'CLOSED';
        current.closedAt = this.now();
        current.closedBy = person.personId;
        current.paidOutCents = raised;
        await tx.flush();
      }),
    );
    return this.get(em.fork(), caller, project.id);
  }

  /** Hides a project from the public pages and from donations (the circuit's staff, a reason). */
  async hide(em: EntityManager, caller: Caller, id: string, reason: string): Promise<ProjectView> {
    const project = await this.find(em, id);
    const circuit = await this.circuits.byId(em, project.circuitId);
    const staff = requireCircuitStaff(caller, circuit);
    const why = reason.trim();
    if (why.length < 3 || why.length > 500) {
      new FieldErrors()
        .add('reason', 'Da 3 a 500 caratteri.', 'From 3 to 500 characters.')
        .throwIfAny();
    }
    await em.fork().transactional(async (tx) => {
      await this.projects.lock(tx, project.id, 'update');
      const current = await tx.findOneOrFail(Project, { id: project.id }, { refresh: true });
      current.hiddenReason = why;
      current.hiddenBy = staff.personId;
      current.hiddenAt = this.now();
      await tx.flush();
    });
    return this.get(em.fork(), caller, project.id);
  }

  /**
   * Donates IES to an open project from the caller's wallet (or their organisation's), once per
   * key: the same key again answers the donation made; with another project or amount it is a
   * CONFLICT. No fee (see the class).
   */
  async donate(em: EntityManager, caller: Caller, input: DonateInput): Promise<DonationView> {
    const project = await this.find(em, input.projectId);
    if (project.hiddenAt) throw DomainError.notFound(NO_PROJECT);
    const circuit = await this.circuits.byId(em, project.circuitId);
    const donor = await this.members.acting(em, caller, circuit, input.organisationId);
    const key = input.idempotencyKey.trim();
    const errors = new FieldErrors();
    if (
      !Number.isInteger(input.amountCents) ||
      input.amountCents < 1 ||
      input.amountCents > 10_000_000
    )
      errors.add('amountCents', 'Da 0,01 a 100.000 IES.', 'From 0.01 to 100,000 IES.');
    if (!/^[A-Za-z0-9_-]{8,100}$/.test(key))
      errors.add(
        'idempotencyKey',
        'Da 8 a 100 lettere, cifre, - o _.',
        'From 8 to 100 letters, digits, - or _.',
      );
    errors.throwIfAny();
    const replay = async (): Promise<DonationView | null> => {
      const done = await this.projects.byKey(em.fork(), donor.member.id, key);
      if (!done) return null;
      if (done.projectId !== project.id || done.amountCents !== input.amountCents) {
        throw DomainError.conflict({
          it: 'Questa donazione è già stata fatta con altri dati.',
          en: 'This donation was already made with other terms.',
        });
      }
      return { donation: done, project: await this.get(em.fork(), caller, project.id) };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    if (donor.member.id === project.memberId) {
      throw DomainError.conflict({
        it: 'Un’organizzazione non può donare ai propri progetti.',
        en: 'An organisation cannot donate to its own projects.',
      });
    }
    const id = deterministicId('ies-donation', donor.member.id, key);
    try {
      await withRetry(() =>
        em.fork().transactional(async (tx) => {
          await limitIdleInTransaction(tx, 10_000);
          await this.projects.lock(tx, project.id, 'share');
          const current = await tx.findOneOrFail(Project, { id: project.id }, { refresh: true });
          this.requireOpen(current);
          const inserted = await this.projects.insert(tx, {
            id,
            projectId: project.id,
            donorMemberId: donor.member.id,
            idempotencyKey: key,
            amountCents: input.amountCents,
            showName: input.showName,
          });
          if (!inserted) return; // the same key, at the same time: answered below
          await book.transfer(tx, {
            id,
            debit: donor.walletId,
            credit: await this.openAccount(tx, project),
            amount: input.amountCents,
            code: TransferCode.DONATION,
            reference: `donation:${id};project:${project.id}`,
          });
        }),
      );
    } catch (err) {
      if (err instanceof InsufficientFunds) {
        new FieldErrors()
          .add(
            'amountCents',
            'IES insufficienti nel portafoglio per questo importo.',
            'Not enough IES in the wallet for this amount.',
          )
          .throwIfAny();
      }
      throw err;
    }
    const made = await replay();
    if (!made) throw new Error('donation: recorded but not found');
    return made;
  }

  private requireOpen(project: Project): void {
    if (project.hiddenAt) throw DomainError.notFound(NO_PROJECT);
    if (project.status !== 'OPEN' || project.endsOn < romeToday(this.now)) {
      throw DomainError.conflict({
        it: 'La raccolta di questo progetto è chiusa.',
        en: 'This project no longer takes donations.',
      });
    }
  }

  private async find(em: EntityManager, id: string): Promise<Project> {
    const project = isUuid(id) ? await this.projects.byId(em, id.toLowerCase()) : null;
    if (!project) throw DomainError.notFound(NO_PROJECT);
    return project;
  }

  /** The project's book account (hot: many donors credit it at once). */
  private openAccount(em: EntityManager, project: Project): Promise<string> {
    return book.openAccountId(em, {
      code: accountCodes.project(project.circuitId, project.id),
      kind: AccountKind.PROJECT,
      owner: owners.project(project.id, project.circuitId),
      hot: true,
    });
  }

  private async views(em: EntityManager, projects: Project[]): Promise<ProjectView[]> {
    if (!projects.length) return [];
    const [totals, members, circuits] = await Promise.all([
      this.projects.totals(
        em,
        projects.map((p) => p.id),
      ),
      em.find(Member, { id: { $in: [...new Set(projects.map((p) => p.memberId))] } }),
      em.find(Circuit, { id: { $in: [...new Set(projects.map((p) => p.circuitId))] } }),
    ]);
    const names = new Map(members.map((m) => [m.id, m.displayName]));
    const codes = new Map(circuits.map((c: Circuit) => [c.id, c.code]));
    return projects.map((project) => ({
      project,
      circuitCode: codes.get(project.circuitId) ?? '',
      organisationName: names.get(project.memberId) ?? '',
      ...(totals.get(project.id) ?? { raisedCents: 0, donorCount: 0, publicDonors: [] }),
    }));
  }
}
