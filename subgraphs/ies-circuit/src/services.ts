import { CircuitRepository } from './modules/circuit/circuit.repository.js';
import { CircuitService } from './modules/circuit/circuit.service.js';
import { MemberRepository } from './modules/member/member.repository.js';
import { MemberLookup } from './modules/member/member.service.js';
// ies-members
import { AuditService } from './modules/audit/audit.service.js';
import { CircuitRulesService } from './modules/circuit/circuit-rules.service.js';
import { MembershipService } from './modules/member/membership.service.js';
import { WalletService } from './modules/wallet/wallet.service.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceSettings {}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(_settings: ServiceSettings = {}) {
  const circuitRepository = new CircuitRepository();
  const memberRepository = new MemberRepository();
  const circuits = new CircuitService(circuitRepository);
  const members = new MemberLookup(memberRepository);
  // ies-members: joining, the staff's decisions, the rules editor, wallets
  const audit = new AuditService();
  const memberships = new MembershipService(memberRepository, circuits, audit);
  const circuitRules = new CircuitRulesService(circuits, circuitRepository, audit);
  const wallets = new WalletService(memberRepository, circuits);
  return {
    circuits,
    memberRepository,
    members,
    // ies-members
    audit,
    memberships,
    circuitRules,
    wallets,
  };
}

export type Services = ReturnType<typeof createServices>;
