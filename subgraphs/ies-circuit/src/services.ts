// The card's fallback (public-welfare's POS pays the part beyond the voucher credit with IES).
import { CardFallbackService } from './modules/card-fallback/card-fallback.service.js';
import { CardFallbackRepository } from './modules/card-fallback/card-fallback.repository.js';
import { CircuitRepository } from './modules/circuit/circuit.repository.js';
import { CircuitService } from './modules/circuit/circuit.service.js';
import { MemberRepository } from './modules/member/member.repository.js';
import { MemberLookup } from './modules/member/member.service.js';
// Earning by taking part (rules, rewards, the attendance feed).
import { AttendanceFeed, type AttendanceSource } from './modules/earning/attendance-feed.js';
import { EarningRepository } from './modules/earning/earning.repository.js';
import { EarningService } from './modules/earning/earning.service.js';
// ies-members
import { AuditService } from './modules/audit/audit.service.js';
import { CircuitRulesService } from './modules/circuit/circuit-rules.service.js';
import { MembershipService } from './modules/member/membership.service.js';
import { WalletService } from './modules/wallet/wallet.service.js';
import { PaymentRepository } from './modules/payment/payment.repository.js';
import { PaymentService, type AfterPayment } from './modules/payment/payment.service.js';
// The catalogue: the fund contract, `Offer.acceptsIes`, donations to projects.
import { DonationRepository } from './modules/donation/donation.repository.js';
import { DonationService } from './modules/donation/donation.service.js';
import { FundService } from './modules/fund/fund.service.js';
import { OfferIesService } from './modules/offer/offer.service.js';

export interface ServiceSettings {
  /** The services' clock (tests move it). */
  now?: () => Date;
  /** Third-sector's attendance feed (null: not configured, nothing is read). */
  attendanceSource?: AttendanceSource | null;
  /** ies-reserve: the bank account holding the circuits' euro reserve (the SEPA files' debtor). */
  reserveAccount?: ReserveBankAccount;
  /** ies-create: identity's organisations (a new circuit's manager Comune); null: not configured. */
  organisations?: OrganisationDirectory | null;
}
// ies-create: creating a circuit.
import { CircuitCreateService } from './modules/circuit/circuit-create.service.js';
import {
  noOrganisations,
  type OrganisationDirectory,
} from './modules/circuit/organisation-directory.js';
// ies-reserve: the reserve, conversions, transparency, demurrage.
import { ConversionRepository } from './modules/conversion/conversion.repository.js';
import {
  ConversionService,
  type ReserveBankAccount,
} from './modules/conversion/conversion.service.js';
import { DemurrageService } from './modules/demurrage/demurrage.service.js';
import { DemurrageRunService } from './modules/demurrage/demurrage-run.service.js';
import { ReserveRepository } from './modules/reserve/reserve.repository.js';
import { ReserveService } from './modules/reserve/reserve.service.js';
import { TransparencyService } from './modules/transparency/transparency.service.js';
// ies-fed: `Person.iesWallets` (identity's Person, extended by key).
import { PersonWalletService } from './modules/person/person-wallet.service.js';

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
  // ies-members: joining, the staff's decisions, the rules editor, wallets
  const audit = new AuditService();
  // Earning by taking part.
  const earningRepository = new EarningRepository();
  const earning = new EarningService(earningRepository, circuits, members, audit, settings.now);
  const attendanceFeed = new AttendanceFeed(
    earning,
    earningRepository,
    circuits,
    settings.attendanceSource ?? null,
  );
  // The card's fallback.
  const cardFallback = new CardFallbackService(new CardFallbackRepository(), circuits);
  const memberships = new MembershipService(memberRepository, circuits, audit);
  const circuitRules = new CircuitRulesService(circuits, circuitRepository, audit);
  const wallets = new WalletService(memberRepository, circuits);
  // Payments (ies-pay). `afterPayment`: run inside each payment's transaction, once, in order;
  // the earning rules' cashback on a purchase at a member business is registered here.
  const afterPayment: AfterPayment[] = [
    async (tx, p) => {
      await earning.rewardLocalPurchase(tx, {
        circuitId: p.circuitId,
        payerMemberId: p.payerMemberId,
        payeeMemberId: p.payeeMemberId,
        paymentId: p.id,
        amountCents: p.amountCents,
      });
    },
  ];
  const payments = new PaymentService(new PaymentRepository(), circuits, members, afterPayment);
  // ies-reserve
  const now = settings.now ?? (() => new Date());
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
  const demurrageRuns = new DemurrageRunService(circuits, demurrage, audit, now);
  // The catalogue: the fund contract (payments' checkout), `Offer.acceptsIes`, donations.
  const funds = new FundService();
  const offerIes = new OfferIesService();
  const donations = new DonationService(new DonationRepository(), circuits, members);
  // ies-fed: `Person.iesWallets`, on the services of `myIesMemberships` and `iesWallet`.
  const personWallets = new PersonWalletService(memberships, wallets, circuits);
  return {
    circuits,
    memberRepository,
    members,
    // ies-members
    audit,
    memberships,
    circuitRules,
    wallets,
    earning,
    attendanceFeed,
    cardFallback,
    afterPayment,
    payments,
    // The catalogue: the fund contract (payments' checkout), `Offer.acceptsIes`, donations.
    funds,
    offerIes,
    donations,
    // ies-reserve
    reserve,
    conversions,
    transparency,
    demurrage,
    // ies-fed
    personWallets,
    // ies-create
    circuitCreate: new CircuitCreateService(
      circuitRepository,
      settings.organisations ?? noOrganisations,
      audit,
    ),
    demurrageRuns,
  };
}

export type Services = ReturnType<typeof createServices>;
