import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { actorOf, isComuneStaff, isUuid, requireComuneManager } from '@welfare/kit/access';
import { FISCAL_CODE_PURPOSE } from '../imports/csv-columns.js';
import type { PiiCipher } from '@welfare/kit/pii';
import { approvedEntitlementCents } from '../application/application.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import { Application } from '../application/application.entity.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { MAX_CENTS } from '../campaign/rules.js';
import type { FileFormat } from '../imports/csv-format.js';
import { parseList, type ListEntry, type ListRejection } from './direct-list.csv.js';
import {
  existingApplications,
  insertBeneficiaries,
  listBeneficiaries,
  lockEntry,
  writeCorrection,
  type ListedBeneficiary,
} from './direct-list.repository.js';

/** Largest list accepted: 2 MiB, tens of thousands of lines (a technical bound, not a legal one). */
const MAX_LIST_BYTES = 2 * 1024 * 1024;

/** What an import of a list did (or, with rejections, would have done: nothing is written). */
interface DirectListResult {
  /** True when the list was written: no rejection. */
  accepted: boolean;
  format: FileFormat | null;
  /** Valid lines read. */
  rows: number;
  /** Beneficiaries added by this import (0 when refused). */
  created: number;
  /** Beneficiaries already in the list with the same amount: left as they were. */
  unchanged: number;
  /** Cents of the beneficiaries this import adds (or would add). */
  newCents: number;
  /** Cents of the budget not committed to APPROVED applications before this import. */
  budgetLeftCents: number;
  rejections: ListRejection[];
}

/** Page size of the list of beneficiaries: at most this many at once (a technical bound). */
const MAX_PAGE_SIZE = 200;

/** A beneficiary of the list as the staff see it: the codice fiscale in clear. */
type BeneficiaryRow = Omit<ListedBeneficiary, 'fiscalCodeCipher'> & { fiscalCode: string };

/** A page of the campaign's list of beneficiaries. */
interface BeneficiaryPage {
  nodes: BeneficiaryRow[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Longest reason of a correction, as a list's (a technical bound). */
const MAX_REASON_LENGTH = 500;

/** A correction of a list entry: a new amount, or the entry withdrawn; and why. */
interface Correction {
  applicationId: string;
  amountCents?: number | null;
  withdraw?: boolean | null;
  reason: string;
}

/** What a correction left: the entry as it now is. */
interface CorrectionResult {
  applicationId: string;
  /** False when the entry already was so (the same correction again): nothing written. */
  changed: boolean;
  withdrawn: boolean;
  amountCents: number;
  previousAmountCents: number;
  /** Cents of the budget not committed to APPROVED applications after the correction. */
  budgetLeftCents: number;
}

const euro = (cents: number) =>
  (cents / 100).toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const notFound = () =>
  DomainError.notFound({ it: 'Misura non trovata.', en: 'Campaign not found.' });

/** A refused correction: BAD_USER_INPUT on one field, nothing written. */
const refusal = (field: string, it: string, en: string) =>
  DomainError.badInput([{ field, message: { it, en } }]);

const entryNotFound = () =>
  DomainError.notFound({ it: 'Beneficiario non trovato.', en: 'Beneficiary not found.' });

/**
 * Measures decided outside the platform (issue 19, item 5): a PUBLISHED campaign takes a list of
 * beneficiaries (codice fiscale, amount, reason) that the Comune decided elsewhere, as APPROVED
 * applications of origin DIRECT_LIST; the existing card issuance and top-ups then serve them
 * unchanged. All or nothing: any bad line, a beneficiary already applying through the portal, a
 * different amount for one already in the list, or a total over the budget left refuses the
 * whole list with a rejection per problem, and nothing is written. Idempotent: a beneficiary
 * already in the list with the same amount is left as is.
 */
export class DirectListService {
  constructor(
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
  ) {}

  async importList(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    contentBase64: string,
  ): Promise<DirectListResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    const found = await em.findOne(Campaign, { id: campaignId });
    if (!found || !isComuneStaff(caller, found.comuneId)) throw notFound();
    const errors = new FieldErrors();
    const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(contentBase64)
      ? Buffer.from(contentBase64, 'base64')
      : null;
    if (!bytes || bytes.length === 0)
      errors.add('file', 'Scegliere un file CSV.', 'Choose a CSV file.');
    else if (bytes.length > MAX_LIST_BYTES)
      errors.add(
        'file',
        `File troppo grande (massimo ${MAX_LIST_BYTES / 1024 / 1024} MB).`,
        `File too large (at most ${MAX_LIST_BYTES / 1024 / 1024} MB).`,
      );
    errors.throwIfAny();
    if (found.status !== 'PUBLISHED') {
      throw DomainError.conflict({
        it: 'Solo una misura pubblicata (non chiusa) accoglie un elenco di beneficiari.',
        en: 'Only a published (not closed) campaign takes a list of beneficiaries.',
      });
    }
    const parsed = await parseList(bytes!);
    const base = { format: parsed.format, rows: parsed.entries.length };
    return em.transactional(async (tx) => {
      // The campaign's lock: decisions, rankings, top-ups and other lists of it queue.
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      const budgetLeftCents = Math.max(
        0,
        campaign.budgetCents - (await approvedEntitlementCents(tx, campaign.id)),
      );
      const refused = (rejections: ListRejection[], newCents = 0): DirectListResult => ({
        ...base,
        accepted: false,
        created: 0,
        unchanged: 0,
        newCents,
        budgetLeftCents,
        rejections: rejections.sort((a, b) => a.line - b.line),
      });
      if (parsed.rejections.length > 0) return refused([...parsed.rejections]);
      const hashed = parsed.entries.map((e) => ({ ...e, hash: this.hash(e) }));
      const existing = await existingApplications(
        tx,
        campaign.id,
        hashed.map((e) => e.hash),
      );
      const rejections: ListRejection[] = [];
      const fresh: (ListEntry & { hash: string })[] = [];
      let unchanged = 0;
      for (const entry of hashed) {
        const known = existing.get(entry.hash);
        if (!known) fresh.push(entry);
        else if (known.origin === 'PORTAL') {
          rejections.push({
            line: entry.line,
            field: 'codice_fiscale',
            reason: {
              it: `Ha già una domanda per questa misura (protocollo ${known.protocolNumber ?? '-'}): va decisa come domanda.`,
              en: `Already has an application to this campaign (protocol ${known.protocolNumber ?? '-'}): decide it as an application.`,
            },
          });
        } else if (known.amountCents !== entry.amountCents) {
          rejections.push({
            line: entry.line,
            field: 'importo',
            reason: {
              it: `Già nell’elenco con un importo diverso (${euro(known.amountCents)} €): un importo non si cambia reimportando.`,
              en: `Already in the list with a different amount (€${euro(known.amountCents)}): an amount is not changed by importing again.`,
            },
          });
        } else unchanged++;
      }
      const newCents = fresh.reduce((s, e) => s + e.amountCents, 0);
      if (newCents > budgetLeftCents) {
        rejections.push({
          line: 0,
          field: 'importo',
          reason: {
            it: `Il totale dei nuovi beneficiari (${euro(newCents)} €) supera il bilancio ancora disponibile della misura (${euro(budgetLeftCents)} €).`,
            en: `The new beneficiaries' total (€${euro(newCents)}) exceeds the campaign's budget still available (€${euro(budgetLeftCents)}).`,
          },
        });
      }
      if (rejections.length > 0) return refused(rejections, newCents);
      const created = await insertBeneficiaries(tx, {
        campaignId: campaign.id,
        comuneId: campaign.comuneId,
        year: new Date().getUTCFullYear(),
        personId: caller.personId,
        actor: actorOf(caller),
        rows: fresh.map((e) => ({
          hash: e.hash,
          cipher: this.pii.encrypt(e.fiscalCode),
          amountCents: e.amountCents,
          reason: e.reason,
        })),
      });
      // A re-import that adds nobody changed nothing, and is not an action to audit.
      if (created > 0)
        await this.audit.record(
          tx,
          actorOf(caller),
          campaign.comuneId,
          'IMPORT_BENEFICIARIES',
          `campaign:${campaign.id}:${created}`,
        );
      return {
        ...base,
        accepted: true,
        created,
        unchanged,
        newCents,
        budgetLeftCents,
        rejections: [],
      };
    });
  }

  /**
   * Corrects one entry of a list (MANAGER of the campaign's Comune; staff who are not MANAGER get
   * FORBIDDEN, anyone else NOT_FOUND): a new amount, or the entry withdrawn, only while no credit
   * has been given for it. Under the campaign's row lock, the one top-ups, decisions and imports
   * take first, then the entry's: a top-up either credited before (the correction is refused) or
   * reads the corrected entry after. The budget's commitment (the APPROVED amounts) follows in the
   * same transaction; an increase beyond the budget is refused. A withdrawal is refused while the
   * holder's live card was issued for this entry: the card module cannot void a card (it blocks or
   * replaces it), and a card left without its entitlement would stay in the holder's hands; the
   * refusal points to revoking the benefit instead (the card then gets no top-up for it).
   * Idempotent: the entry already so changes nothing and records nothing. Audited
   * (CORRECT_BENEFICIARY, `application:<id>:<before>-><after>`), the reason on the case's timeline.
   */
  async correctEntry(
    em: EntityManager,
    caller: Caller,
    input: Correction,
  ): Promise<CorrectionResult> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(input.applicationId)) throw entryNotFound();
    const withdraw = input.withdraw === true;
    const reason = (input.reason ?? '').trim();
    const errors = new FieldErrors();
    if (withdraw && input.amountCents != null)
      errors.add(
        'amountCents',
        'Indicare un nuovo importo oppure il ritiro, non entrambi.',
        'Give a new amount or the withdrawal, not both.',
      );
    else if (!withdraw && input.amountCents == null)
      errors.add(
        'amountCents',
        'Indicare il nuovo importo (oppure il ritiro).',
        'Give the new amount (or the withdrawal).',
      );
    else if (
      !withdraw &&
      (!Number.isSafeInteger(input.amountCents) ||
        input.amountCents! < 1 ||
        input.amountCents! > MAX_CENTS)
    )
      errors.add(
        'amountCents',
        `Un importo da 0,01 a ${euro(MAX_CENTS)} €.`,
        `An amount from €0.01 to €${euro(MAX_CENTS)}.`,
      );
    if (reason.length === 0)
      errors.add(
        'reason',
        'Indicare il motivo della correzione.',
        'Give the reason for the correction.',
      );
    else if (reason.length > MAX_REASON_LENGTH)
      errors.add(
        'reason',
        `Al massimo ${MAX_REASON_LENGTH} caratteri.`,
        `At most ${MAX_REASON_LENGTH} characters.`,
      );
    const app = await em.findOne(Application, { id: input.applicationId });
    if (!app || app.origin !== 'DIRECT_LIST' || !isComuneStaff(caller, app.comuneId))
      throw entryNotFound();
    requireComuneManager(caller, app.comuneId);
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      // The campaign's lock first, as top-ups take it, then the entry's row.
      const campaign = await tx.findOneOrFail(
        Campaign,
        { id: app.campaignId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      const entry = (await lockEntry(tx, app.id))!;
      const committed = await approvedEntitlementCents(tx, campaign.id);
      const result = (changed: boolean, after: number): CorrectionResult => ({
        applicationId: entry.id,
        changed,
        withdrawn: withdraw,
        amountCents: withdraw ? entry.amountCents : after,
        previousAmountCents: entry.amountCents,
        budgetLeftCents: Math.max(
          0,
          campaign.budgetCents - committed + (changed ? entry.amountCents - after : 0),
        ),
      });
      // The same correction again: nothing to do.
      if (withdraw && entry.status === 'WITHDRAWN') return result(false, 0);
      if (!withdraw && entry.status === 'APPROVED' && entry.amountCents === input.amountCents)
        return result(false, entry.amountCents);
      const field = withdraw ? 'withdraw' : 'amountCents';
      if (entry.status !== 'APPROVED')
        throw refusal(
          field,
          'La voce dell’elenco è stata ritirata: non si corregge più.',
          'The list entry was withdrawn: it can no longer be corrected.',
        );
      if (entry.creditedCents > 0)
        throw refusal(
          field,
          `Alla carta sono già stati accreditati ${euro(entry.creditedCents)} € per questa voce: non si corregge più l’elenco; se il beneficiario non ne aveva diritto, revocare il beneficio dalla pagina della domanda (il credito non speso torna alla misura).`,
          `€${euro(entry.creditedCents)} has already been credited to the card for this entry: the list can no longer be corrected; if the beneficiary was not entitled, revoke the benefit from the application's page (the unspent credit goes back to the campaign).`,
        );
      if (withdraw && entry.cardIssuedForEntry)
        throw refusal(
          field,
          'La carta è già stata emessa per questa voce e non si può annullare: il ritiro non è possibile; correggere l’importo oppure, se il beneficiario non ne aveva diritto, revocare il beneficio dalla pagina della domanda (la carta non riceverà ricariche per questa misura).',
          "The card was already issued for this entry and cannot be voided: it cannot be withdrawn; correct the amount or, if the beneficiary was not entitled, revoke the benefit from the application's page (the card will get no top-up for this campaign).",
        );
      const after = withdraw ? 0 : input.amountCents!;
      if (committed - entry.amountCents + after > campaign.budgetCents)
        throw refusal(
          'amountCents',
          `Il nuovo importo supera il bilancio ancora disponibile della misura (${euro(Math.max(0, campaign.budgetCents - committed))} € oltre l’importo attuale).`,
          `The new amount exceeds the campaign's budget still available (€${euro(Math.max(0, campaign.budgetCents - committed))} beyond the current amount).`,
        );
      await writeCorrection(tx, {
        applicationId: entry.id,
        comuneId: entry.comuneId,
        actor: actorOf(caller),
        before: entry.amountCents,
        after: withdraw ? null : after,
        reason,
      });
      await this.audit.record(
        tx,
        actorOf(caller),
        campaign.comuneId,
        'CORRECT_BENEFICIARY',
        `application:${entry.id}:${entry.amountCents}->${withdraw ? 'WITHDRAWN' : after}`,
      );
      return result(true, after);
    });
  }

  /** The keyed hash of a beneficiary's codice fiscale (the registry's and applications'). */
  private hash(entry: ListEntry): string {
    return this.pii.lookupHash(FISCAL_CODE_PURPOSE, entry.fiscalCode);
  }

  /**
   * The campaign's list beneficiaries (DIRECT_LIST, not withdrawn), by protocol number, a page of
   * `first` after the cursor `after` (an offset, as the case queue's): codice fiscale in clear,
   * amount, reason, protocol, whether a live card is issued and what was credited. Staff of the
   * campaign's Comune only (NOT_FOUND otherwise, as the import); the read is audited as a search of
   * cases (SEARCH_CASES, subject `campaign:<id>`), as the case queue is.
   */
  async beneficiaries(
    em: EntityManager,
    caller: Caller,
    campaignId: string,
    first: number,
    after: string | null,
  ): Promise<BeneficiaryPage> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(campaignId)) throw notFound();
    const campaign = await em.findOne(Campaign, { id: campaignId });
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) throw notFound();
    const errors = new FieldErrors();
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
      errors.add('first', `Da 1 a ${MAX_PAGE_SIZE}.`, `From 1 to ${MAX_PAGE_SIZE}.`);
    const offset = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    if (!Number.isSafeInteger(offset) || offset < 0)
      errors.add('after', 'Cursore non valido.', 'Malformed cursor.');
    errors.throwIfAny();
    const page = await listBeneficiaries(em, campaign.id, offset, first);
    await this.audit.record(
      em,
      actorOf(caller),
      campaign.comuneId,
      'SEARCH_CASES',
      `campaign:${campaign.id}`,
    );
    const end = offset + page.nodes.length;
    const hasNextPage = end < page.totalCount;
    return {
      totalCount: page.totalCount,
      hasNextPage,
      endCursor: hasNextPage ? Buffer.from(String(end)).toString('base64url') : null,
      nodes: page.nodes.map(({ fiscalCodeCipher, ...row }) => ({
        ...row,
        fiscalCode: this.pii.decrypt(fiscalCodeCipher),
      })),
    };
  }
}
