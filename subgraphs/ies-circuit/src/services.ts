import { CircuitRepository } from './modules/circuit/circuit.repository.js';
import { CircuitService } from './modules/circuit/circuit.service.js';
import { MemberRepository } from './modules/member/member.repository.js';
import { MemberLookup } from './modules/member/member.service.js';
import { PaymentRepository } from './modules/payment/payment.repository.js';
import { PaymentService, type AfterPayment } from './modules/payment/payment.service.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ServiceSettings {}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(_settings: ServiceSettings = {}) {
  const circuitRepository = new CircuitRepository();
  const memberRepository = new MemberRepository();
  const circuits = new CircuitService(circuitRepository);
  const members = new MemberLookup(memberRepository);
  // Payments (ies-pay). `afterPayment`: run inside each payment's transaction, once, in order
  // (the earning rules' cashback registers here); empty by default.
  const afterPayment: AfterPayment[] = [];
  const payments = new PaymentService(new PaymentRepository(), circuits, members, afterPayment);
  return { circuits, memberRepository, members, afterPayment, payments };
}

export type Services = ReturnType<typeof createServices>;
