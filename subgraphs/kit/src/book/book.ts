import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldError } from '../errors.js';
import { isSerializationFailure, sql } from '../sql.js';
import {
  AccountConflict,
  AccountNotFound,
  HoldExpired,
  HoldNotPending,
  INVALID_AMOUNT_DETAIL,
  InsufficientFunds,
  InvalidAmount,
  InvalidBookInput,
  TransferConflict,
  TransferNotFound,
} from './errors.js';
import {
  BOOK_MAX_AMOUNT,
  ISSUER_KIND,
  OWNER_ID_MAX,
  OWNER_KIND_MAX,
  quoteSchema,
} from './schema.js';

export type TransferStatus = 'PENDING' | 'POSTED' | 'VOIDED' | 'EXPIRED';

/**
 * Who or what an account belongs to, stored in indexed columns so that accounts are found and
 * totalled by owner without parsing their codes. Generic: public-welfare's card accounts are
 * `{ kind: 'card', id: cardId, scopeId: campaignId }`, a shop's `{ kind: 'shop', id }`; a corporate
 * welfare book could use `{ kind: 'employee', id, scopeId: employerId }`.
 */
export interface AccountOwner {
  /** What owns the account (1..50 characters). */
  kind: string;
  /** The owner's id (1..200 characters). */
  id: string;
  /** An optional second dimension (1..200 characters), e.g. the campaign of a card's account. */
  scopeId?: string | null;
}

/**
 * Accounts by owner: those of `kind`, of any of `ids` (when given) and of any of `scopeIds` (when
 * given), optionally only of one account kind. Served by the book's owner indexes.
 */
export interface OwnerFilter {
  kind: string;
  ids?: readonly string[];
  scopeIds?: readonly string[];
  /** The accounts' own kind (HOLDER, MERCHANT...). */
  accountKind?: string;
}

/** A set of accounts: by id, by code, or by owner. Unknown ids and codes are simply not in it. */
export type AccountSet =
  { ids: readonly string[] } | { codes: readonly string[] } | { owner: OwnerFilter };

/** An account and its totals, in cents. */
export interface Account {
  id: string;
  code: string;
  kind: string;
  allowNegative: boolean;
  /**
   * A hot account: its posted credits are appended and folded into its row later (see the kit's
   * `bookHotSql`), so that concurrent payments to it never wait for each other.
   */
  hot: boolean;
  debitsPosted: number;
  /** Every posted credit, folded into the account's row or not yet (`unfoldedCredits`). */
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
  /** Of `creditsPosted`, the committed credits of a hot account not yet folded into its row. */
  unfoldedCredits: number;
  /** `creditsPosted - debitsPosted`: the balance. */
  posted: number;
  /** `creditsPosted - debitsPosted - debitsPending`: what the account can spend now. */
  available: number;
  createdAt: Date;
  /** Null for an account opened without one. */
  owner: AccountOwner | null;
}

/** One side of a transfer, seen from one account of a statement. */
export interface Movement {
  transferId: string;
  /** The transfer's insertion order: the statement's cursor. */
  seq: number;
  /** The account of the statement this movement is on. */
  accountId: string;
  accountCode: string;
  accountOwner: AccountOwner | null;
  /** The other account of the transfer. */
  counterpartyId: string;
  /** Signed from the account's side: positive when money reaches it, negative when it leaves. */
  amount: number;
  status: TransferStatus;
  pendingId: string | null;
  expiresAt: Date | null;
  code: string | null;
  reference: string | null;
  createdAt: Date;
}

export interface StatementPage {
  /** 1..500, default 50. */
  limit?: number;
  /** The `next` of the previous page: only transfers with a smaller `seq`. */
  before?: number;
  /** Only transfers with one of these codes. */
  codes?: readonly string[];
}

export interface Statement {
  /**
   * Newest first (by seq). A transfer between two accounts of the set is two movements, one per
   * side, always on the same page (so a page may hold `limit + 1` movements).
   */
  items: Movement[];
  /** Pass as `before` for the next page; null at the end. */
  next: number | null;
}

/** The totals of the accounts of one owner (or one scope), in cents. */
export interface OwnerTotal {
  ownerKind: string;
  /** Null when totalled by scope. */
  ownerId: string | null;
  /** Null when totalled by owner. */
  scopeId: string | null;
  accounts: number;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
  /** `creditsPosted - debitsPosted`. */
  posted: number;
  /** `creditsPosted - debitsPosted - debitsPending`. */
  available: number;
}

export interface MovementTotalsQuery {
  /** Only transfers with one of these codes; all when omitted. */
  codes?: readonly string[];
  /** Only transfers whose reference starts with this text. */
  referencePrefix?: string;
  /**
   * `account` (default): one row per account of the set and transfer code; `owner` or `scope`:
   * one row per owner id (or scope id) of the accounts and code; `reference`: one row per transfer
   * reference and code, over the whole set; `set`: one row per code.
   */
  by?: 'account' | 'owner' | 'scope' | 'reference' | 'set';
}

/**
 * Sums of the posted movements (single-phase transfers and posts of holds; holds themselves and
 * their voids or expiries move nothing) of a set of accounts, seen from its side.
 */
export interface MovementTotal {
  /** With `by: 'account'`, else null. */
  accountId: string | null;
  /** With `by: 'owner'` (the owner id) or `by: 'scope'` (the scope id), else null. */
  ownerKey: string | null;
  /** With `by: 'reference'`, else null. */
  reference: string | null;
  code: string | null;
  /** What left the set's accounts. */
  debits: number;
  /** What reached them. */
  credits: number;
  /** `credits - debits`. */
  net: number;
  /** Movements counted (a transfer between two accounts of the set counts twice, and nets 0). */
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * What `movementGroups` groups the movements of a set by (any combination, in any order):
 * - `account`: the account of the set the movement is on; `owner`, `scope`: its owner id, scope id;
 * - `code`, `reference`: the transfer's; `transfer`: the transfer itself (one row per movement);
 * - `counterparty`: the other account of the transfer; `counterpartyOwner`: its owner;
 * - `day`: the calendar day the transfer was made, in `timeZone`.
 */
export type MovementKey =
  | 'account'
  | 'owner'
  | 'scope'
  | 'code'
  | 'reference'
  | 'transfer'
  | 'counterparty'
  | 'counterpartyOwner'
  | 'day';

export interface MovementGroupsQuery {
  /** The keys of a group (none: one row for the whole set, when it moved). */
  by: readonly MovementKey[];
  /** Only transfers with one of these codes; all when omitted. */
  codes?: readonly string[];
  /** Only transfers whose reference starts with this text. */
  referencePrefix?: string;
  /** Only transfers made at or after this instant. */
  from?: Date;
  /** Only transfers made before this instant. */
  until?: Date;
  /** The IANA time zone of `day` (default `UTC`), e.g. `Europe/Rome`. */
  timeZone?: string;
}

/**
 * Sums of the posted movements of a set grouped by `MovementGroupsQuery.by`, seen from the set's
 * side. The keys not grouped by are null (as are keys null in the book, e.g. a transfer without
 * reference, a counterparty without owner).
 */
export interface MovementGroup {
  accountId: string | null;
  ownerId: string | null;
  scopeId: string | null;
  code: string | null;
  reference: string | null;
  transferId: string | null;
  counterpartyId: string | null;
  counterpartyOwner: AccountOwner | null;
  /** `YYYY-MM-DD` in the query's time zone. */
  day: string | null;
  /** What left the set's accounts. */
  debits: number;
  /** What reached them. */
  credits: number;
  /** `credits - debits`. */
  net: number;
  /** Movements counted (a transfer between two accounts of the set counts twice, and nets 0). */
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * A row of the book. A single-phase transfer has neither `pendingId` nor `expiresAt`; a hold has
 * `expiresAt` (and its status tells whether it is still pending); the post, void or expiry of a hold
 * has `pendingId`.
 */
export interface Transfer {
  id: string;
  /** Insertion order, for paging. */
  seq: number;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  status: TransferStatus;
  pendingId: string | null;
  expiresAt: Date | null;
  code: string | null;
  reference: string | null;
  createdAt: Date;
}

export interface OpenAccountInput {
  /** Optional: chosen by the caller (a uuid); otherwise generated. */
  id?: string;
  /** Unique in the book: opening an account again with the same code returns it. */
  code: string;
  /** What the account is for: ISSUER, FUND, HOLDER, MERCHANT... */
  kind: string;
  /** Only for the ISSUER: the one account that may go below zero. */
  allowNegative?: boolean;
  /**
   * Who the account belongs to. Opening an existing account again with an owner: the same owner
   * returns it, another is an AccountConflict, and an account opened before without one gets it.
   */
  owner?: AccountOwner | null;
  /**
   * A hot account (for one credited by many concurrent payments, e.g. a big shop): its posted
   * credits are appended without taking its row and folded later. Opening an existing account
   * with `hot: true` makes it hot (`Book.makeHot`); without it, an account is returned as it is
   * (a hot account never becomes cold again).
   */
  hot?: boolean;
}

export interface TransferInput {
  /** Chosen by the client (a uuid): the idempotency key. */
  id: string;
  /** The account the money leaves. */
  debit: string;
  /** The account the money reaches. */
  credit: string;
  /** Whole cents, 1..BOOK_MAX_AMOUNT. */
  amount: number;
  /** The caller's kind of movement (up to 64 characters). */
  code?: string | null;
  /** The caller's reference, e.g. a payment id (up to 500 characters). */
  reference?: string | null;
}

export interface HoldInput extends TransferInput {
  /** Seconds until the hold expires (1..MAX_HOLD_SECONDS). Not compared on a replay. */
  timeoutSeconds: number;
}

export interface PostInput {
  id: string;
  pendingId: string;
  /** At most the held amount; by default the whole of it. The rest goes back to the debit account. */
  amount?: number;
  /** By default the hold's. */
  code?: string | null;
  /** By default the hold's. */
  reference?: string | null;
}

export interface VoidInput {
  id: string;
  pendingId: string;
  code?: string | null;
  reference?: string | null;
}

export interface TransferPage {
  /** 1..500, default 50. */
  limit?: number;
  /** The `next` of the previous page. */
  before?: number;
}

export interface TransferList {
  /** Newest first. */
  items: Transfer[];
  /** Pass as `before` for the next page; null at the end. */
  next: number | null;
}

export interface InvariantReport {
  ok: boolean;
  accounts: number;
  transfers: number;
  /** Sums over the accounts' columns; `creditsPosted` counts the credits not yet folded. */
  totals: {
    debitsPosted: number;
    creditsPosted: number;
    debitsPending: number;
    creditsPending: number;
    /** Of `creditsPosted`, the credits of hot accounts not yet folded into their rows. */
    unfoldedCredits: number;
  };
  /** Sums over the transfers: posted movements, and holds still pending. */
  transferTotals: { posted: number; pending: number };
  /** Accounts whose columns differ from the sums of their transfers. */
  mismatchedAccounts: {
    accountId: string;
    code: string;
    stored: [number, number, number, number];
    computed: [number, number, number, number];
  }[];
  /** Accounts below zero that may not be. */
  negativeAccounts: { accountId: string; code: string; available: number }[];
  /** Holds whose status disagrees with their resolution, or resolutions that do not fit their hold. */
  badHolds: { transferId: string; problem: string }[];
  /** Pending credits that are not the posted credit of their transfer to a hot account. */
  badPendingCredits: { transferId: string; problem: string }[];
  /**
   * A book with a reserve (`BookOptions.reserve`) only: issuer accounts whose reserve (the sum of
   * their entries) differs from their circulation (`debitsPosted - creditsPosted`). Absent otherwise.
   */
  reserveMismatches?: ReserveTotal[];
  /**
   * A book with a reserve only: reserve entries that are not what their transfer moves, and posted
   * issuer transfers without their entry. Absent otherwise.
   */
  badReserveEntries?: { transferId: string; problem: string }[];
  /** Every failure in words; empty when `ok`. */
  problems: string[];
}

/** What `Book.fold` folded. */
export interface FoldResult {
  /** The accounts that had credits to fold. */
  accounts: number;
  /** The cents folded into their rows (moved, not created: their balances do not change). */
  cents: number;
}

export interface BookOptions {
  /** The clock for hold expiries (tests pass a fake one). Defaults to the system clock. */
  now?: () => Date;
  /**
   * The book has a reserve (its schema has `bookReserveSql`): its money is backed one to one by
   * euro, and every posted transfer moving an issuer account comes with a reserve entry (`issue`,
   * `redeem`, `postRedemption`); `checkInvariants` also compares each issuer's reserve with its
   * circulation. Plain transfers to or from an issuer then fail at commit (the database refuses
   * them without their entry).
   */
  reserve?: boolean;
}

/** What a reserve movement adds to a transfer: the euro movement behind it. */
export interface ReserveFields {
  /** The euro movement (a bank transfer, a payment id): 1..500 characters, trimmed. */
  reserveReference: string;
}

/** `Book.issue` and `Book.redeem`: a single-phase transfer and the euro movement behind it. */
export type ReserveTransferInput = TransferInput & ReserveFields;

/** `Book.postRedemption`: the post of a hold to the issuer and the euro movement behind it. */
export type ReservePostInput = PostInput & ReserveFields;

/** A row of the reserve: euro entered (+, money issued) or left (-, money destroyed). */
export interface ReserveEntry {
  /** The posted transfer it backs (one entry per transfer). */
  transferId: string;
  /** The issuer account the transfer moved. */
  issuerAccountId: string;
  /** Signed cents: + euro entered the reserve (issuance), - euro left it (redemption). */
  amount: number;
  /** The euro movement. */
  reference: string;
  createdAt: Date;
}

/** A posted issuer transfer and its reserve entry, written together. */
export interface ReserveMovement {
  transfer: Transfer;
  entry: ReserveEntry;
}

/** The reserve of one issuer account and the money it has in circulation, in cents. */
export interface ReserveTotal {
  issuerAccountId: string;
  code: string;
  /** The sum of its reserve entries: the euro held. */
  reserve: number;
  /**
   * `debitsPosted - creditsPosted` of the issuer (its credits not yet folded counted): the money
   * issued and not destroyed. Equal to `reserve` in a sound book.
   */
  circulation: number;
}

/** The longest hold: 30 days. */
export const MAX_HOLD_SECONDS = 30 * 24 * 3600;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXPIRE_BATCH = 500;
/** The hot accounts `Book.fold` folds in one transaction. */
const FOLD_BATCH = 100;
const RETRIES = 5;

interface TransferRow {
  id: string;
  seq: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  status: TransferStatus;
  pending_id: string | null;
  expires_ms: number | null;
  code: string | null;
  reference: string | null;
  created_ms: number;
}

interface AccountRow {
  id: string;
  code: string;
  kind: string;
  allow_negative: boolean;
  hot: boolean;
  debits_posted: string;
  /** The row's own, without the credits not yet folded (`unfolded`). */
  credits_posted: string;
  unfolded: string;
  debits_pending: string;
  credits_pending: string;
  created_ms: number;
  owner_kind: string | null;
  owner_id: string | null;
  scope_id: string | null;
}

interface MovementRow {
  transfer_id: string;
  seq: string;
  account_id: string;
  account_code: string;
  owner_kind: string | null;
  owner_id: string | null;
  scope_id: string | null;
  counterparty_id: string;
  signed: string;
  status: TransferStatus;
  pending_id: string | null;
  expires_ms: number | null;
  code: string | null;
  reference: string | null;
  created_ms: number;
}

const TRANSFER_COLUMNS = `id, seq::text as seq, debit_account_id, credit_account_id, amount::text as amount,
  status, pending_id, (extract(epoch from expires_at) * 1000)::float8 as expires_ms, code, reference,
  (extract(epoch from created_at) * 1000)::float8 as created_ms`;

interface EntryRow {
  transfer_id: string;
  issuer_account_id: string;
  amount: string;
  reference: string;
  created_ms: number;
}

const ENTRY_COLUMNS = `transfer_id, issuer_account_id, amount::text as amount, reference,
  (extract(epoch from created_at) * 1000)::float8 as created_ms`;

function toEntry(row: EntryRow): ReserveEntry {
  return {
    transferId: row.transfer_id,
    issuerAccountId: row.issuer_account_id,
    amount: cents(row.amount),
    reference: row.reference,
    createdAt: new Date(row.created_ms),
  };
}

/** An account of a transfer, as `Book.lockFor` reads it (the columns of the funds check). */
interface LockedRow {
  id: string;
  hot: boolean;
  allow_negative: boolean;
  /** The row's own available balance; null for an account read without its lock. */
  available: string | null;
}

/** The columns of an `AccountKey`, of the account table aliased `a`. */
const ACCOUNT_KEY_COLUMNS = `a.id, a.code, a.kind, a.allow_negative, a.hot, a.owner_kind, a.owner_id,
  a.scope_id`;

/** Posted movements: single-phase transfers and posts of holds (not the holds themselves). */
const POSTED = `t.status = 'POSTED' and t.expires_at is null`;

/** The keys of `movementGroups`, in the order its rows are sorted by. */
const MOVEMENT_KEYS: readonly MovementKey[] = [
  'account',
  'owner',
  'scope',
  'counterparty',
  'counterpartyOwner',
  'code',
  'reference',
  'day',
  'transfer',
];

/** The SQL of each key of `movementGroups` (over the movements `m` and counterparties `c`). */
const MOVEMENT_COLUMNS: Record<MovementKey, string[]> = {
  account: ['m.account_id'],
  owner: ['m.owner_id'],
  scope: ['m.scope_id'],
  code: ['m.code'],
  reference: ['m.reference'],
  transfer: ['m.transfer_id'],
  counterparty: ['m.counterparty_id'],
  counterpartyOwner: ['c.owner_kind', 'c.owner_id', 'c.scope_id'],
  day: [`to_char(m.created_at at time zone ?, 'YYYY-MM-DD')`],
};

/** The column names of each key of `movementGroups`, as `MOVEMENT_COLUMNS` selects them. */
const MOVEMENT_NAMES: Record<MovementKey, string[]> = {
  account: ['account_id'],
  owner: ['owner_id'],
  scope: ['scope_id'],
  code: ['code'],
  reference: ['reference'],
  transfer: ['transfer_id'],
  counterparty: ['counterparty_id'],
  counterpartyOwner: ['c_kind', 'c_id', 'c_scope'],
  day: ['day'],
};

/** A row of `movementGroups`' query: the chosen keys' columns and the sums. */
interface MovementGroupRow {
  account_id?: string | null;
  owner_id?: string | null;
  scope_id?: string | null;
  code?: string | null;
  reference?: string | null;
  transfer_id?: string | null;
  counterparty_id?: string | null;
  c_kind?: string | null;
  c_id?: string | null;
  c_scope?: string | null;
  day?: string | null;
  debits: string;
  credits: string;
  n: string;
  first_ms: number;
  last_ms: number;
}

/** A group of movements from its row (the keys not chosen are null). */
function toMovementGroup(r: MovementGroupRow): MovementGroup {
  const debits = cents(r.debits);
  const credits = cents(r.credits);
  return {
    accountId: r.account_id ?? null,
    ownerId: r.owner_id ?? null,
    scopeId: r.scope_id ?? null,
    code: r.code ?? null,
    reference: r.reference ?? null,
    transferId: r.transfer_id ?? null,
    counterpartyId: r.counterparty_id ?? null,
    counterpartyOwner: toOwner({
      owner_kind: r.c_kind ?? null,
      owner_id: r.c_id ?? null,
      scope_id: r.c_scope ?? null,
    }),
    day: r.day ?? null,
    debits,
    credits,
    net: credits - debits,
    count: cents(r.n),
    firstAt: new Date(r.first_ms),
    lastAt: new Date(r.last_ms),
  };
}

/** An IANA time zone the runtime knows (PostgreSQL knows the same database). */
function validTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length < 1 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A bigint (as text) that must fit a JavaScript number exactly. */
function cents(value: string | number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`book: ${value} cents is outside the safe range`);
  return n;
}

/** The failures of a book check, in words: empty when the book holds. */
function invariantProblems(report: Omit<InvariantReport, 'ok' | 'problems'>): string[] {
  const problems: string[] = [];
  const { totals: t, transferTotals: m } = report;
  if (t.debitsPosted !== t.creditsPosted)
    problems.push(`posted debits ${t.debitsPosted} differ from posted credits ${t.creditsPosted}`);
  if (t.debitsPending !== t.creditsPending)
    problems.push(
      `pending debits ${t.debitsPending} differ from pending credits ${t.creditsPending}`,
    );
  if (t.debitsPosted !== m.posted)
    problems.push(
      `posted account totals ${t.debitsPosted} differ from posted transfers ${m.posted}`,
    );
  if (t.debitsPending !== m.pending)
    problems.push(
      `pending account totals ${t.debitsPending} differ from pending holds ${m.pending}`,
    );
  for (const a of report.mismatchedAccounts)
    problems.push(
      `account ${a.code}: columns ${a.stored.join('/')} but transfers ${a.computed.join('/')}`,
    );
  for (const a of report.negativeAccounts)
    problems.push(`account ${a.code} may not go below zero (available ${a.available})`);
  for (const h of report.badHolds) problems.push(`transfer ${h.transferId}: ${h.problem}`);
  for (const p of report.badPendingCredits) problems.push(`transfer ${p.transferId}: ${p.problem}`);
  for (const r of report.reserveMismatches ?? [])
    problems.push(
      `issuer ${r.code}: reserve ${r.reserve} differs from circulation ${r.circulation}`,
    );
  for (const e of report.badReserveEntries ?? [])
    problems.push(`transfer ${e.transferId}: ${e.problem}`);
  return problems;
}

function toTransfer(row: TransferRow): Transfer {
  return {
    id: row.id,
    seq: cents(row.seq),
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: cents(row.amount),
    status: row.status,
    pendingId: row.pending_id,
    expiresAt: row.expires_ms === null ? null : new Date(row.expires_ms),
    code: row.code,
    reference: row.reference,
    createdAt: new Date(row.created_ms),
  };
}

function toAccount(row: AccountRow): Account {
  const debitsPosted = cents(row.debits_posted);
  const unfoldedCredits = cents(row.unfolded);
  const creditsPosted = cents(row.credits_posted) + unfoldedCredits;
  const debitsPending = cents(row.debits_pending);
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    allowNegative: row.allow_negative,
    hot: row.hot,
    debitsPosted,
    creditsPosted,
    debitsPending,
    creditsPending: cents(row.credits_pending),
    unfoldedCredits,
    posted: creditsPosted - debitsPosted,
    available: creditsPosted - debitsPosted - debitsPending,
    createdAt: new Date(row.created_ms),
    owner: toOwner(row),
  };
}

function toOwner(row: {
  owner_kind: string | null;
  owner_id: string | null;
  scope_id: string | null;
}): AccountOwner | null {
  return row.owner_kind === null || row.owner_id === null
    ? null
    : { kind: row.owner_kind, id: row.owner_id, scopeId: row.scope_id };
}

function sameOwner(stored: AccountOwner | null, wanted: AccountOwner | null): boolean {
  return (
    wanted === null ||
    stored === null ||
    (stored.kind === wanted.kind &&
      stored.id === wanted.id &&
      (stored.scopeId ?? null) === (wanted.scopeId ?? null))
  );
}

function isHold(t: Transfer): boolean {
  return t.pendingId === null && t.expiresAt !== null;
}

/** Whole cents in 1..BOOK_MAX_AMOUNT. */
function isAmount(amount: unknown): amount is number {
  return (
    typeof amount === 'number' &&
    Number.isInteger(amount) &&
    amount > 0 &&
    amount <= BOOK_MAX_AMOUNT
  );
}

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`), passed as ONE query parameter and cast
 * (`= any(?::uuid[])`, `unnest(?::text[], ?::bigint[])`): a batch of any size is a single value,
 * never a parameter per row. Strings are quoted and escaped; null is NULL.
 */
export function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  const items = values.map((v) =>
    v === null ? 'NULL' : typeof v === 'string' ? `"${v.replace(/[\\"]/g, '\\$&')}"` : String(v),
  );
  return `{${items.join(',')}}`;
}

/** The book's statements with `?` placeholders, numbered `$1, $2, …` (see `Book.run`). */
const numberedTexts = new Map<string, { text: string; count: number }>();

/** A single-phase transfer (not a hold, not a resolution) with exactly these fields. */
function isSameSingle(t: Transfer, w: Required<TransferInput>): boolean {
  return (
    t.pendingId === null &&
    t.expiresAt === null &&
    t.debitAccountId === w.debit &&
    t.creditAccountId === w.credit &&
    t.amount === w.amount &&
    t.code === w.code &&
    t.reference === w.reference
  );
}

/** An account to open, checked: `id` null when the book chooses it. */
interface AccountFields {
  id: string | null;
  code: string;
  kind: string;
  allowNegative: boolean;
  owner: AccountOwner | null;
  hot: boolean;
}

/** An account's identity, without its totals. */
type AccountKey = Pick<
  AccountRow,
  'id' | 'code' | 'kind' | 'allow_negative' | 'hot' | 'owner_kind' | 'owner_id' | 'scope_id'
>;

/** The stored account is the one asked for (kind, id when given, owner when both have one). */
function isSameAccount(row: AccountKey, w: AccountFields): boolean {
  return (
    row.kind === w.kind &&
    row.allow_negative === w.allowNegative &&
    (w.id === null || row.id === w.id) &&
    sameOwner(toOwner(row), w.owner)
  );
}

/** Collects input problems and throws them together. */
class Check {
  readonly fields: FieldError[] = [];
  add(field: string, it: string, en: string): void {
    this.fields.push({ field, message: { it, en } });
  }
  uuid(field: string, value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      this.add(field, 'Identificativo non valido.', 'Invalid id.');
      return '';
    }
    return value.toLowerCase();
  }
  text(field: string, value: unknown, max: number): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || value.length < 1 || value.length > max) {
      this.add(field, `Da 1 a ${max} caratteri.`, `From 1 to ${max} characters.`);
      return null;
    }
    return value;
  }
  throwIfAny(): void {
    if (this.fields.length) throw new InvalidBookInput(this.fields);
  }
}

/** Whole cents in 1..BOOK_MAX_AMOUNT, or InvalidAmount. */
export function checkAmount(amount: unknown): number {
  if (!isAmount(amount)) throw new InvalidAmount(amount);
  return amount;
}

/** The filter of the posted movements of `movementTotals` and `movementGroups` (alias `t`). */
function postedMovements(
  codes: readonly string[] | null | undefined,
  prefix: string | null,
): { filter: string; filterParams: unknown[] } {
  let filter = POSTED;
  const filterParams: unknown[] = [];
  if (codes) {
    filter += ` and t.code = any(?::text[])`;
    filterParams.push(arrayLiteral(codes));
  }
  if (prefix !== null) {
    filter += ` and starts_with(t.reference, ?)`;
    filterParams.push(prefix);
  }
  return { filter, filterParams };
}

/**
 * A double-entry book in one subgraph's schema (created by `bookMigrationSql`). Stateless: one
 * instance per schema serves every request. Each method takes the request's EntityManager and runs
 * raw SQL in the caller's transaction when there is one (use the transaction's EntityManager, and
 * READ COMMITTED, PostgreSQL's default); otherwise in a transaction of its own, retried on
 * serialization failures and deadlocks.
 *
 * Concurrency is decided by the database: the accounts of a transfer are locked in id order
 * (`SELECT ... FOR NO KEY UPDATE`) before the funds are checked, a hold is locked before it is posted or
 * voided, and the constraints and triggers of the schema are the last guard. A refused operation
 * writes nothing (but it may have folded a hot debit account, which changes no balance). An id
 * already applied returns the existing transfer when the fields agree, or TransferConflict when
 * they do not.
 *
 * Hot accounts (`OpenAccountInput.hot`, the kit's `bookHotSql`): a posted transfer to a hot account
 * does not lock it (only its debit account), and its credit is appended to the book's pending
 * credits; every read here counts them at once (`creditsPosted` = the row's + `unfoldedCredits`).
 * A debit or a hold from a hot account folds its pending credits into its row first, and `fold`
 * does it for a periodic job.
 */
export class Book {
  private readonly accountTable: string;
  private readonly transferTable: string;
  private readonly pendingTable: string;
  private readonly foldFunction: string;
  private readonly reserveTable: string;
  private readonly reserve: boolean;
  /** The columns of an `AccountRow`, of the account table aliased `a`. */
  private readonly accountColumns: string;
  private readonly now: () => Date;

  constructor(
    readonly schema: string,
    options: BookOptions = {},
  ) {
    const s = quoteSchema(schema);
    this.accountTable = `${s}.book_account`;
    this.transferTable = `${s}.book_transfer`;
    this.pendingTable = `${s}.book_pending_credit`;
    this.foldFunction = `${s}.book_fold`;
    this.reserveTable = `${s}.book_reserve_entry`;
    this.reserve = options.reserve === true;
    this.accountColumns = `a.id, a.code, a.kind, a.allow_negative, a.hot,
  a.debits_posted::text as debits_posted, a.credits_posted::text as credits_posted,
  (${this.unfolded('a')})::text as unfolded, a.debits_pending::text as debits_pending,
  a.credits_pending::text as credits_pending,
  (extract(epoch from a.created_at) * 1000)::float8 as created_ms, a.owner_kind, a.owner_id, a.scope_id`;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The credits of the account `alias` not yet folded into its row: the one SQL fragment every
   * read of a balance adds to `credits_posted` (a view would be one more object of the frozen
   * schema to migrate whenever a read changes). Only a hot account has any, so a cold one costs no
   * look-up; a hot one sums its pending credits through their account index (few, when folded
   * regularly).
   */
  private unfolded(alias: string): string {
    return `case when ${alias}.hot then coalesce(
    (select sum(p.amount) from ${this.pendingTable} p where p.account_id = ${alias}.id), 0) else 0 end`;
  }

  /** Opens an account, or returns the one with this code when its kind (and id, if given) match. */
  async openAccount(em: EntityManager, input: OpenAccountInput): Promise<Account> {
    const opened = await this.openOne(em, input, this.accountColumns);
    // Read with the whole columns: an AccountRow, unless given its owner or made hot (an Account).
    return 'account' in opened ? opened.account : toAccount(opened.row as AccountRow);
  }

  /**
   * `openAccount`, returning only the account's id: its totals are not read. For a hot path that
   * needs an account's id on every request (a payment to a shop's hot account), where a balance
   * read would sum the account's credits not yet folded.
   */
  async openAccountId(em: EntityManager, input: OpenAccountInput): Promise<string> {
    const opened = await this.openOne(em, input, ACCOUNT_KEY_COLUMNS);
    return 'account' in opened ? opened.account.id : opened.row.id;
  }

  /**
   * Opens an account, or finds the one with its code: its row, read with `columns`, or the
   * Account when it was given its owner or made hot here.
   */
  private async openOne(
    em: EntityManager,
    input: OpenAccountInput,
    columns: string,
  ): Promise<{ row: AccountKey } | { account: Account }> {
    const check = new Check();
    const wanted = this.checkAccount(check, input, '');
    check.throwIfAny();
    const { id, code, kind, allowNegative, owner, hot } = wanted;

    // The account is there in the common case: one read. Else the insert, and when a concurrent
    // request opened it meanwhile (the insert did nothing), the read again.
    const read = async () =>
      (
        await this.run<AccountKey[]>(
          em,
          `select ${columns} from ${this.accountTable} a where a.code = ?`,
          [code],
        )
      )[0];
    let existing = await read();
    if (!existing) {
      const [inserted] = await this.run<AccountKey[]>(
        em,
        `insert into ${this.accountTable} as a
           (id, code, kind, allow_negative, owner_kind, owner_id, scope_id, hot)
         values (coalesce(?::uuid, gen_random_uuid()), ?, ?, ?, ?, ?, ?, ?)
         on conflict do nothing
         returning ${columns}`,
        [
          id,
          code,
          kind,
          allowNegative,
          owner?.kind ?? null,
          owner?.id ?? null,
          owner?.scopeId ?? null,
          hot,
        ],
      );
      if (inserted) return { row: inserted };
      existing = await read();
    }
    if (!existing || !isSameAccount(existing, wanted)) throw new AccountConflict(code);
    if ((!owner || existing.owner_kind !== null) && (!hot || existing.hot))
      return { row: existing };
    // Given its owner or made hot now (once in an account's life): read whole, then updated.
    const [whole] = await this.run<AccountRow[]>(
      em,
      `select ${this.accountColumns} from ${this.accountTable} a where a.code = ?`,
      [code],
    );
    return { account: (await this.claimOwners(em, [wanted], whole ? [whole] : [])).get(code)! };
  }

  /**
   * Makes an account hot (see `OpenAccountInput.hot`), once and for good; an account already hot
   * is returned as it is. Waits for the transfers that locked the account meanwhile (their
   * credits update its row, as they read it cold). AccountNotFound when there is none.
   */
  async makeHot(em: EntityManager, accountId: string): Promise<Account> {
    const check = new Check();
    const id = check.uuid('accountId', accountId);
    check.throwIfAny();
    const [row] = await this.run<AccountRow[]>(
      em,
      `update ${this.accountTable} a set hot = true where a.id = ? and not a.hot
       returning ${this.accountColumns}`,
      [id],
    );
    return row ? toAccount(row) : this.balance(em, id);
  }

  /**
   * Folds the pending credits of hot accounts into their rows (`book_fold`): all of them, or those
   * of `accountIds`. Moves no money: every balance stays as it was, only the rows take the credits
   * committed so far (those of transactions still open are left for a later fold). For a periodic
   * job, so that the pending credits of a hot account stay few; a debit or a hold from a hot
   * account folds it anyway. Outside a transaction, folds in transactions of its own of up to 100
   * accounts each (each account's row is locked only while its transaction runs; payments to it
   * never wait); inside the caller's, in it.
   */
  async fold(em: EntityManager, accountIds?: readonly string[]): Promise<FoldResult> {
    const check = new Check();
    const wanted = accountIds === undefined ? null : this.uuidList(check, 'accountIds', accountIds);
    check.throwIfAny();
    const ids = wanted
      ? [...new Set(wanted)].sort()
      : (
          await this.run<{ id: string }[]>(
            em,
            `select distinct account_id as id from ${this.pendingTable} order by 1`,
          )
        ).map((r) => r.id);
    const result: FoldResult = { accounts: 0, cents: 0 };
    for (let i = 0; i < ids.length; i += FOLD_BATCH) {
      const folded = await this.inTransaction(em, (tx) =>
        this.foldLocked(tx, ids.slice(i, i + FOLD_BATCH)),
      );
      for (const cents of folded.values()) {
        if (cents === 0) continue;
        result.accounts++;
        result.cents += cents;
      }
    }
    return result;
  }

  /**
   * Folds these accounts (in id order; `book_fold` locks each, or finds it locked by the caller
   * already) and returns the cents folded into each.
   */
  private async foldLocked(
    tx: EntityManager,
    ids: readonly string[],
  ): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await this.run<{ id: string; folded: string }[]>(
      tx,
      `select f.id, ${this.foldFunction}(f.id)::text as folded
         from unnest(?::uuid[]) with ordinality as f(id, n) order by f.n`,
      [arrayLiteral([...ids].sort())],
    );
    return new Map(rows.map((r) => [r.id, cents(r.folded)]));
  }

  /**
   * Gives accounts opened without an owner the one now asked for (the guard allows it once), and
   * makes hot those asked hot; returns every given account by code, as stored after. An account
   * claimed meanwhile by another owner is an AccountConflict.
   */
  private async claimOwners(
    em: EntityManager,
    wanted: readonly AccountFields[],
    rows: readonly AccountRow[],
  ): Promise<Map<string, Account>> {
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const claims = wanted.filter((w) => w.owner && byCode.get(w.code)?.owner_kind === null);
    if (claims.length) {
      const updated = await this.run<AccountRow[]>(
        em,
        `update ${this.accountTable} a
            set owner_kind = t.o_kind, owner_id = t.o_id, scope_id = t.o_scope
           from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as t(o_code, o_kind, o_id, o_scope)
          where a.code = t.o_code and a.owner_kind is null
          returning ${this.accountColumns}`,
        [
          arrayLiteral(claims.map((w) => w.code)),
          arrayLiteral(claims.map((w) => w.owner!.kind)),
          arrayLiteral(claims.map((w) => w.owner!.id)),
          arrayLiteral(claims.map((w) => w.owner!.scopeId ?? null)),
        ],
      );
      for (const row of updated) byCode.set(row.code, row);
      const missed = claims.filter((w) => byCode.get(w.code)?.owner_kind === null);
      if (missed.length) {
        const again = await this.run<AccountRow[]>(
          em,
          `select ${this.accountColumns} from ${this.accountTable} a where a.code = any(?::text[])`,
          [arrayLiteral(missed.map((w) => w.code))],
        );
        for (const row of again) byCode.set(row.code, row);
      }
    }
    // Then hot, where asked (the guard allows it once, alone: a second update). An account made
    // hot meanwhile by another request is simply hot.
    const heat = wanted.filter((w) => w.hot && byCode.get(w.code)?.hot === false);
    if (heat.length) {
      const updated = await this.run<AccountRow[]>(
        em,
        `update ${this.accountTable} a set hot = true
          where a.code = any(?::text[]) and not a.hot
          returning ${this.accountColumns}`,
        [arrayLiteral(heat.map((w) => w.code))],
      );
      for (const row of updated) byCode.set(row.code, row);
      const missed = heat.filter((w) => byCode.get(w.code)?.hot === false);
      if (missed.length) {
        const again = await this.run<AccountRow[]>(
          em,
          `select ${this.accountColumns} from ${this.accountTable} a where a.code = any(?::text[])`,
          [arrayLiteral(missed.map((w) => w.code))],
        );
        for (const row of again) byCode.set(row.code, row);
      }
    }
    const accounts = new Map<string, Account>();
    for (const w of wanted) {
      const row = byCode.get(w.code);
      if (!row || !isSameAccount(row, w)) throw new AccountConflict(w.code);
      accounts.set(w.code, toAccount(row));
    }
    return accounts;
  }

  /**
   * Opens many accounts at once (one INSERT ... ON CONFLICT DO NOTHING over arrays, one SELECT),
   * with the rules of `openAccount`: an account already open with the same code is returned when
   * its kind (and id, if given) match, otherwise AccountConflict. Field errors name the index
   * (`accounts.3.code`). The same code twice in the batch is one account (AccountConflict when the
   * two ask for different kinds or ids). All or nothing: a refusal opens none of the batch (in the
   * caller's transaction it runs under a savepoint, so a refusal leaves that transaction usable).
   * Returns the accounts by code (trimmed, as stored).
   */
  async openAccounts(
    em: EntityManager,
    inputs: readonly OpenAccountInput[],
  ): Promise<Map<string, Account>> {
    const check = new Check();
    if (!Array.isArray(inputs)) {
      check.add('accounts', 'Serve un elenco di conti.', 'A list of accounts is needed.');
      check.throwIfAny();
    }
    const wanted = new Map<string, AccountFields>();
    let conflict: string | null = null;
    for (const [i, input] of inputs.entries()) {
      const w = this.checkAccount(check, input ?? {}, `accounts.${i}.`);
      const twin = wanted.get(w.code);
      if (!twin) wanted.set(w.code, w);
      else if (
        twin.kind !== w.kind ||
        twin.allowNegative !== w.allowNegative ||
        (twin.id !== null && w.id !== null && twin.id !== w.id) ||
        !sameOwner(twin.owner, w.owner)
      )
        conflict ??= w.code;
      else if (
        (twin.id === null && w.id !== null) ||
        (twin.owner === null && w.owner !== null) ||
        (!twin.hot && w.hot)
      )
        wanted.set(w.code, {
          ...w,
          id: w.id ?? twin.id,
          owner: w.owner ?? twin.owner,
          hot: w.hot || twin.hot,
        });
    }
    check.throwIfAny();
    if (conflict !== null) throw new AccountConflict(conflict);
    if (wanted.size === 0) return new Map();
    const own = !em.isInTransaction();
    return this.inTransaction(em, (tx) =>
      this.underSavepoint(tx, own, 'book_open_accounts', () => this.openMany(tx, wanted)),
    );
  }

  /** The accounts of `openAccounts`, checked. */
  private async openMany(
    tx: EntityManager,
    wanted: Map<string, AccountFields>,
  ): Promise<Map<string, Account>> {
    // In code order, so that two batches opening the same new codes queue instead of deadlocking.
    const list = [...wanted.values()].sort((a, b) =>
      a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
    );
    await this.run(
      tx,
      `insert into ${this.accountTable}
         (id, code, kind, allow_negative, owner_kind, owner_id, scope_id, hot)
       select coalesce(t.id, gen_random_uuid()), t.code, t.kind, t.allow_negative,
         t.owner_kind, t.owner_id, t.scope_id, t.hot
       from unnest(?::uuid[], ?::text[], ?::text[], ?::boolean[], ?::text[], ?::text[], ?::text[],
           ?::boolean[])
         with ordinality as t(id, code, kind, allow_negative, owner_kind, owner_id, scope_id, hot, n)
       order by t.n
       on conflict do nothing`,
      [
        arrayLiteral(list.map((w) => w.id)),
        arrayLiteral(list.map((w) => w.code)),
        arrayLiteral(list.map((w) => w.kind)),
        arrayLiteral(list.map((w) => w.allowNegative)),
        arrayLiteral(list.map((w) => w.owner?.kind ?? null)),
        arrayLiteral(list.map((w) => w.owner?.id ?? null)),
        arrayLiteral(list.map((w) => w.owner?.scopeId ?? null)),
        arrayLiteral(list.map((w) => w.hot)),
      ],
    );
    const rows = await this.run<AccountRow[]>(
      tx,
      `select ${this.accountColumns} from ${this.accountTable} a where a.code = any(?::text[])`,
      [arrayLiteral(list.map((w) => w.code))],
    );
    return this.claimOwners(tx, list, rows);
  }

  /**
   * Runs `fn` as is in a transaction of the book's own (`own`: a refusal rolls it all back), or
   * under a savepoint in the caller's, rolled back when `fn` throws: the caller's transaction
   * stays usable and holds nothing of `fn`.
   */
  private async underSavepoint<T>(
    tx: EntityManager,
    own: boolean,
    name: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    if (own) return fn();
    await tx.execute(`savepoint ${name}`);
    try {
      const result = await fn();
      await tx.execute(`release savepoint ${name}`);
      return result;
    } catch (err) {
      await tx.execute(`rollback to savepoint ${name}`);
      throw err;
    }
  }

  /** The account's totals and balances. */
  async balance(em: EntityManager, accountId: string): Promise<Account> {
    const check = new Check();
    const id = check.uuid('accountId', accountId);
    check.throwIfAny();
    const [row] = await this.run<AccountRow[]>(
      em,
      `select ${this.accountColumns} from ${this.accountTable} a where a.id = ?`,
      [id],
    );
    if (!row) throw new AccountNotFound(id);
    return toAccount(row);
  }

  /**
   * The accounts of a set (by ids, codes or owner) with their totals and available balances, in
   * id order. Accounts that do not exist are left out. Reads without locking: in the caller's
   * transaction or snapshot when there is one.
   */
  async accounts(em: EntityManager, set: AccountSet): Promise<Account[]> {
    const { where, params } = this.accountSet(set, 'a.');
    const rows = await this.run<AccountRow[]>(
      em,
      `select ${this.accountColumns} from ${this.accountTable} a where ${where} order by a.id`,
      params,
    );
    return rows.map(toAccount);
  }

  /**
   * Locks the accounts of a set `FOR NO KEY UPDATE`, in id order (the order every transfer of the
   * book locks accounts in, so that lockers never deadlock with it), and returns them with what
   * they can spend now, read under the lock: until the caller's transaction ends, no transfer
   * moves their money, but for the posted credits a hot account still receives (they take no lock,
   * and only add to what it can spend). Only inside the caller's transaction (the EntityManager of
   * `em.transactional`); throws otherwise. Accounts that do not exist are left out.
   */
  async lockAccounts(tx: EntityManager, set: AccountSet): Promise<Account[]> {
    if (!tx.isInTransaction())
      throw new Error('book: lockAccounts runs inside the caller’s transaction');
    const { where, params } = this.accountSet(set, 'a.');
    const rows = await this.run<AccountRow[]>(
      tx,
      `select ${this.accountColumns} from ${this.accountTable} a where ${where}
        order by a.id for no key update of a`,
      params,
    );
    return rows.map(toAccount);
  }

  /**
   * The movements of a set of accounts (one account by `{ ids: [id] }`), newest first, a page at a
   * time: each transfer touching an account of the set, with its amount signed from that account's
   * side, whatever its status (holds and their resolutions included). Cursor: pass `next` as
   * `before`.
   */
  async statement(
    em: EntityManager,
    set: AccountSet,
    page: StatementPage = {},
  ): Promise<Statement> {
    const check = new Check();
    const limit = page.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      check.add('limit', 'Da 1 a 500.', 'From 1 to 500.');
    const before = page.before ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(before) || before < 1)
      check.add('before', 'Cursore non valido.', 'Invalid cursor.');
    const codes = this.textList(check, 'codes', page.codes, 64);
    check.throwIfAny();
    const { where, params } = this.accountSet(set, 'a.');
    const codeFilter = codes ? ` and t.code = any(?::text[])` : '';
    const side = (column: string, sign: string) =>
      `(select t.id as transfer_id, t.seq, a.id as account_id, a.code as account_code,
          a.owner_kind, a.owner_id, a.scope_id,
          case when t.debit_account_id = a.id then t.credit_account_id else t.debit_account_id end
            as counterparty_id,
          ${sign}t.amount as signed, t.status, t.pending_id, t.expires_at, t.code, t.reference,
          t.created_at
        from acc a join ${this.transferTable} t on t.${column} = a.id
       where t.seq < ?${codeFilter}
       order by t.seq desc limit ${limit + 1})`;
    const sideParams = [before, ...(codes ? [arrayLiteral(codes)] : [])];
    const rows = await this.run<MovementRow[]>(
      em,
      `with acc as (select a.id, a.code, a.owner_kind, a.owner_id, a.scope_id
                      from ${this.accountTable} a where ${where})
       select m.transfer_id, m.seq::text as seq, m.account_id, m.account_code, m.owner_kind,
         m.owner_id, m.scope_id, m.counterparty_id, m.signed::text as signed, m.status,
         m.pending_id, (extract(epoch from m.expires_at) * 1000)::float8 as expires_ms, m.code,
         m.reference, (extract(epoch from m.created_at) * 1000)::float8 as created_ms
       from (${side('debit_account_id', '-')} union all ${side('credit_account_id', '')}) m
       order by m.seq desc, m.signed limit ${limit + 2}`,
      [...params, ...sideParams, ...sideParams],
    );
    const all = rows.map((r): Movement => ({
      transferId: r.transfer_id,
      seq: cents(r.seq),
      accountId: r.account_id,
      accountCode: r.account_code,
      accountOwner: toOwner(r),
      counterpartyId: r.counterparty_id,
      amount: cents(r.signed),
      status: r.status,
      pendingId: r.pending_id,
      expiresAt: r.expires_ms === null ? null : new Date(r.expires_ms),
      code: r.code,
      reference: r.reference,
      createdAt: new Date(r.created_ms),
    }));
    const items = all.slice(0, limit);
    // The other side of a transfer within the set stays on the same page as its first side.
    const last = items[items.length - 1];
    if (last && all[limit]?.seq === last.seq) items.push(all[limit]);
    return { items, next: all.length > items.length && last ? last.seq : null };
  }

  /**
   * Totals of the accounts of an owner filter, from the indexed owner columns: one row per owner
   * (`by: 'owner'`, the default: kind and id, all its scopes together) or per scope (`by: 'scope'`:
   * kind and scope id, all its owners together; accounts without a scope are left out). Owners
   * or scopes without accounts have no row. Ordered by owner (or scope) id.
   */
  async ownerTotals(
    em: EntityManager,
    filter: OwnerFilter,
    options: { by?: 'owner' | 'scope' } = {},
  ): Promise<OwnerTotal[]> {
    const by = options.by ?? 'owner';
    const { where, params } = this.accountSet({ owner: filter }, 'a.');
    const key = by === 'owner' ? 'a.owner_id' : 'a.scope_id';
    const rows = await this.run<
      {
        owner_kind: string;
        key: string;
        accounts: string;
        dp: string;
        cp: string;
        dpe: string;
        cpe: string;
      }[]
    >(
      em,
      `select a.owner_kind, ${key} as key, count(*)::text as accounts,
         sum(a.debits_posted)::text as dp, sum(a.credits_posted + ${this.unfolded('a')})::text as cp,
         sum(a.debits_pending)::text as dpe, sum(a.credits_pending)::text as cpe
       from ${this.accountTable} a
       where ${where}${by === 'scope' ? ' and a.scope_id is not null' : ''}
       group by a.owner_kind, ${key} order by ${key}`,
      params,
    );
    return rows.map((r) => {
      const debitsPosted = cents(r.dp);
      const creditsPosted = cents(r.cp);
      const debitsPending = cents(r.dpe);
      return {
        ownerKind: r.owner_kind,
        ownerId: by === 'owner' ? r.key : null,
        scopeId: by === 'scope' ? r.key : null,
        accounts: cents(r.accounts),
        debitsPosted,
        creditsPosted,
        debitsPending,
        creditsPending: cents(r.cpe),
        posted: creditsPosted - debitsPosted,
        available: creditsPosted - debitsPosted - debitsPending,
      };
    });
  }

  /**
   * Sums of the posted movements of a set of accounts by transfer code, per account (default),
   * per transfer reference, or for the whole set (see `MovementTotalsQuery`), read through the
   * transfers' account indexes. Ordered by account id (or reference), then code.
   */
  async movementTotals(
    em: EntityManager,
    set: AccountSet,
    query: MovementTotalsQuery = {},
  ): Promise<MovementTotal[]> {
    const check = new Check();
    const codes = this.textList(check, 'codes', query.codes, 64);
    const prefix =
      query.referencePrefix === undefined
        ? null
        : check.text('referencePrefix', query.referencePrefix, 500);
    check.throwIfAny();
    const by = query.by ?? 'account';
    const { where, params } = this.accountSet(set, 'a.');
    const { filter, filterParams } = postedMovements(codes, prefix);
    const key = {
      account: 'account_id',
      owner: 'owner_id',
      scope: 'scope_id',
      reference: 'reference',
      set: 'null::text',
    }[by];
    const rows = await this.run<
      {
        key: string | null;
        code: string | null;
        debits: string;
        credits: string;
        n: string;
        first_ms: number;
        last_ms: number;
      }[]
    >(
      em,
      `with acc as (select a.id, a.owner_id, a.scope_id from ${this.accountTable} a where ${where}),
       m as (
         select a.id as account_id, a.owner_id, a.scope_id, t.code, t.reference, t.amount as debit,
           0::bigint as credit, t.created_at
           from acc a join ${this.transferTable} t on t.debit_account_id = a.id where ${filter}
         union all
         select a.id, a.owner_id, a.scope_id, t.code, t.reference, 0::bigint, t.amount, t.created_at
           from acc a join ${this.transferTable} t on t.credit_account_id = a.id where ${filter}
       )
       select ${key} as key, code, sum(debit)::text as debits, sum(credit)::text as credits,
         count(*)::text as n, (extract(epoch from min(created_at)) * 1000)::float8 as first_ms,
         (extract(epoch from max(created_at)) * 1000)::float8 as last_ms
       from m group by 1, 2 order by 1, 2`,
      [...params, ...filterParams, ...filterParams],
    );
    return rows.map((r) => {
      const debits = cents(r.debits);
      const credits = cents(r.credits);
      return {
        accountId: by === 'account' ? r.key : null,
        ownerKey: by === 'owner' || by === 'scope' ? r.key : null,
        reference: by === 'reference' ? r.key : null,
        code: r.code,
        debits,
        credits,
        net: credits - debits,
        count: cents(r.n),
        firstAt: new Date(r.first_ms),
        lastAt: new Date(r.last_ms),
      };
    });
  }

  /**
   * Sums of the posted movements of a set of accounts (as `movementTotals`), grouped by any
   * combination of keys (`MovementKey`): e.g. by counterparty owner and day for a shop's daily
   * takings from a campaign's cards, or by transfer to list each movement with its counterparty's
   * owner. One query, read through the transfers' account indexes (the counterparty through the
   * accounts' primary key); filters by code, reference prefix and time. Ordered by the keys, in
   * this order: account, owner, scope, counterparty, counterpartyOwner, code, reference, day,
   * transfer.
   */
  async movementGroups(
    em: EntityManager,
    set: AccountSet,
    query: MovementGroupsQuery,
  ): Promise<MovementGroup[]> {
    const check = new Check();
    const codes = this.textList(check, 'codes', query?.codes, 64);
    const prefix =
      query?.referencePrefix === undefined
        ? null
        : check.text('referencePrefix', query.referencePrefix, 500);
    const instant = (field: 'from' | 'until'): string | null => {
      const at = query?.[field];
      if (at === undefined || at === null) return null;
      if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
        check.add(field, 'Un istante valido.', 'A valid instant.');
        return null;
      }
      return at.toISOString();
    };
    const from = instant('from');
    const until = instant('until');
    const timeZone = query?.timeZone ?? 'UTC';
    if (!validTimeZone(timeZone))
      check.add('timeZone', 'Fuso orario non valido.', 'Invalid time zone.');
    const keys: readonly MovementKey[] | null = Array.isArray(query?.by) ? query.by : null;
    if (!keys || keys.some((k) => !MOVEMENT_KEYS.includes(k)))
      check.add('by', `Tra: ${MOVEMENT_KEYS.join(', ')}.`, `Among: ${MOVEMENT_KEYS.join(', ')}.`);
    check.throwIfAny();
    const by = new Set(keys);
    const { where, params } = this.accountSet(set, 'a.');
    const posted = postedMovements(codes, prefix);
    const filterParams = posted.filterParams;
    let filter = posted.filter;
    if (from !== null) {
      filter += ` and t.created_at >= ?::timestamptz`;
      filterParams.push(from);
    }
    if (until !== null) {
      filter += ` and t.created_at < ?::timestamptz`;
      filterParams.push(until);
    }
    const chosen = MOVEMENT_KEYS.filter((k) => by.has(k));
    const select = chosen.flatMap((k) =>
      MOVEMENT_COLUMNS[k].map((expr, i) => `${expr} as ${MOVEMENT_NAMES[k][i]}`),
    );
    const positions = select.map((_, i) => i + 1);
    const rows = await this.run<MovementGroupRow[]>(
      em,
      `with acc as (select a.id, a.owner_id, a.scope_id from ${this.accountTable} a where ${where}),
       m as (
         select a.id as account_id, a.owner_id, a.scope_id, t.id as transfer_id, t.code, t.reference,
           t.credit_account_id as counterparty_id, t.amount as debit, 0::bigint as credit, t.created_at
           from acc a join ${this.transferTable} t on t.debit_account_id = a.id where ${filter}
         union all
         select a.id, a.owner_id, a.scope_id, t.id, t.code, t.reference, t.debit_account_id, 0::bigint,
           t.amount, t.created_at
           from acc a join ${this.transferTable} t on t.credit_account_id = a.id where ${filter}
       )
       select ${[...select, ''].join(', ')}sum(m.debit)::text as debits, sum(m.credit)::text as credits,
         count(*)::text as n, (extract(epoch from min(m.created_at)) * 1000)::float8 as first_ms,
         (extract(epoch from max(m.created_at)) * 1000)::float8 as last_ms
       from m${by.has('counterpartyOwner') ? ` left join ${this.accountTable} c on c.id = m.counterparty_id` : ''}
       ${positions.length ? `group by ${positions.join(', ')} order by ${positions.join(', ')}` : 'having count(*) > 0'}`,
      [...params, ...filterParams, ...filterParams, ...(by.has('day') ? [timeZone] : [])],
    );
    return rows.map(toMovementGroup);
  }

  /** The transfers with these ids (those that exist), in insertion order. */
  async transfersById(em: EntityManager, ids: readonly string[]): Promise<Transfer[]> {
    const check = new Check();
    const list = this.uuidList(check, 'ids', ids);
    check.throwIfAny();
    if (!list.length) return [];
    const rows = await this.run<TransferRow[]>(
      em,
      `select ${TRANSFER_COLUMNS} from ${this.transferTable} where id = any(?::uuid[]) order by seq`,
      [arrayLiteral(list)],
    );
    return rows.map(toTransfer);
  }

  /**
   * Runs `fn` on one consistent snapshot of the book (and of every table of the database): a
   * read-only REPEATABLE READ transaction of its own, whose EntityManager `fn` passes to the book's
   * reads and uses for its own queries, so that figures read by several queries add up even while
   * payments go on. Inside a transaction already, `fn` runs in it (its isolation is the caller's).
   */
  async snapshot<T>(em: EntityManager, fn: (view: EntityManager) => Promise<T>): Promise<T> {
    if (em.isInTransaction()) return fn(em);
    return em.transactional(fn, {
      clear: true,
      readOnly: true,
      isolationLevel: IsolationLevel.REPEATABLE_READ,
    });
  }

  /** The WHERE condition (columns prefixed by `alias`) and parameters of an account set. */
  private accountSet(set: AccountSet, alias: string): { where: string; params: unknown[] } {
    const check = new Check();
    let result: { where: string; params: unknown[] } | null = null;
    if (set && 'ids' in set) {
      const ids = this.uuidList(check, 'ids', set.ids);
      result = { where: `${alias}id = any(?::uuid[])`, params: [arrayLiteral(ids)] };
    } else if (set && 'codes' in set) {
      const codes = this.textList(check, 'codes', set.codes, 200) ?? [];
      result = { where: `${alias}code = any(?::text[])`, params: [arrayLiteral(codes)] };
    } else if (set && 'owner' in set && set.owner) {
      const o = set.owner;
      const kind = check.text('owner.kind', o.kind, OWNER_KIND_MAX);
      if (o.kind === undefined || o.kind === null)
        check.add('owner.kind', 'Da 1 a 50 caratteri.', 'From 1 to 50 characters.');
      const conditions = [`${alias}owner_kind = ?`];
      const params: unknown[] = [kind];
      const ids = this.textList(check, 'owner.ids', o.ids, OWNER_ID_MAX);
      if (ids) {
        conditions.push(`${alias}owner_id = any(?::text[])`);
        params.push(arrayLiteral(ids));
      }
      const scopes = this.textList(check, 'owner.scopeIds', o.scopeIds, OWNER_ID_MAX);
      if (scopes) {
        conditions.push(`${alias}scope_id = any(?::text[])`);
        params.push(arrayLiteral(scopes));
      }
      if (o.accountKind !== undefined) {
        conditions.push(`${alias}kind = ?`);
        params.push(check.text('owner.accountKind', o.accountKind, 50));
      }
      result = { where: conditions.join(' and '), params };
    } else {
      check.add('accounts', 'Conti per id, codice o titolare.', 'Accounts by id, code or owner.');
    }
    check.throwIfAny();
    return result!;
  }

  /** A list of uuids, lower-cased; problems go to `check`. */
  private uuidList(check: Check, field: string, values: unknown): string[] {
    if (!Array.isArray(values)) {
      check.add(field, 'Serve un elenco.', 'A list is needed.');
      return [];
    }
    return values.map((v, i) => check.uuid(`${field}.${i}`, v));
  }

  /** A list of texts of 1..max characters, or undefined when not given; problems go to `check`. */
  private textList(
    check: Check,
    field: string,
    values: unknown,
    max: number,
  ): string[] | undefined {
    if (values === undefined || values === null) return undefined;
    if (!Array.isArray(values)) {
      check.add(field, 'Serve un elenco.', 'A list is needed.');
      return [];
    }
    return values.map((v, i) => {
      const text = check.text(`${field}.${i}`, v, max);
      if (v === undefined || v === null)
        check.add(`${field}.${i}`, `Da 1 a ${max} caratteri.`, `From 1 to ${max} characters.`);
      return text ?? '';
    });
  }

  /**
   * A single-phase transfer, POSTED at once. Locks the debit account, and the credit account unless
   * it is hot (then its credit is appended to the pending credits, and concurrent transfers to it
   * do not queue on it); a hot debit account is folded first, so that it can spend every credit it
   * received.
   */
  async transfer(em: EntityManager, input: TransferInput): Promise<Transfer> {
    const wanted = this.checkTransfer(input);
    return this.inTransaction(em, (tx) => this.apply(tx, wanted, null));
  }

  /**
   * Many single-phase transfers, POSTED at once, all or nothing, in a constant number of queries:
   * every account involved locked once in id order (but hot accounts the batch only credits, as in
   * `transfer`), the ids already applied read in one query, one `INSERT ... SELECT FROM unnest(...)`
   * (the book's statement trigger keeps the totals).
   *
   * The rules of `transfer`, for the batch as a whole: field errors name the index
   * (`transfers.3.amount`; a bad amount is an InvalidBookInput here) and an id repeated in the batch
   * is refused; an id already applied with the same fields is returned as it is, with other fields
   * it is a TransferConflict; each debit account's available balance must cover the SUM of its new
   * debits in the batch (credits it receives in the same batch do not count), otherwise
   * InsufficientFunds names the account, its available balance and that sum. A refused batch
   * writes nothing; in the caller's transaction the batch runs under a savepoint, so a refusal
   * leaves that transaction usable. Returns the transfers in the order given.
   */
  async transferMany(em: EntityManager, inputs: readonly TransferInput[]): Promise<Transfer[]> {
    const wanted = this.checkTransfers(inputs);
    if (wanted.length === 0) return [];
    const own = !em.isInTransaction();
    return this.inTransaction(em, (tx) => this.applyMany(tx, wanted, own));
  }

  /**
   * The first phase of a two-phase transfer: reserves the amount on the debit account (its available
   * balance drops, its posted balance does not) until the hold is posted, voided or expired. Locks
   * both accounts, hot or not (a hold changes the credit account's `creditsPending`); only its
   * post's credit to a hot account is appended rather than written to the row.
   */
  async hold(em: EntityManager, input: HoldInput): Promise<Transfer> {
    const wanted = this.checkTransfer(input);
    const timeout = input.timeoutSeconds;
    if (
      typeof timeout !== 'number' ||
      !Number.isInteger(timeout) ||
      timeout < 1 ||
      timeout > MAX_HOLD_SECONDS
    ) {
      throw new InvalidBookInput([
        {
          field: 'timeoutSeconds',
          message: {
            it: `Un numero intero di secondi da 1 a ${MAX_HOLD_SECONDS}.`,
            en: `A whole number of seconds from 1 to ${MAX_HOLD_SECONDS}.`,
          },
        },
      ]);
    }
    return this.inTransaction(em, (tx) =>
      this.apply(tx, wanted, new Date(this.now().getTime() + timeout * 1000)),
    );
  }

  /** Posts a pending hold, all of it or a part (the rest returns to the debit account). */
  async post(em: EntityManager, input: PostInput): Promise<Transfer> {
    const check = new Check();
    const fields = this.postFields(check, input);
    check.throwIfAny();
    const amount = input.amount === undefined ? undefined : checkAmount(input.amount);
    return this.inTransaction(em, (tx) =>
      this.resolve(tx, { ...fields, status: 'POSTED', amount }),
    );
  }

  /** The fields of a post but its amount; problems go to `check`. */
  private postFields(check: Check, input: PostInput) {
    const id = check.uuid('id', input.id);
    const pendingId = check.uuid('pendingId', input.pendingId);
    const code = check.text('code', input.code, 64);
    const reference = check.text('reference', input.reference, 500);
    return { id, pendingId, code, reference };
  }

  /**
   * Money issued against euro received (a book with a reserve only, see `BookOptions.reserve`): a
   * single-phase transfer whose DEBIT account is an issuer (`ISSUER` kind) and, in the same
   * transaction, its reserve entry of `+amount`, `reserveReference` naming the euro movement. The
   * rules of `transfer`: idempotent by id (a replay with the same fields, the reserve reference
   * included, returns the transfer and its entry; other fields are a TransferConflict). An
   * InvalidBookInput names `debit` when it is not an issuer account, `credit` when it is one too.
   */
  async issue(em: EntityManager, input: ReserveTransferInput): Promise<ReserveMovement> {
    return this.reserveTransfer(em, input, 'debit');
  }

  /**
   * Money destroyed against euro paid out (a book with a reserve only): a single-phase transfer
   * whose CREDIT account is an issuer and its reserve entry of `-amount`. The rules of `issue`,
   * sides swapped (a hot issuer's credit is appended, as any credit to a hot account).
   */
  async redeem(em: EntityManager, input: ReserveTransferInput): Promise<ReserveMovement> {
    return this.reserveTransfer(em, input, 'credit');
  }

  /**
   * Posts a hold whose CREDIT account is an issuer (a conversion to euro held while it is approved)
   * and writes its reserve entry of `-posted amount` (a book with a reserve only). The rules of
   * `post` (idempotent by id, the reserve reference included); an InvalidBookInput names
   * `pendingId` when the hold does not credit an issuer, or debits one. Voiding such a hold, or
   * its expiry, is a plain `void` (it moves no money, so no reserve).
   */
  async postRedemption(em: EntityManager, input: ReservePostInput): Promise<ReserveMovement> {
    this.needsReserve('postRedemption');
    const check = new Check();
    const fields = this.postFields(check, input);
    const reserveReference = this.reserveReference(check, input);
    check.throwIfAny();
    const amount = input.amount === undefined ? undefined : checkAmount(input.amount);
    return this.inTransaction(em, async (tx) => {
      const hold = await this.findTransfer(tx, fields.pendingId);
      if (hold) {
        const sides = await this.issuerSides(tx, hold.debitAccountId, hold.creditAccountId);
        if (sides.credit === false || sides.debit === true)
          throw new InvalidBookInput([
            {
              field: 'pendingId',
              message: {
                it: "La prenotazione deve accreditare un conto dell'emittente e addebitarne uno che non lo è.",
                en: 'The hold must credit an issuer account and debit one that is not.',
              },
            },
          ]);
      }
      const transfer = await this.resolve(tx, { ...fields, status: 'POSTED', amount });
      const entry = await this.addEntry(
        tx,
        transfer.id,
        transfer.creditAccountId,
        -transfer.amount,
        reserveReference,
      );
      return { transfer, entry };
    });
  }

  /**
   * Each issuer account's reserve (the sum of its entries) and circulation (`debitsPosted -
   * creditsPosted`, its credits not yet folded counted), read in one statement: all issuer
   * accounts, or those of `issuerAccountIds` (ids of other accounts are left out). By code. A book
   * with a reserve only.
   */
  async reserveTotals(
    em: EntityManager,
    issuerAccountIds?: readonly string[],
  ): Promise<ReserveTotal[]> {
    this.needsReserve('reserveTotals');
    const check = new Check();
    const ids =
      issuerAccountIds === undefined
        ? null
        : this.uuidList(check, 'issuerAccountIds', issuerAccountIds);
    check.throwIfAny();
    return this.reserveTotalsOf(em, ids);
  }

  /** The reserve entries of these transfers (those that have one), oldest first. */
  async reserveEntries(em: EntityManager, transferIds: readonly string[]): Promise<ReserveEntry[]> {
    this.needsReserve('reserveEntries');
    const check = new Check();
    const ids = this.uuidList(check, 'transferIds', transferIds);
    check.throwIfAny();
    if (!ids.length) return [];
    const rows = await this.run<EntryRow[]>(
      em,
      `select ${ENTRY_COLUMNS} from ${this.reserveTable} where transfer_id = any(?::uuid[])
        order by created_at, transfer_id`,
      [arrayLiteral(ids)],
    );
    return rows.map(toEntry);
  }

  /** `issue` (the issuer debited) or `redeem` (credited). */
  private async reserveTransfer(
    em: EntityManager,
    input: ReserveTransferInput,
    issuerSide: 'debit' | 'credit',
  ): Promise<ReserveMovement> {
    this.needsReserve(issuerSide === 'debit' ? 'issue' : 'redeem');
    const check = new Check();
    const fields = this.transferFields(check, input, '');
    const reserveReference = this.reserveReference(check, input);
    check.throwIfAny();
    const wanted = { ...fields, amount: checkAmount(input.amount) };
    const otherSide = issuerSide === 'debit' ? 'credit' : 'debit';
    return this.inTransaction(em, async (tx) => {
      // Kinds never change: read without locks, before `apply` locks the accounts. An account
      // that does not exist is left to `apply` (a replay first, else AccountNotFound).
      const sides = await this.issuerSides(tx, wanted.debit, wanted.credit);
      const bad = new Check();
      if (sides[issuerSide] === false)
        bad.add(issuerSide, "Deve essere un conto dell'emittente.", 'Must be an issuer account.');
      if (sides[otherSide] === true)
        bad.add(
          otherSide,
          "Non può essere anche un conto dell'emittente.",
          'Cannot be an issuer account too.',
        );
      bad.throwIfAny();
      const transfer = await this.apply(tx, wanted, null);
      const entry = await this.addEntry(
        tx,
        transfer.id,
        issuerSide === 'debit' ? transfer.debitAccountId : transfer.creditAccountId,
        issuerSide === 'debit' ? transfer.amount : -transfer.amount,
        reserveReference,
      );
      return { transfer, entry };
    });
  }

  /** Whether each account is an issuer account; undefined for one that does not exist. */
  private async issuerSides(
    tx: EntityManager,
    debit: string,
    credit: string,
  ): Promise<{ debit?: boolean; credit?: boolean }> {
    const rows = await this.run<{ id: string; kind: string }[]>(
      tx,
      `select id, kind from ${this.accountTable} where id = any(?::uuid[])`,
      [arrayLiteral([debit, credit])],
    );
    const kinds = new Map(rows.map((r) => [r.id, r.kind === ISSUER_KIND]));
    return { debit: kinds.get(debit), credit: kinds.get(credit) };
  }

  /**
   * The reserve entry of a transfer just applied (or replayed): inserted, or the one already there
   * when it is the same (else TransferConflict). The database checks it against its transfer at
   * commit.
   */
  private async addEntry(
    tx: EntityManager,
    transferId: string,
    issuerAccountId: string,
    amount: number,
    reference: string,
  ): Promise<ReserveEntry> {
    const [row] = await this.run<EntryRow[]>(
      tx,
      `insert into ${this.reserveTable} (transfer_id, issuer_account_id, amount, reference)
       values (?, ?, ?, ?)
       on conflict (transfer_id) do nothing
       returning ${ENTRY_COLUMNS}`,
      [transferId, issuerAccountId, amount, reference],
    );
    if (row) return toEntry(row);
    const [found] = await this.run<EntryRow[]>(
      tx,
      `select ${ENTRY_COLUMNS} from ${this.reserveTable} where transfer_id = ?`,
      [transferId],
    );
    if (!found) throw new Error(`book: reserve entry of ${transferId} neither inserted nor found`);
    const entry = toEntry(found);
    if (
      entry.issuerAccountId !== issuerAccountId ||
      entry.amount !== amount ||
      entry.reference !== reference
    )
      throw new TransferConflict(transferId);
    return entry;
  }

  /** The reserve reference of an input, trimmed; problems go to `check`. */
  private reserveReference(check: Check, input: Partial<ReserveFields>): string {
    const value = typeof input.reserveReference === 'string' ? input.reserveReference.trim() : '';
    if (value.length < 1 || value.length > 500)
      check.add('reserveReference', 'Da 1 a 500 caratteri.', 'From 1 to 500 characters.');
    return value;
  }

  /** Throws unless the book has a reserve. */
  private needsReserve(method: string): void {
    if (!this.reserve)
      throw new Error(
        `book: ${method} needs a book with a reserve (new Book(schema, { reserve: true }), bookReserveSql)`,
      );
  }

  /** Each issuer account's reserve and circulation (of `ids` only, when given), by code. */
  private async reserveTotalsOf(
    em: EntityManager,
    ids: readonly string[] | null,
  ): Promise<ReserveTotal[]> {
    const rows = await this.run<
      { id: string; code: string; reserve: string; circulation: string }[]
    >(
      em,
      `select a.id, a.code,
         coalesce((select sum(e.amount) from ${this.reserveTable} e where e.issuer_account_id = a.id), 0)::text
           as reserve,
         (a.debits_posted - a.credits_posted - ${this.unfolded('a')})::text as circulation
       from ${this.accountTable} a
       where a.kind = '${ISSUER_KIND}'${ids ? ' and a.id = any(?::uuid[])' : ''}
       order by a.code`,
      ids ? [arrayLiteral(ids)] : [],
    );
    return rows.map((r) => ({
      issuerAccountId: r.id,
      code: r.code,
      reserve: cents(r.reserve),
      circulation: cents(r.circulation),
    }));
  }

  /**
   * Reserve entries that are not what their transfer moves, and posted transfers moving an issuer
   * without their entry (the database refuses both at commit; this finds what DDL let through).
   */
  private async badReserveEntries(
    tx: EntityManager,
  ): Promise<NonNullable<InvariantReport['badReserveEntries']>> {
    const A = this.accountTable;
    const T = this.transferTable;
    const E = this.reserveTable;
    const rows = await this.run<{ id: string; problem: string }[]>(
      tx,
      `select e.transfer_id as id, case
           when t.status <> 'POSTED' or t.expires_at is not null then 'a reserve entry of a transfer that posted nothing'
           when a.kind <> '${ISSUER_KIND}' then 'a reserve entry on an account that is not an issuer'
           else 'a reserve entry that is not what its transfer moves'
         end as problem
       from ${E} e join ${T} t on t.id = e.transfer_id join ${A} a on a.id = e.issuer_account_id
       where t.status <> 'POSTED' or t.expires_at is not null or a.kind <> '${ISSUER_KIND}'
         or not ((e.issuer_account_id = t.debit_account_id and e.amount = t.amount)
           or (e.issuer_account_id = t.credit_account_id and e.amount = -t.amount))
       union all
       select t.id, 'a posted transfer that moves an issuer without its reserve entry'
       from ${T} t
       where t.status = 'POSTED' and t.expires_at is null
         and exists (select 1 from ${A} a
                      where a.kind = '${ISSUER_KIND}' and a.id in (t.debit_account_id, t.credit_account_id))
         and not exists (select 1 from ${E} e where e.transfer_id = t.id)
       order by 1`,
    );
    return rows.map((r) => ({ transferId: r.id, problem: r.problem }));
  }

  /** Voids a pending hold: the whole amount returns to the debit account. */
  async void(em: EntityManager, input: VoidInput): Promise<Transfer> {
    const check = new Check();
    const id = check.uuid('id', input.id);
    const pendingId = check.uuid('pendingId', input.pendingId);
    const code = check.text('code', input.code, 64);
    const reference = check.text('reference', input.reference, 500);
    check.throwIfAny();
    return this.inTransaction(em, (tx) =>
      this.resolve(tx, { id, pendingId, status: 'VOIDED', amount: undefined, code, reference }),
    );
  }

  /**
   * Expires every pending hold whose expiry is at or before `now` (by inserting an EXPIRED
   * resolution for each, with a generated id) and returns how many. Holds locked by a concurrent
   * post or void are skipped: that one decides them. Safe to run from several workers at once.
   */
  async expire(em: EntityManager, now: Date = this.now()): Promise<number> {
    const at = now.toISOString();
    let total = 0;
    for (;;) {
      const count = await this.inTransaction(em, async (tx) => {
        const holds = await this.run<
          { id: string; debit_account_id: string; credit_account_id: string }[]
        >(
          tx,
          `select id, debit_account_id, credit_account_id from ${this.transferTable}
           where status = 'PENDING' and expires_at <= ?::timestamptz
           order by expires_at, id limit ${EXPIRE_BATCH}
           for no key update skip locked`,
          [at],
        );
        if (!holds.length) return 0;
        const accounts = [
          ...new Set(holds.flatMap((h) => [h.debit_account_id, h.credit_account_id])),
        ];
        await this.run(
          tx,
          `select 1 from ${this.accountTable} where id = any(?::uuid[]) order by id for no key update`,
          [arrayLiteral(accounts)],
        );
        const inserted = await this.run<{ id: string }[]>(
          tx,
          `insert into ${this.transferTable}
             (id, debit_account_id, credit_account_id, amount, status, pending_id, code, reference)
           select gen_random_uuid(), debit_account_id, credit_account_id, amount, 'EXPIRED', id, code, reference
           from ${this.transferTable} where id = any(?::uuid[]) and status = 'PENDING'
           returning id`,
          [arrayLiteral(holds.map((h) => h.id))],
        );
        return inserted.length;
      });
      total += count;
      if (count < EXPIRE_BATCH) return total;
    }
  }

  /** The account's transfers, newest first, a page at a time. */
  async transfers(
    em: EntityManager,
    accountId: string,
    page: TransferPage = {},
  ): Promise<TransferList> {
    const check = new Check();
    const id = check.uuid('accountId', accountId);
    const limit = page.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      check.add('limit', 'Da 1 a 500.', 'From 1 to 500.');
    const before = page.before ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(before) || before < 1)
      check.add('before', 'Cursore non valido.', 'Invalid cursor.');
    check.throwIfAny();
    await this.balance(em, id);
    const rows = await this.run<TransferRow[]>(
      em,
      `select ${TRANSFER_COLUMNS} from (
         (select * from ${this.transferTable} where debit_account_id = ? and seq < ? order by seq desc limit ${limit})
         union all
         (select * from ${this.transferTable} where credit_account_id = ? and seq < ? order by seq desc limit ${limit})
       ) t order by seq desc limit ${limit}`,
      [id, before, id, before],
    );
    const items = rows.map(toTransfer);
    const last = items[items.length - 1];
    return { items, next: items.length === limit && last ? last.seq : null };
  }

  /**
   * Checks the whole book on one snapshot: debits equal credits (posted and pending), each
   * account's columns equal the sums of its transfers, no account but the issuer's below zero, each
   * hold's status agrees with its one resolution, each pending credit is the posted credit of its
   * transfer to a hot account. An account's posted credits are its row's and its pending credits
   * together (folded or not, the same money). Read-only.
   */
  async checkInvariants(em: EntityManager): Promise<InvariantReport> {
    const run = (tx: EntityManager) => this.invariants(tx);
    if (em.isInTransaction()) return run(em);
    return em.transactional(run, {
      clear: true,
      readOnly: true,
      isolationLevel: IsolationLevel.REPEATABLE_READ,
    });
  }

  private async invariants(tx: EntityManager): Promise<InvariantReport> {
    const { accounts, totals } = await this.accountTotals(tx);
    const { transfers, transferTotals } = await this.transferTotals(tx);
    const mismatchedAccounts = await this.mismatchedAccounts(tx);
    const negativeAccounts = await this.negativeAccounts(tx);
    const badPendingCredits = await this.badPendingCredits(tx);
    const badHolds = await this.badHolds(tx);
    const checked = {
      accounts,
      transfers,
      totals,
      transferTotals,
      mismatchedAccounts,
      negativeAccounts,
      badHolds,
      badPendingCredits,
      ...(this.reserve
        ? {
            reserveMismatches: (await this.reserveTotalsOf(tx, null)).filter(
              (r) => r.reserve !== r.circulation,
            ),
            badReserveEntries: await this.badReserveEntries(tx),
          }
        : {}),
    };
    const problems = invariantProblems(checked);
    return { ok: problems.length === 0, ...checked, problems };
  }

  /**
   * Every account's pending credits, hot or not (a cold account's would be a problem, reported by
   * `badPendingCredits`, but still money of the book): a subquery by `account_id`.
   */
  private unfoldedCredits(): string {
    return `(select account_id, sum(amount) as total from ${this.pendingTable} group by account_id)`;
  }

  /** Sums over the accounts' columns, the credits not yet folded counted as posted. */
  private async accountTotals(
    tx: EntityManager,
  ): Promise<Pick<InvariantReport, 'accounts' | 'totals'>> {
    const A = this.accountTable;
    const P = this.pendingTable;
    const [totals] = await this.run<
      {
        accounts: string;
        dp: string | null;
        cp: string | null;
        dpe: string | null;
        cpe: string | null;
        unfolded: string;
      }[]
    >(
      tx,
      `select count(*)::text as accounts, sum(a.debits_posted)::text as dp,
         (sum(a.credits_posted) + u.total)::text as cp,
         sum(a.debits_pending)::text as dpe, sum(a.credits_pending)::text as cpe,
         u.total::text as unfolded
       from ${A} a, (select coalesce(sum(amount), 0) as total from ${P}) u
       group by u.total`,
    );
    return {
      accounts: cents(totals?.accounts ?? 0),
      totals: {
        debitsPosted: cents(totals?.dp ?? 0),
        creditsPosted: cents(totals?.cp ?? 0),
        debitsPending: cents(totals?.dpe ?? 0),
        creditsPending: cents(totals?.cpe ?? 0),
        unfoldedCredits: cents(totals?.unfolded ?? 0),
      },
    };
  }

  /** Sums over the transfers: posted movements, and holds still pending. */
  private async transferTotals(
    tx: EntityManager,
  ): Promise<Pick<InvariantReport, 'transfers' | 'transferTotals'>> {
    const T = this.transferTable;
    const [moved] = await this.run<
      { transfers: string; posted: string | null; pending: string | null }[]
    >(
      tx,
      `select count(*)::text as transfers,
         (sum(amount) filter (where status = 'POSTED' and expires_at is null))::text as posted,
         (sum(amount) filter (where status = 'PENDING'))::text as pending
       from ${T}`,
    );
    return {
      transfers: cents(moved?.transfers ?? 0),
      transferTotals: { posted: cents(moved?.posted ?? 0), pending: cents(moved?.pending ?? 0) },
    };
  }

  /** Accounts whose columns differ from the sums of their transfers. */
  private async mismatchedAccounts(
    tx: EntityManager,
  ): Promise<InvariantReport['mismatchedAccounts']> {
    const A = this.accountTable;
    const T = this.transferTable;
    const mismatched = await this.run<
      {
        id: string;
        code: string;
        dp: string;
        cp: string;
        dpe: string;
        cpe: string;
        sdp: string;
        scp: string;
        sdpe: string;
        scpe: string;
      }[]
    >(
      tx,
      `with moves as (
         select debit_account_id as account_id,
           case when status = 'POSTED' and expires_at is null then amount else 0 end as dp, 0 as cp,
           case when status = 'PENDING' then amount else 0 end as dpe, 0 as cpe
         from ${T}
         union all
         select credit_account_id, 0, case when status = 'POSTED' and expires_at is null then amount else 0 end,
           0, case when status = 'PENDING' then amount else 0 end
         from ${T}
       ), sums as (
         select account_id, sum(dp) as dp, sum(cp) as cp, sum(dpe) as dpe, sum(cpe) as cpe
         from moves group by account_id
       )
       select a.id, a.code, a.debits_posted::text as dp,
         (a.credits_posted + coalesce(u.total, 0))::text as cp,
         a.debits_pending::text as dpe, a.credits_pending::text as cpe,
         coalesce(s.dp, 0)::text as sdp, coalesce(s.cp, 0)::text as scp,
         coalesce(s.dpe, 0)::text as sdpe, coalesce(s.cpe, 0)::text as scpe
       from ${A} a left join sums s on s.account_id = a.id left join ${this.unfoldedCredits()} u on u.account_id = a.id
       where a.debits_posted <> coalesce(s.dp, 0)
         or a.credits_posted + coalesce(u.total, 0) <> coalesce(s.cp, 0)
         or a.debits_pending <> coalesce(s.dpe, 0) or a.credits_pending <> coalesce(s.cpe, 0)
       order by a.code`,
    );
    return mismatched.map((m) => ({
      accountId: m.id,
      code: m.code,
      stored: [cents(m.dp), cents(m.cp), cents(m.dpe), cents(m.cpe)],
      computed: [cents(m.sdp), cents(m.scp), cents(m.sdpe), cents(m.scpe)],
    }));
  }

  /** Accounts below zero that may not be, and accounts allowed below zero that are not the issuer's. */
  private async negativeAccounts(tx: EntityManager): Promise<InvariantReport['negativeAccounts']> {
    const A = this.accountTable;
    const negative = await this.run<{ id: string; code: string; available: string }[]>(
      tx,
      `select a.id, a.code,
         (a.credits_posted + coalesce(u.total, 0) - a.debits_posted - a.debits_pending)::text as available
       from ${A} a left join ${this.unfoldedCredits()} u on u.account_id = a.id
       where (not a.allow_negative or a.kind <> '${ISSUER_KIND}')
         and (a.credits_posted + coalesce(u.total, 0) - a.debits_posted - a.debits_pending < 0
           or a.allow_negative)
       order by a.code`,
    );
    return negative.map((n) => ({
      accountId: n.id,
      code: n.code,
      available: cents(n.available),
    }));
  }

  /** Pending credits that are not the posted credit of their transfer to a hot account. */
  private async badPendingCredits(
    tx: EntityManager,
  ): Promise<InvariantReport['badPendingCredits']> {
    const A = this.accountTable;
    const T = this.transferTable;
    const P = this.pendingTable;
    const badPending = await this.run<{ id: string; problem: string }[]>(
      tx,
      `select p.transfer_id as id, case
           when t.status <> 'POSTED' or t.expires_at is not null then 'a pending credit of a transfer that posted nothing'
           when t.credit_account_id <> p.account_id then 'a pending credit on another account than its transfer credits'
           when t.amount <> p.amount then 'a pending credit of another amount than its transfer'
           else 'a pending credit on an account that is not hot'
         end as problem
       from ${P} p join ${T} t on t.id = p.transfer_id join ${A} a on a.id = p.account_id
       where t.status <> 'POSTED' or t.expires_at is not null or t.credit_account_id <> p.account_id
         or t.amount <> p.amount or not a.hot
       order by p.transfer_id`,
    );
    return badPending.map((b) => ({ transferId: b.id, problem: b.problem }));
  }

  /** Holds whose status disagrees with their resolution, or resolutions that do not fit their hold. */
  private async badHolds(tx: EntityManager): Promise<InvariantReport['badHolds']> {
    const T = this.transferTable;
    const badHolds = await this.run<{ id: string; problem: string }[]>(
      tx,
      `select h.id, case
           when r.id is null then 'a ' || h.status || ' hold without resolution'
           when r.status <> h.status then 'hold ' || h.status || ' resolved as ' || r.status
           when r.debit_account_id <> h.debit_account_id or r.credit_account_id <> h.credit_account_id
             then 'resolution on other accounts'
           else 'resolution amount does not fit the hold'
         end as problem
       from ${T} h left join ${T} r on r.pending_id = h.id
       where h.pending_id is null and h.expires_at is not null
         and ((r.id is null and h.status <> 'PENDING')
           or (r.id is not null and (r.status <> h.status
             or r.debit_account_id <> h.debit_account_id or r.credit_account_id <> h.credit_account_id
             or (r.status = 'POSTED' and r.amount > h.amount)
             or (r.status <> 'POSTED' and r.amount <> h.amount))))
       union all
       select r.id, 'resolves a transfer that is not a hold'
       from ${T} r join ${T} h on h.id = r.pending_id
       where h.expires_at is null or h.pending_id is not null`,
    );
    return badHolds.map((b) => ({ transferId: b.id, problem: b.problem }));
  }

  /** The fields of an account to open, normalised; problems go to `check` under `prefix`. */
  private checkAccount(check: Check, input: OpenAccountInput, prefix: string): AccountFields {
    const id = input.id === undefined ? null : check.uuid(`${prefix}id`, input.id);
    const code = typeof input.code === 'string' ? input.code.trim() : '';
    if (code.length < 1 || code.length > 200)
      check.add(`${prefix}code`, 'Da 1 a 200 caratteri.', 'From 1 to 200 characters.');
    const kind = typeof input.kind === 'string' ? input.kind.trim() : '';
    if (kind.length < 1 || kind.length > 50)
      check.add(`${prefix}kind`, 'Da 1 a 50 caratteri.', 'From 1 to 50 characters.');
    const allowNegative = input.allowNegative === true;
    if (allowNegative && kind !== ISSUER_KIND)
      check.add(
        `${prefix}allowNegative`,
        "Solo il conto dell'emittente può andare sotto zero.",
        "Only the issuer's account may go below zero.",
      );
    let owner: AccountOwner | null = null;
    if (input.owner !== undefined && input.owner !== null) {
      const o = input.owner;
      const ownerKind = check.text(`${prefix}owner.kind`, o.kind, OWNER_KIND_MAX);
      const ownerId = check.text(`${prefix}owner.id`, o.id, OWNER_ID_MAX);
      const scopeId = check.text(`${prefix}owner.scopeId`, o.scopeId, OWNER_ID_MAX);
      if (ownerKind !== null && ownerId !== null) owner = { kind: ownerKind, id: ownerId, scopeId };
      else if (ownerKind !== null || ownerId !== null)
        check.add(`${prefix}owner`, 'Tipo e identificativo.', 'A kind and an id.');
    }
    const hot = input.hot === true;
    if (input.hot !== undefined && typeof input.hot !== 'boolean')
      check.add(`${prefix}hot`, 'Vero o falso.', 'True or false.');
    return { id, code, kind, allowNegative, owner, hot };
  }

  /** The fields of a transfer but its amount; problems go to `check` under `prefix`. */
  private transferFields(check: Check, input: TransferInput, prefix: string) {
    const id = check.uuid(`${prefix}id`, input.id);
    const debit = check.uuid(`${prefix}debit`, input.debit);
    const credit = check.uuid(`${prefix}credit`, input.credit);
    if (debit && credit && debit === credit)
      check.add(
        `${prefix}credit`,
        'I conti di addebito e di accredito devono essere diversi.',
        'The debit and credit accounts must differ.',
      );
    const code = check.text(`${prefix}code`, input.code, 64);
    const reference = check.text(`${prefix}reference`, input.reference, 500);
    return { id, debit, credit, code, reference };
  }

  private checkTransfer(input: TransferInput): Required<TransferInput> {
    const check = new Check();
    const fields = this.transferFields(check, input, '');
    check.throwIfAny();
    return { ...fields, amount: checkAmount(input.amount) };
  }

  /** Every transfer of a batch checked, all problems reported together. */
  private checkTransfers(inputs: readonly TransferInput[]): Required<TransferInput>[] {
    const check = new Check();
    if (!Array.isArray(inputs)) {
      check.add('transfers', 'Serve un elenco di movimenti.', 'A list of transfers is needed.');
      check.throwIfAny();
    }
    const first = new Map<string, number>();
    const wanted = inputs.map((input, i) => {
      const prefix = `transfers.${i}.`;
      const fields = this.transferFields(check, input ?? {}, prefix);
      const amount = input?.amount;
      if (!isAmount(amount))
        check.fields.push({ field: `${prefix}amount`, message: INVALID_AMOUNT_DETAIL });
      if (fields.id) {
        const earlier = first.get(fields.id);
        if (earlier === undefined) first.set(fields.id, i);
        else
          check.add(
            `${prefix}id`,
            `Identificativo già usato nel lotto, dal movimento ${earlier}.`,
            `Id already used in the batch, by transfer ${earlier}.`,
          );
      }
      return { ...fields, amount };
    });
    check.throwIfAny();
    return wanted;
  }

  /**
   * Runs one of the book's statements, written with `?` placeholders, as a prepared statement
   * (the kit's `sql`: parameters instead of values formatted into the text, a plan PostgreSQL can
   * keep per connection). The book's texts hold no `?` other than placeholders.
   */
  private async run<T = unknown[]>(
    em: EntityManager,
    text: string,
    params: readonly unknown[] = [],
  ): Promise<T> {
    let numbered = numberedTexts.get(text);
    if (!numbered) {
      let n = 0;
      numbered = { text: text.replace(/\?/g, () => `$${++n}`), count: n };
      numberedTexts.set(text, numbered);
    }
    if (numbered.count !== params.length) {
      throw new Error(`book: ${numbered.count} placeholders, ${params.length} values`);
    }
    return (await sql(em, numbered.text, params)) as T;
  }

  /** Runs `fn` in the caller's transaction, or in one of its own retried on 40001/40P01. */
  private async inTransaction<T>(
    em: EntityManager,
    fn: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (em.isInTransaction()) return fn(em);
    for (let attempt = 1; ; attempt++) {
      try {
        // `clear`: the transaction's fork starts empty, so it never flushes the caller's entities.
        return await em.transactional(fn, { clear: true });
      } catch (err) {
        if (attempt >= RETRIES || !isSerializationFailure(err)) throw err;
      }
    }
  }

  /**
   * Locks the accounts a transfer (or a batch) needs, `FOR NO KEY UPDATE` in id order: every debit
   * account, and every credit account but a hot one when only posted credits reach it (`holds`
   * false): those are appended to the pending credits by the book's triggers without its row, so
   * that concurrent payments to one hot account never queue on it. A hot credit account is read
   * without a lock instead, to know it exists (the transfer's foreign key then takes a KEY SHARE
   * lock, which payments and folds do not block). Returns the accounts found by id; `available`
   * (the row's own) is null for those read without the lock. An account turned hot meanwhile is
   * locked if the lock came first (its switch then waits for this transaction), otherwise read.
   */
  private async lockFor(
    tx: EntityManager,
    debitIds: readonly string[],
    creditIds: readonly string[],
    holds: boolean,
  ): Promise<Map<string, LockedRow>> {
    const ids = [...new Set([...debitIds, ...creditIds])].sort();
    const rows = await this.run<LockedRow[]>(
      tx,
      `with locked as (
         select a.id, a.hot, a.allow_negative,
           (a.credits_posted - a.debits_posted - a.debits_pending)::text as available
           from ${this.accountTable} a
          where a.id = any(?::uuid[]) and (not a.hot or ?::boolean or a.id = any(?::uuid[]))
          order by a.id for no key update)
       select id, hot, allow_negative, available from locked
       union all
       select a.id, a.hot, a.allow_negative, null from ${this.accountTable} a
        where a.id = any(?::uuid[]) and a.id not in (select id from locked)`,
      [
        arrayLiteral(ids),
        holds,
        arrayLiteral([...new Set(debitIds)]),
        arrayLiteral([...new Set(creditIds)]),
      ],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private async findTransfer(tx: EntityManager, id: string): Promise<Transfer | undefined> {
    const [row] = await this.run<TransferRow[]>(
      tx,
      `select ${TRANSFER_COLUMNS} from ${this.transferTable} where id = ?`,
      [id],
    );
    return row ? toTransfer(row) : undefined;
  }

  /** The existing transfer when it is the same request, else TransferConflict. */
  private same(existing: Transfer, same: boolean): Transfer {
    if (!same) throw new TransferConflict(existing.id);
    return existing;
  }

  /** A single-phase transfer (`expiresAt` null) or a hold. */
  private async apply(
    tx: EntityManager,
    w: Required<TransferInput>,
    expiresAt: Date | null,
  ): Promise<Transfer> {
    const matches = (t: Transfer) =>
      (expiresAt === null ? t.pendingId === null && t.expiresAt === null : isHold(t)) &&
      t.debitAccountId === w.debit &&
      t.creditAccountId === w.credit &&
      t.amount === w.amount &&
      t.code === w.code &&
      t.reference === w.reference;

    // The accounts locked in id order: concurrent transfers queue here, and never deadlock. A hot
    // credit account is not locked by a posted transfer (its credit is appended, see `lockFor`).
    const accounts = await this.lockFor(tx, [w.debit], [w.credit], expiresAt !== null);
    // A transfer already made under this id answers a replay, whatever the balances are now. It is
    // read after the locks, so that a concurrent request with the same id that just committed is
    // seen; the common case (a new id) learns it from the insert's conflict instead, one statement
    // less.
    const replayed = async () => {
      const existing = await this.findTransfer(tx, w.id);
      return existing && this.same(existing, matches(existing));
    };

    const debit = accounts.get(w.debit);
    if (!debit || debit.available === null || !accounts.has(w.credit)) {
      const existing = await replayed();
      if (existing) return existing;
      throw new AccountNotFound(!debit || debit.available === null ? w.debit : w.credit);
    }
    let available = cents(debit.available);
    // A hot debit account's committed credits, folded into its row (under the lock taken above)
    // before its available balance is checked: it can spend every credit it received.
    if (debit.hot) available += (await this.foldLocked(tx, [w.debit])).get(w.debit) ?? 0;
    if (!debit.allow_negative && available < w.amount) {
      const existing = await replayed();
      if (existing) return existing;
      throw new InsufficientFunds(w.debit, available, w.amount);
    }

    const [row] = await this.run<TransferRow[]>(
      tx,
      `insert into ${this.transferTable}
         (id, debit_account_id, credit_account_id, amount, status, expires_at, code, reference)
       values (?, ?, ?, ?, ?, ?::timestamptz, ?, ?)
       on conflict (id) do nothing
       returning ${TRANSFER_COLUMNS}`,
      [
        w.id,
        w.debit,
        w.credit,
        w.amount,
        expiresAt ? 'PENDING' : 'POSTED',
        expiresAt ? expiresAt.toISOString() : null,
        w.code,
        w.reference,
      ],
    );
    if (row) return toTransfer(row);
    // The same id was committed by a concurrent request on other accounts meanwhile.
    const raced = await this.findTransfer(tx, w.id);
    if (!raced) throw new Error(`book: transfer ${w.id} neither inserted nor found`);
    return this.same(raced, matches(raced));
  }

  /**
   * The transfers of `transferMany`, checked; `own`: in a transaction of the book's own.
   *
   * Long because it is one locked sequence that must be read in order: lock the accounts, find the
   * replays, check the funds (after folding hot debits), then insert under a savepoint and settle
   * races. Splitting it would spread the lock's reasoning over several functions.
   */
  private async applyMany(
    tx: EntityManager,
    wanted: Required<TransferInput>[],
    own: boolean,
  ): Promise<Transfer[]> {
    // Every account once, in id order: batches and single transfers queue, and never deadlock. Hot
    // accounts that are only credited are not locked (their credits are appended).
    const accounts = await this.lockFor(
      tx,
      wanted.map((w) => w.debit),
      wanted.map((w) => w.credit),
      false,
    );
    // Read after the locks, so that a concurrent request with the same id that just committed is seen.
    const found = await this.run<TransferRow[]>(
      tx,
      `select ${TRANSFER_COLUMNS} from ${this.transferTable} where id = any(?::uuid[])`,
      [arrayLiteral(wanted.map((w) => w.id))],
    );
    const done = new Map(found.map((row) => [row.id, toTransfer(row)]));
    for (const w of wanted) {
      const existing = done.get(w.id);
      if (existing && !isSameSingle(existing, w)) throw new TransferConflict(w.id);
    }
    const fresh = wanted.filter((w) => !done.has(w.id));
    if (fresh.length === 0) return wanted.map((w) => done.get(w.id)!);

    const debits = new Map<string, bigint>();
    for (const w of fresh) {
      if (!accounts.has(w.debit)) throw new AccountNotFound(w.debit);
      if (!accounts.has(w.credit)) throw new AccountNotFound(w.credit);
      debits.set(w.debit, (debits.get(w.debit) ?? 0n) + BigInt(w.amount));
    }
    // The hot debit accounts' committed credits, folded into their rows (locked above) first.
    const folded = await this.foldLocked(
      tx,
      [...debits.keys()].filter((accountId) => accounts.get(accountId)!.hot),
    );
    for (const [accountId, sum] of debits) {
      const account = accounts.get(accountId)!;
      const available = cents(account.available!) + (folded.get(accountId) ?? 0);
      if (!account.allow_negative && BigInt(available) < sum)
        throw new InsufficientFunds(accountId, available, Number(sum));
    }

    // In the caller's transaction, a savepoint: a refusal below must leave it as it was.
    await this.underSavepoint(tx, own, 'book_transfer_many', async () => {
      const inserted = await this.run<TransferRow[]>(
        tx,
        `insert into ${this.transferTable}
           (id, debit_account_id, credit_account_id, amount, status, code, reference)
         select t.id, t.debit, t.credit, t.amount, 'POSTED', t.code, t.reference
         from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[], ?::text[], ?::text[])
           with ordinality as t(id, debit, credit, amount, code, reference, n)
         order by t.n
         on conflict (id) do nothing
         returning ${TRANSFER_COLUMNS}`,
        [
          arrayLiteral(fresh.map((w) => w.id)),
          arrayLiteral(fresh.map((w) => w.debit)),
          arrayLiteral(fresh.map((w) => w.credit)),
          arrayLiteral(fresh.map((w) => w.amount)),
          arrayLiteral(fresh.map((w) => w.code)),
          arrayLiteral(fresh.map((w) => w.reference)),
        ],
      );
      for (const row of inserted) done.set(row.id, toTransfer(row));
      const raced = fresh.filter((w) => !done.has(w.id));
      if (raced.length) {
        // Ids committed meanwhile by concurrent requests on other accounts.
        const rows = await this.run<TransferRow[]>(
          tx,
          `select ${TRANSFER_COLUMNS} from ${this.transferTable} where id = any(?::uuid[])`,
          [arrayLiteral(raced.map((w) => w.id))],
        );
        for (const row of rows) done.set(row.id, toTransfer(row));
        for (const w of raced) {
          const other = done.get(w.id);
          if (!other) throw new Error(`book: transfer ${w.id} neither inserted nor found`);
          if (!isSameSingle(other, w)) throw new TransferConflict(w.id);
        }
      }
    });
    return wanted.map((w) => done.get(w.id)!);
  }

  /** The post or void of a hold. */
  private async resolve(
    tx: EntityManager,
    r: {
      id: string;
      pendingId: string;
      status: 'POSTED' | 'VOIDED';
      amount: number | undefined;
      code: string | null;
      reference: string | null;
    },
  ): Promise<Transfer> {
    // The hold is locked first: a post, a void and an expiry of it queue here, one decides.
    const [holdRow] = await this.run<TransferRow[]>(
      tx,
      `select ${TRANSFER_COLUMNS} from ${this.transferTable} where id = ? for no key update`,
      [r.pendingId],
    );
    const hold = holdRow && toTransfer(holdRow);
    const wanted = (t: Transfer) =>
      hold !== undefined &&
      t.pendingId === hold.id &&
      t.status === r.status &&
      t.amount === (r.amount ?? hold.amount) &&
      t.code === (r.code ?? hold.code) &&
      t.reference === (r.reference ?? hold.reference);

    const existing = await this.findTransfer(tx, r.id);
    if (existing) return this.same(existing, wanted(existing));
    if (!hold || !isHold(hold)) throw new TransferNotFound(r.pendingId);
    if (hold.status !== 'PENDING') throw new HoldNotPending(hold.id, hold.status);
    if (r.status === 'POSTED') {
      if (hold.expiresAt !== null && hold.expiresAt.getTime() <= this.now().getTime())
        throw new HoldExpired(hold.id);
      if (r.amount !== undefined && r.amount > hold.amount)
        throw new InvalidAmount(r.amount, {
          it: `Si possono addebitare al massimo i ${hold.amount} centesimi prenotati.`,
          en: `At most the ${hold.amount} cents held can be posted.`,
        });
    }

    const [row] = await this.run<TransferRow[]>(
      tx,
      `insert into ${this.transferTable}
         (id, debit_account_id, credit_account_id, amount, status, pending_id, code, reference)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do nothing
       returning ${TRANSFER_COLUMNS}`,
      [
        r.id,
        hold.debitAccountId,
        hold.creditAccountId,
        r.amount ?? hold.amount,
        r.status,
        hold.id,
        r.code ?? hold.code,
        r.reference ?? hold.reference,
      ],
    );
    if (row) return toTransfer(row);
    const raced = await this.findTransfer(tx, r.id);
    if (!raced) throw new Error(`book: transfer ${r.id} neither inserted nor found`);
    return this.same(raced, wanted(raced));
  }
}
