import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeliveredLesson, Payee } from '@welfare/kit/contracts';
import { addDays, romeDay } from '@welfare/kit/dates';
import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import { TransferCode, book } from '../ledger/ledger.js';
import { committedByAccount, takenLessons, type NewPayeeRows } from './reimbursement.repository.js';
import type { HeldBackReason } from './reimbursement.enums.js';

/*
 * Third-sector providers in a Comune's reimbursement batch (see `ReimbursementService.create`).
 *
 * PROVIDER_SERVICES. A catalogue service paid with a campaign's voucher credit (the fund
 * contract's capture) credits the provider's account `provider:<p>:campaign:<c>`; a refund debits
 * it. A batch of campaign C owes each provider the net of those movements made before the end of
 * the cut-off day (Italy), less what batches not discarded already took from that account (PAID
 * ones included), and never more than the account holds now less what unpaid batches will take
 * (a refund after the cut-off lowers it). Run under the campaign's lock, so two batches of C
 * never take the same money; marking the batch paid moves each line's amount out of the account
 * (a transfer whose id derives from the batch and the line: a replay moves nothing).
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

/** The first instant after the cut-off day in Italy (midnight in Rome, CET or CEST). */
export function endOfRomeDay(day: string): Date {
  const next = addDays(day, 1);
  const utcMidnight = Date.parse(`${next}T00:00:00Z`);
  // Rome is one or two hours ahead of UTC: the candidate that is still `next` in Rome and whose
  // hour before is not.
  for (const hours of [2, 1]) {
    const at = new Date(utcMidnight - hours * 3_600_000);
    if (romeDay(at) === next && romeDay(new Date(at.getTime() - 1)) !== next) return at;
  }
  throw new Error(`endOfRomeDay: no midnight found for ${day}`);
}

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
    cutOff: string;
    payees: ReadonlyMap<string, Payee>;
    lessons: readonly DeliveredLesson[];
  },
): Promise<NewPayeeRows> {
  const rows: NewPayeeRows = { lines: [], heldBack: [] };
  // Voucher-funded services: the balances of the campaign's provider accounts.
  const accounts = await book.lockAccounts(tx, {
    owner: { kind: 'provider', scopeIds: [input.campaignId] },
  });
  const earned = new Map<string, number>();
  if (accounts.length) {
    const groups = await book.movementGroups(
      tx,
      { ids: accounts.map((a) => a.id) },
      {
        by: ['account'],
        codes: [TransferCode.SERVICE_PAYMENT, TransferCode.SERVICE_REFUND],
        until: endOfRomeDay(input.cutOff),
      },
    );
    for (const g of groups) earned.set(g.accountId!, g.credits - g.debits);
  }
  const { committed, unpaid } = await committedByAccount(
    tx,
    accounts.map((a) => a.id),
  );
  for (const account of accounts) {
    const providerId = account.owner!.id;
    const owed = (earned.get(account.id) ?? 0) - (committed.get(account.id) ?? 0);
    const there = account.posted - (unpaid.get(account.id) ?? 0);
    const amount = Math.min(owed, there);
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
      periodTo: input.cutOff,
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
