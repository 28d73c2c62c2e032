import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Circuit } from '../src/modules/circuit/circuit.entity.js';
import {
  TransferCode,
  issue,
  openCircuitAccounts,
  openWallet,
  type CircuitAccounts,
} from '../src/modules/ledger/ledger.js';
import { Member, type MemberKind } from '../src/modules/member/member.entity.js';

/** A circuit for a test: its rules (defaults: 5 cents + 1%, at most 1 €, paid by the payer). */
export async function seedCircuit(
  em: EntityManager,
  managerId: string,
  rules: Partial<Circuit> = {},
): Promise<{ circuit: Circuit; accounts: CircuitAccounts }> {
  const id = rules.id ?? randomUUID();
  const circuit = em.create(Circuit, {
    code: `c-${id.slice(0, 8)}`,
    name: 'Circuito di prova',
    territory: 'Balestrate',
    managerId,
    feeFixedCents: 5,
    feeBasisPoints: 100,
    feeMaxCents: 100,
    conversionFeeBasisPoints: 200,
    conversionFeeMinCents: 50,
    ...rules,
    id,
  });
  await em.flush();
  return { circuit, accounts: await openCircuitAccounts(em, circuit.id) };
}

/** An ACTIVE member with its wallet, optionally holding `issuedCents` of IES bought with euro. */
export async function seedMember(
  em: EntityManager,
  circuitId: string,
  options: {
    kind?: MemberKind;
    fiscalCode?: string;
    personId?: string;
    organisationId?: string;
    displayName?: string;
    acceptsIes?: boolean;
    issuedCents?: number;
  } = {},
): Promise<{ member: Member; walletId: string }> {
  const kind = options.kind ?? 'CITIZEN';
  const citizen = kind === 'CITIZEN';
  const member = em.create(Member, {
    circuitId,
    kind,
    status: 'ACTIVE',
    displayName: options.displayName ?? (citizen ? 'Cittadino di prova' : 'Bottega di prova'),
    ...(citizen
      ? {
          personId: options.personId ?? randomUUID(),
          fiscalCode: options.fiscalCode ?? randomFiscalCode(),
        }
      : {
          organisationId: options.organisationId ?? randomUUID(),
          vatNumber: '06345670829',
          address: 'Via Roma 1, Balestrate',
          iban: 'IT14G0503643600000000456789',
          acceptsIes: options.acceptsIes ?? kind === 'BUSINESS',
        }),
  });
  await em.flush();
  const walletId = await openWallet(em, member);
  if (options.issuedCents) {
    await issue(em, {
      id: randomUUID(),
      circuitId,
      creditAccountId: walletId,
      amount: options.issuedCents,
      code: TransferCode.ISSUANCE,
      reserveReference: `test purchase ${member.id}`,
    });
  }
  return { member, walletId };
}

/** A well-formed (not check-digit valid) codice fiscale, unique enough for a test. */
export function randomFiscalCode(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const pick = (n: number) =>
    Array.from({ length: n }, () => letters[Math.floor(Math.random() * 26)]).join('');
  const digits = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
  return `${pick(6)}${digits(2)}${pick(1)}${digits(2)}${pick(1)}${digits(3)}${pick(1)}`;
}
