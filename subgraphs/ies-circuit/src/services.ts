// The card's fallback (public-welfare's POS pays the part beyond the voucher credit with IES).
import { CardFallbackService } from './modules/card-fallback/card-fallback.service.js';
import { CircuitRepository } from './modules/circuit/circuit.repository.js';
import { CircuitService } from './modules/circuit/circuit.service.js';
import { MemberRepository } from './modules/member/member.repository.js';
import { MemberLookup } from './modules/member/member.service.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceSettings {}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(_settings: ServiceSettings = {}) {
  const circuitRepository = new CircuitRepository();
  const memberRepository = new MemberRepository();
  const circuits = new CircuitService(circuitRepository);
  const members = new MemberLookup(memberRepository);
  // The card's fallback.
  const cardFallback = new CardFallbackService();
  return { circuits, memberRepository, members, cardFallback };
}

export type Services = ReturnType<typeof createServices>;
