import {
  iesCardClient,
  type IesCardPeerSettings,
  type IesCardPort,
} from './modules/payment/ies-card.port.js';
import { PiiCipher } from '@welfare/kit/pii';
import { AuditService } from './modules/audit/audit.service.js';
import { HouseholdService } from './modules/household/household.service.js';
import { HouseholdFileService } from './modules/household/household-file.service.js';
import { ImportService } from './modules/imports/import.service.js';
import { SegmentService } from './modules/segment/segment.service.js';
import { MessageService } from './modules/messages/message.service.js';
import { CampaignService } from './modules/campaign/campaign.service.js';
import { ApplicationService } from './modules/application/application.service.js';
import { CaseService } from './modules/application/case.service.js';
import { MessageQueryService } from './modules/messages/message-query.service.js';
import { CardQrSigner, deriveQrKey } from './modules/card/card-codes.js';
import { CardService } from './modules/card/card.service.js';
import { DEVELOPMENT_PIN_KEY, PinKeyring } from './modules/card/card-pin.js';
import { TopUpService } from './modules/top-up/top-up.service.js';
import { ReconciliationService } from './modules/reconciliation/reconciliation.service.js';
import { TopUpScheduleService } from './modules/top-up/top-up-schedule.service.js';
import { CreditReminderService } from './modules/top-up/credit-reminder.service.js';
import { DEFAULT_CREDIT_EXPIRY_REMINDER_DAYS } from './config.js';
import { CreditService } from './modules/credit/credit.service.js';
import { ShopService } from './modules/shop/shop.service.js';
import { PaymentService } from './modules/payment/payment.service.js';
import { ReimbursementService } from './modules/reimbursement/reimbursement.service.js';
import {
  contractPeers,
  noPeers,
  type ReimbursementPeerSettings,
} from './modules/reimbursement/reimbursement-peers.js';
import { MonitoringService } from './modules/monitoring/monitoring.service.js';
import { CoverageService } from './modules/offer-coverage/offer-coverage.service.js';
import { FundService } from './modules/fund/fund.service.js';
import { WorklistService } from './modules/worklist/worklist.service.js';
import { DirectListService } from './modules/direct-list/direct-list.service.js';
import { FundingService } from './modules/funding/funding.service.js';
import { DecisionPolicyService } from './modules/decision-policy/decision-policy.service.js';
import { RevocationService } from './modules/revocation/revocation.service.js';

/** HKDF domain of this subgraph's personal-data keys (see the kit's `PiiCipher`). */
export const PII_DOMAIN = 'welfare-public-welfare';

export interface ServiceSettings {
  /** 32 bytes. */
  piiKey: Buffer;
  /**
   * The PIN keys (32 bytes each): `current` writes every PIN value, `older` ones still verify.
   * The public development key when absent (tests, schema emission; the config always gives one).
   */
  pinKeys?: { current: Buffer; older?: Buffer[] };
  /** Largest application document, in bytes. */
  maxDocumentBytes?: number;
  /** Largest household attachment, in bytes. */
  maxHouseholdAttachmentBytes?: number;
  /** The clock of spending windows and same-day voids (tests pass a fixed one). */
  now?: () => Date;
  /**
   * How the reimbursement batches reach identity (providers' names and IBANs) and third-sector
   * (delivered tutoring hours); without it no provider is paid (their money waits in the book).
   */
  reimbursementPeers?: ReimbursementPeerSettings | null;
  /** The card's fallback: how the POS reaches ies-circuit (none: voucher credit only). */
  iesCardPeer?: IesCardPeerSettings | null;
  /** The card's fallback, given as is (tests); wins over `iesCardPeer`. */
  iesCard?: IesCardPort | null;
  /** Days before a spending window ends when holders with credit are reminded (default 7). */
  creditExpiryReminderDays?: number;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings) {
  const pii = new PiiCipher(settings.piiKey, PII_DOMAIN);
  const audit = new AuditService();
  const households = new HouseholdService(pii, audit);
  const imports = new ImportService(pii, audit);
  const segments = new SegmentService(audit);
  const messages = new MessageService();
  const messageQueries = new MessageQueryService(pii);
  const campaigns = new CampaignService(audit);
  const applications = new ApplicationService(
    pii,
    audit,
    messages,
    settings.maxDocumentBytes ?? 5 * 1024 * 1024,
  );
  const cases = new CaseService(audit, messages, settings.now);
  // QR payloads are signed under a key of their own, derived from PII_KEY (HKDF).
  const cards = new CardService(
    pii,
    audit,
    applications,
    new CardQrSigner(deriveQrKey(settings.piiKey)),
    new PinKeyring(
      settings.pinKeys?.current ?? Buffer.from(DEVELOPMENT_PIN_KEY, 'base64'),
      settings.pinKeys?.older ?? [],
    ),
  );
  const now = settings.now ?? (() => new Date());
  const topUps = new TopUpService(audit, now);
  const topUpSchedule = new TopUpScheduleService(topUps, now);
  const creditReminders = new CreditReminderService(
    messages,
    settings.creditExpiryReminderDays ?? DEFAULT_CREDIT_EXPIRY_REMINDER_DAYS,
    now,
  );
  const shops = new ShopService(audit);
  // The card's fallback: the holder's IES pay what the voucher credit does not (ies-circuit).
  const iesCard =
    settings.iesCard ?? (settings.iesCardPeer ? iesCardClient(settings.iesCardPeer) : null);
  const payments = new PaymentService(cards, messages, audit, now, iesCard);
  const credit = new CreditService(cards);
  const reimbursements = new ReimbursementService(
    now,
    settings.reimbursementPeers ? contractPeers(settings.reimbursementPeers) : noPeers,
  );
  const monitoring = new MonitoringService();
  const coverage = new CoverageService(now);
  const funds = new FundService(cards, now);
  const reconciliation = new ReconciliationService(now);
  const householdFile = new HouseholdFileService(
    pii,
    audit,
    credit,
    messageQueries,
    settings.maxHouseholdAttachmentBytes ?? 10 * 1024 * 1024,
  );
  const worklist = new WorklistService(now);
  const directList = new DirectListService(pii, audit);
  const funding = new FundingService(audit);
  const decisionPolicies = new DecisionPolicyService(audit);
  const revocations = new RevocationService(audit, messages);
  return {
    pii,
    audit,
    households,
    imports,
    segments,
    messages,
    messageQueries,
    campaigns,
    applications,
    cases,
    cards,
    topUps,
    topUpSchedule,
    creditReminders,
    shops,
    payments,
    credit,
    reimbursements,
    monitoring,
    coverage,
    funds,
    reconciliation,
    householdFile,
    worklist,
    directList,
    funding,
    decisionPolicies,
    revocations,
  };
}

export type Services = ReturnType<typeof createServices>;
