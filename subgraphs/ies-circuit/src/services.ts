import { CircuitRepository } from './modules/circuit/circuit.repository.js';
import { CircuitService } from './modules/circuit/circuit.service.js';
import { MemberRepository } from './modules/member/member.repository.js';
import { MemberLookup } from './modules/member/member.service.js';
// The catalogue: the fund contract, `Offer.acceptsIes`, donations to projects.
import { DonationRepository } from './modules/donation/donation.repository.js';
import { DonationService } from './modules/donation/donation.service.js';
import { FundService } from './modules/fund/fund.service.js';
import { OfferIesService } from './modules/offer/offer.service.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceSettings {}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(_settings: ServiceSettings = {}) {
  const circuitRepository = new CircuitRepository();
  const memberRepository = new MemberRepository();
  const circuits = new CircuitService(circuitRepository);
  const members = new MemberLookup(memberRepository);
  // The catalogue: the fund contract (payments' checkout), `Offer.acceptsIes`, donations.
  const funds = new FundService();
  const offerIes = new OfferIesService();
  const donations = new DonationService(new DonationRepository(), circuits, members);
  return { circuits, memberRepository, members, funds, offerIes, donations };
}

export type Services = ReturnType<typeof createServices>;
