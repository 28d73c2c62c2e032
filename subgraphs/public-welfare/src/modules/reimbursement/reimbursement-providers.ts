import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveredLesson, Payee } from '@welfare/kit/contracts';
import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import { book } from '../ledger/ledger.js';
import { takenLessons, unpaidByAccount, type NewPayeeRows } from './reimbursement.repository.js';
import type { HeldBackReason } from './reimbursement.enums.js';

/*
 * Third-sector providers in a Comune's reimbursement batch (see `ReimbursementService.create`).
 *
 * PROVIDER_SERVICES. A catalogue service paid with a campaign's voucher credit (the fund
 * contract's capture) credits the provider's account `provider:<p>:campaign:<c>`; a refund debits
 * it. A batch of campaign C owes each provider what its account holds when the batch is made,
 * less what DRAFT and APPROVED batches of C will take from it (PAID ones already took theirs out of
 * the account). Unlike a shop's payment (voidable the same day, hence the cut-off), a capture is
 * final: the cut-off day does not apply, and the line's `periodTo` is the batch's day. Run under
 * the campaign's lock with the accounts locked, so two batches of C never take the same money;
 * marking the batch paid moves each line's amount out of the account (a transfer whose id derives
 * from the batch and the line: a replay moves nothing; a refund to the citizen meanwhile that left
 * less in the account makes it a CONFLICT).
 *
 * TUTORING. Each lesson held in a programme the Comune funds (third-sector's attendance register)
 * not yet in a batch is paid once: the lessons of a programme form one line, their minutes × the
 * programme's hourly tariff / 60, rounded to the nearest cent (half up) per line. Run under the
 * Comune's tutoring lock, and each lesson is a primary key: never paid twice; a lesson held or
 * marked after a batch comes in the next one. Tutoring is the Comune's own budget, not voucher
 * credit: it has no account in the book, so paying it moves nothing there.
 *
 * A provider with no IBAN (or unknown to identity), or a programme with no tariff, is held back:
 * reported with the batch, its money or hours left for a later batch.
 */

/** The provider accounts of a campaign with money in them (read before the batch's transaction). */
export async function providerAccountsOf(em: EntityManager, campaignId: string) {
  const accounts = await book.accounts(em, {
    owner: { kind: 'provider', scopeIds: [campaignId] },
  });
  return accounts.filter((a) => a.posted > 0 && a.owner?.id);
}

/** An IBAN the SEPA file can credit, or null. */
function sepaIban(payee: Payee | undefined): string | null {
  const iban = payee?.iban ? electronicFormatIBAN(payee.iban) : null;
  return iban && isValidIBAN(iban) && isSEPACountry(iban.slice(0, 2)) ? iban : null;
}

/** Why a payee cannot be paid, or null when it can. */
function payeeProblem(payee: Payee | undefined): HeldBackReason | null {
  if (!payee) return 'UNKNOWN_PROVIDER';
  return sepaIban(payee) ? null : 'NO_IBAN';
}

/**
 * The provider rows of a new batch of the campaign (in the batch's transaction, under the
 * campaign's and the Comune's tutoring locks): PROVIDER_SERVICES lines, TUTORING lines, and what is
 * held back. `payees` by organisation id; `lessons` as third-sector answered them.
 */
export async function providerRows(
  tx: EntityManager,
  input: {
    campaignId: string;
    /** The batch's day (Italy): the `periodTo` of its PROVIDER_SERVICES lines. */
    today: string;
    payees: ReadonlyMap<string, Payee>;
    lessons: readonly DeliveredLesson[];
  },
): Promise<NewPayeeRows> {
  const rows: NewPayeeRows = { lines: [], heldBack: [] };
  // Voucher-funded services: the balances of the campaign's provider accounts.
  const accounts = await book.lockAccounts(tx, {
    owner: { kind: 'provider', scopeIds: [input.campaignId] },
  });
  const unpaid = await unpaidByAccount(
    tx,
    accounts.map((a) => a.id),
  );
  for (const account of accounts) {
    const providerId = account.owner!.id;
    const amount = account.posted - (unpaid.get(account.id) ?? 0);
    if (amount <= 0) continue;
    const payee = input.payees.get(providerId);
    const problem = payeeProblem(payee);
    if (problem) {
      rows.heldBack.push({
        kind: 'PROVIDER_SERVICES',
        providerId,
        providerName: payee?.name ?? null,
        programmeId: null,
        programmeTitle: null,
        amountCents: amount,
        minutes: null,
        reason: problem,
      });
      continue;
    }
    rows.lines.push({
      id: randomUUID(),
      kind: 'PROVIDER_SERVICES',
      providerId,
      providerName: payee!.name.slice(0, 500),
      iban: sepaIban(payee)!,
      amountCents: amount,
      accountId: account.id,
      programmeId: null,
      programmeTitle: null,
      minutes: null,
      hourlyTariffCents: null,
      lessonCount: null,
      periodFrom: null,
      periodTo: input.today,
      lessons: [],
    });
  }
  // Tutoring: the lessons held and not yet paid, one line per programme.
  const taken = await takenLessons(
    tx,
    input.lessons.map((l) => l.lessonId),
  );
  const byProgramme = new Map<string, DeliveredLesson[]>();
  for (const lesson of input.lessons) {
    if (taken.has(lesson.lessonId)) continue;
    const list = byProgramme.get(lesson.programmeId) ?? [];
    list.push(lesson);
    byProgramme.set(lesson.programmeId, list);
  }
  for (const [programmeId, lessons] of byProgramme) {
    const first = lessons[0]!;
    const minutes = lessons.reduce((s, l) => s + l.minutes, 0);
    const tariff = first.hourlyTariffCents;
    const payee = input.payees.get(first.providerId);
    const problem = tariff === null ? 'NO_TARIFF' : payeeProblem(payee);
    const amount = tariff === null ? null : Math.round((minutes * tariff) / 60);
    if (problem || amount === null || amount <= 0) {
      rows.heldBack.push({
        kind: 'TUTORING',
        providerId: first.providerId,
        providerName: payee?.name ?? null,
        programmeId,
        programmeTitle: first.programmeTitle,
        amountCents: amount,
        minutes,
        reason: problem ?? 'NO_TARIFF',
      });
      continue;
    }
    const days = lessons.map((l) => l.day).sort();
    rows.lines.push({
      id: randomUUID(),
      kind: 'TUTORING',
      providerId: first.providerId,
      providerName: payee!.name.slice(0, 500),
      iban: sepaIban(payee)!,
      amountCents: amount,
      accountId: null,
      programmeId,
      programmeTitle: first.programmeTitle,
      minutes,
      hourlyTariffCents: tariff,
      lessonCount: lessons.length,
      periodFrom: days[0]!,
      periodTo: days[days.length - 1]!,
      lessons: lessons.map((l) => ({ lessonId: l.lessonId, minutes: l.minutes })),
    });
  }
  return rows;
}
