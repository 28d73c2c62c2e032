import { AuditLog } from '@welfare/kit/audit';
import { CircuitRepository } from './modules/circuit/circuit.repository.js';
import { CircuitService } from './modules/circuit/circuit.service.js';
import { MemberRepository } from './modules/member/member.repository.js';
import { MemberLookup } from './modules/member/member.service.js';
// ies-reserve: the reserve, conversions, transparency, demurrage.
import { ConversionRepository } from './modules/conversion/conversion.repository.js';
import {
  ConversionService,
  type ReserveBankAccount,
} from './modules/conversion/conversion.service.js';
import { DemurrageService } from './modules/demurrage/demurrage.service.js';
import { ReserveRepository } from './modules/reserve/reserve.repository.js';
import { ReserveService, type ReserveAuditAction } from './modules/reserve/reserve.service.js';
import { TransparencyService } from './modules/transparency/transparency.service.js';
import { DB_SCHEMA } from './entities.js';

export interface ServiceSettings {
  /** ies-reserve: the bank account holding the circuits' euro reserve (the SEPA files' debtor). */
  reserveAccount?: ReserveBankAccount;
  /** ies-reserve: the clock of conversions and demurrage (tests pass a fake one). */
  now?: () => Date;
}

/** The reserve account of development and tests (a well-formed Italian IBAN, not a real one). */
export const DEVELOPMENT_RESERVE_ACCOUNT: ReserveBankAccount = {
  name: 'Riserva IES',
  iban: 'IT60X0542811101000000123456',
  bic: null,
};

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const circuitRepository = new CircuitRepository();
  const memberRepository = new MemberRepository();
  const circuits = new CircuitService(circuitRepository);
  const members = new MemberLookup(memberRepository);
  // ies-reserve
  const now = settings.now ?? (() => new Date());
  const audit = new AuditLog<ReserveAuditAction>({
    schema: DB_SCHEMA,
    tenantColumn: 'organisation_id',
  });
  const reserveRepository = new ReserveRepository();
  const reserve = new ReserveService(reserveRepository, circuits, members, audit);
  const conversions = new ConversionService(
    new ConversionRepository(),
    circuits,
    members,
    memberRepository,
    audit,
    settings.reserveAccount ?? DEVELOPMENT_RESERVE_ACCOUNT,
    now,
  );
  const transparency = new TransparencyService(circuits, reserveRepository, now);
  const demurrage = new DemurrageService(circuitRepository, now);
  return {
    circuits,
    memberRepository,
    members,
    // ies-reserve
    audit,
    reserve,
    conversions,
    transparency,
    demurrage,
  };
}

export type Services = ReturnType<typeof createServices>;
