import type { EntityManager } from '@mikro-orm/postgresql';
import { Circuit } from '../modules/circuit/circuit.entity.js';
import {
  TransferCode,
  deterministicId,
  issue,
  openCircuitAccounts,
  openWallet,
} from '../modules/ledger/ledger.js';
import { EarningRule } from '../modules/earning/earning.entity.js';
import { Member } from '../modules/member/member.entity.js';
import type { Services } from '../services.js';
import {
  DEMO_ASSOCIATION_ID,
  DEMO_ATTENDANCE_RULE_ID,
  DEMO_CIRCUIT_CODE,
  DEMO_CIRCUIT_ID,
  DEMO_CITIZEN_FISCAL_CODE,
  DEMO_CITIZEN_PERSON_ID,
  DEMO_COMUNE_ID,
  DEMO_COOPERATIVE_ID,
  DEMO_GIUSEPPE_IES_CENTS,
  DEMO_MANAGER_PERSON_ID,
  DEMO_MEMBER_IDS,
  DEMO_REWARDS_CENTS,
  DEMO_SHOP_ID,
} from './facts.js';

/**
 * Loads the demo data (idempotent: what exists is left as it is): the Balestrate circuit, run by
 * the Comune, with a shop and a cooperative that accept IES, an association, and Giuseppe holding
 * IES he bought; the Comune has funded rewards, and attendance at the tutoring lessons earns IES.
 * Every IES issued against euro in the reserve.
 */
export async function loadDemoData(em: EntityManager, _services: Services): Promise<void> {
  if (!(await em.findOne(Circuit, DEMO_CIRCUIT_ID))) {
    em.create(Circuit, {
      id: DEMO_CIRCUIT_ID,
      code: DEMO_CIRCUIT_CODE,
      name: 'Circuito IES Balestrate',
      territory: 'Balestrate',
      managerId: DEMO_COMUNE_ID,
      feeFixedCents: 5,
      feeBasisPoints: 100,
      feeMaxCents: 100,
      feePayer: 'PAYER',
      welfareExempt: true,
      conversionFeeBasisPoints: 200,
      conversionFeeMinCents: 50,
    });
    await em.flush();
    const ids = DEMO_MEMBER_IDS;
    const decided = { decidedAt: new Date() };
    em.create(Member, {
      id: ids.comune,
      circuitId: DEMO_CIRCUIT_ID,
      kind: 'COMUNE',
      organisationId: DEMO_COMUNE_ID,
      displayName: 'Comune di Balestrate',
      status: 'ACTIVE',
      iban: 'IT60X0542811101000000123456',
      ...decided,
    });
    em.create(Member, {
      id: ids.shop,
      circuitId: DEMO_CIRCUIT_ID,
      kind: 'BUSINESS',
      organisationId: DEMO_SHOP_ID,
      displayName: 'Alimentari Da Rosa',
      status: 'ACTIVE',
      vatNumber: '06345670829',
      address: 'Via Roma 12, 90041 Balestrate (PA)',
      iban: 'IT14G0503643600000000456789',
      categories: ['Alimentari'],
      acceptsIes: true,
      ...decided,
    });
    em.create(Member, {
      id: ids.cooperative,
      circuitId: DEMO_CIRCUIT_ID,
      kind: 'COOPERATIVE',
      organisationId: DEMO_COOPERATIVE_ID,
      displayName: 'Cooperativa Sociale La Esse',
      status: 'ACTIVE',
      iban: 'IT60Z0306943470100000000123',
      acceptsIes: true,
      ...decided,
    });
    em.create(Member, {
      id: ids.association,
      circuitId: DEMO_CIRCUIT_ID,
      kind: 'ASSOCIATION',
      organisationId: DEMO_ASSOCIATION_ID,
      displayName: 'Associazione Amici di Balestrate',
      status: 'ACTIVE',
      iban: 'IT96A0306943470000000004567',
      ...decided,
    });
    em.create(Member, {
      id: ids.giuseppe,
      circuitId: DEMO_CIRCUIT_ID,
      kind: 'CITIZEN',
      personId: DEMO_CITIZEN_PERSON_ID,
      fiscalCode: DEMO_CITIZEN_FISCAL_CODE,
      displayName: 'Giuseppe Lo Cascio',
      status: 'ACTIVE',
    });
    await em.flush();
  }
  // The money: the circuit's accounts, the wallets, then what was bought and funded (each once).
  const accounts = await openCircuitAccounts(em, DEMO_CIRCUIT_ID);
  const members = await em.find(Member, { circuitId: DEMO_CIRCUIT_ID });
  const wallets = new Map<string, string>();
  for (const member of members) wallets.set(member.id, await openWallet(em, member));
  const giuseppe = wallets.get(DEMO_MEMBER_IDS.giuseppe);
  if (!giuseppe) throw new Error('demo: Giuseppe has no wallet');
  await issue(em, {
    id: deterministicId('ies-demo', 'rewards-funding'),
    circuitId: DEMO_CIRCUIT_ID,
    creditAccountId: accounts.rewards,
    amount: DEMO_REWARDS_CENTS,
    code: TransferCode.REWARD_FUNDING,
    reserveReference: 'Demo: fondi del Comune di Balestrate per i premi di partecipazione',
  });
  await issue(em, {
    id: deterministicId('ies-demo', 'giuseppe-purchase'),
    circuitId: DEMO_CIRCUIT_ID,
    creditAccountId: giuseppe,
    amount: DEMO_GIUSEPPE_IES_CENTS,
    code: TransferCode.ISSUANCE,
    reserveReference: 'Demo: bonifico di Giuseppe Lo Cascio',
  });
  // The reward for taking part: a lesson attended (third-sector's register) earns IES.
  if (!(await em.findOne(EarningRule, DEMO_ATTENDANCE_RULE_ID))) {
    em.create(EarningRule, {
      id: DEMO_ATTENDANCE_RULE_ID,
      circuitId: DEMO_CIRCUIT_ID,
      kind: 'ATTENDANCE',
      name: 'Presenza al doposcuola',
      amountCents: 200,
      capCents: 1_000,
      capPeriod: 'MONTH',
      startsOn: '2026-01-01',
      createdBy: DEMO_MANAGER_PERSON_ID,
    });
    await em.flush();
  }
}
