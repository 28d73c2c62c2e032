// One label map per enum of the API schema: Italian first, English second (paraglide messages),
// keyed by the enum's values as the gateway's schema types them (api-enums.ts). A value the
// server adds without a label fails tsc here (after `npm run graphql:generate`) and fails
// enum-labels.spec.ts (which reads schema/api.graphql). An enum the portal never names to people
// is in UNLABELLED_ENUMS, with the reason. The pages call the label functions of their area
// (labels.ts, offer-labels.ts, money-labels.ts…), which read these maps.
import type { ApiEnum, ApiEnumName } from './api-enums';
import { m } from './paraglide/messages';

/** Enums the portal never shows as a word, and why (the spec checks they still exist). */
export const UNLABELLED_ENUMS = {
  Sex: 'Never shown: the registry pages show no sex.',
  TutoringProgrammeStatus: 'Not shown: the pages list open programmes only.',
  TutoringLessonStatus:
    'Shown only as sentences about a cancelled lesson (lessons_status_lesson_cancelled, lessons_cancelled_badge).',
  TutoringBookingStatus:
    'Shown as sentences with the waiting-list position (lessons_status_seated, lessons_status_waitlisted).',
  IesMemberDecision:
    'Shown as the buttons of the members page (iem_accept, iem_reject, iem_suspend).',
} as const satisfies Partial<Record<ApiEnumName, string>>;

export type UnlabelledEnum = keyof typeof UNLABELLED_ENUMS;
export type LabelledEnum = Exclude<ApiEnumName, UnlabelledEnum>;

/** The label of each value of an enum: a paraglide message (in the page's language). */
export type EnumLabels<N extends ApiEnumName> = Readonly<Record<ApiEnum<N>, () => string>>;

/** Every labelled enum of the API schema, by its name in the schema. */
export const ENUM_LABELS: { readonly [N in LabelledEnum]: EnumLabels<N> } = {
  // ---- Organisations and people
  OrganisationKind: {
    COMUNE: m.kind_comune,
    COOPERATIVE: m.kind_cooperative,
    ASSOCIATION: m.kind_association,
    EMPLOYER: m.kind_employer,
    MERCHANT: m.kind_merchant,
  },
  Role: {
    OPERATOR: m.role_operator,
    MANAGER: m.role_manager,
    ADMIN: m.role_admin,
    TUTOR: m.role_tutor,
    HR: m.role_hr,
    OWNER: m.role_owner,
    CASHIER: m.role_cashier,
  },
  MembershipStatus: {
    INVITED: m.status_invited,
    ACTIVE: m.status_active,
  },

  // ---- Registry and imports
  IseeType: {
    ORDINARIO: m.isee_type_ordinario,
    MINORENNI: m.isee_type_minorenni,
    SOCIOSANITARIO: m.isee_type_sociosanitario,
    CORRENTE: m.isee_type_corrente,
  },
  HouseholdRelation: {
    INTESTATARIO: m.apply_relation_intestatario,
    CONIUGE: m.apply_relation_coniuge,
    CONVIVENTE: m.apply_relation_convivente,
    FIGLIO: m.apply_relation_figlio,
    GENITORE: m.apply_relation_genitore,
    FRATELLO: m.apply_relation_fratello,
    NIPOTE: m.apply_relation_nipote,
    ALTRO: m.apply_relation_altro,
  },
  ImportKind: {
    REGISTRY: m.import_kind_registry,
    INCOME: m.import_kind_income,
  },
  ImportStatus: {
    QUEUED: m.import_status_queued,
    RUNNING: m.import_status_running,
    SUCCEEDED: m.import_status_succeeded,
    FAILED: m.import_status_failed,
  },
  MessageChannel: {
    EMAIL: m.message_channel_email,
    SMS: m.message_channel_sms,
    PORTAL: m.message_channel_portal,
  },
  MessageStatus: {
    PENDING: m.message_status_pending,
    SENT: m.message_status_sent,
    FAILED: m.message_status_failed,
  },
  MessageTemplate: {
    APPLICATION_RECEIVED: m.message_template_application_received,
    INTEGRATION_REQUESTED: m.message_template_integration_requested,
    DECISION: m.message_template_decision,
    INVITATION: m.message_template_invitation,
    PAYMENT: m.message_template_payment,
    CREDIT_EXPIRING: m.message_template_credit_expiring,
    BENEFIT_REVOKED: m.message_template_benefit_revoked,
  },

  // ---- Campaigns, applications, rankings
  CampaignKind: {
    FOOD_VOUCHERS: m.measure_kind_food_vouchers,
    BILLS: m.measure_kind_bills,
    RENT: m.measure_kind_rent,
    ARREARS: m.measure_kind_arrears,
    OTHER: m.measure_kind_other,
  },
  CampaignStatus: {
    DRAFT: m.campaign_status_draft,
    PUBLISHED: m.campaign_status_published,
    CLOSED: m.campaign_status_closed,
  },
  AmountMode: {
    BY_SIZE: m.campaign_mode_by_size,
    PER_MEMBER: m.campaign_mode_per_member,
  },
  RankingCriterion: {
    ISEE_ASC: m.campaign_criterion_isee_asc,
    MINORS_DESC: m.campaign_criterion_minors_desc,
    SIZE_DESC: m.campaign_criterion_size_desc,
    DISABILITY_FIRST: m.campaign_criterion_disability_first,
    SUBMITTED_ASC: m.campaign_criterion_submitted_asc,
  },
  ApplicationStatus: {
    DRAFT: m.apply_status_draft,
    SUBMITTED: m.apply_status_submitted,
    IN_REVIEW: m.apply_status_in_review,
    NEEDS_INTEGRATION: m.apply_status_needs_integration,
    APPROVED: m.apply_status_approved,
    ELIGIBLE_NOT_FUNDED: m.apply_status_eligible_not_funded,
    REJECTED: m.apply_status_rejected,
    WITHDRAWN: m.apply_status_withdrawn,
    APPEALED: m.apply_status_appealed,
    PENDING_APPROVAL: m.apply_status_pending_approval,
    REVOKED: m.apply_status_revoked,
  },
  CaseEventKind: {
    DRAFT_CREATED: m.myapps_event_draft_created,
    SUBMITTED: m.myapps_event_submitted,
    CHECKS_RUN: m.myapps_event_checks_run,
    ASSIGNED: m.myapps_event_assigned,
    REVIEW_STARTED: m.myapps_event_review_started,
    INTEGRATION_REQUESTED: m.myapps_event_integration_requested,
    INTEGRATION_SUBMITTED: m.myapps_event_integration_submitted,
    DOCUMENT_UPLOADED: m.myapps_event_document_uploaded,
    APPROVED: m.myapps_event_approved,
    REJECTED: m.myapps_event_rejected,
    WITHDRAWN: m.myapps_event_withdrawn,
    APPEALED: m.myapps_event_appealed,
    RANKED: m.myapps_event_ranked,
    DECISION_PROPOSED: m.myapps_event_decision_proposed,
    DECISION_RETURNED: m.myapps_event_decision_returned,
    AMOUNT_CORRECTED: m.myapps_event_amount_corrected,
    REVOKED: m.myapps_event_revoked,
  },

  // ---- Cards, shops, payments, money checks
  CardStatus: {
    ACTIVE: m.cards_status_active,
    BLOCKED: m.cards_status_blocked,
    REPLACED: m.cards_status_replaced,
  },
  CardBlockReason: {
    PIN_LOCKED: m.cards_reason_pin_locked,
    LOST: m.cards_reason_lost,
    STOLEN: m.cards_reason_stolen,
    DAMAGED: m.cards_reason_damaged,
    SUSPECTED_MISUSE: m.cards_reason_suspected_misuse,
    HOLDER_REQUEST: m.cards_reason_holder_request,
    OTHER: m.cards_reason_other,
  },
  ShopCategory: {
    FOOD: m.shop_cat_food,
    PHARMACY: m.shop_cat_pharmacy,
    HYGIENE: m.shop_cat_hygiene,
    CLOTHING: m.shop_cat_clothing,
    SCHOOL: m.shop_cat_school,
    ALCOHOL: m.shop_cat_alcohol,
    TOBACCO: m.shop_cat_tobacco,
    GAMBLING: m.shop_cat_gambling,
    PHONE_TOPUP: m.shop_cat_phone_topup,
    OTHER: m.shop_cat_other,
  },
  AccreditationStatus: {
    PENDING: m.shop_status_pending,
    ACCREDITED: m.shop_status_accredited,
    SUSPENDED: m.shop_status_suspended,
  },
  ScheduledTopUpStatus: {
    PENDING: m.sched_status_pending,
    DONE: m.sched_status_done,
    FAILED: m.sched_status_failed,
    CANCELLED: m.sched_status_cancelled,
  },
  ReconciliationTrigger: {
    SCHEDULER: m.recon_trigger_scheduler,
    ON_DEMAND: m.recon_trigger_on_demand,
  },
  ReconciliationCheck: {
    FUND_FOLLOWS_BUDGET: m.recon_check_fund_follows_budget,
    FUND_BALANCE: m.recon_check_fund_balance,
    COMMITTED_WITHIN_BUDGET: m.recon_check_committed_within_budget,
    CREDIT_WITHIN_ENTITLEMENT: m.recon_check_credit_within_entitlement,
    CREDIT_EQUALS_TRANCHES: m.recon_check_credit_equals_tranches,
    CREDIT_ONLY_APPROVED: m.recon_check_credit_only_approved,
    NO_CREDIT_ON_REPLACED_CARD: m.recon_check_no_credit_on_replaced_card,
    PAYMENT_LEGS: m.recon_check_payment_legs,
    VOID_MATCHES_PAYMENT: m.recon_check_void_matches_payment,
    CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS: m.recon_check_campaign_payments_equal_shop_credits,
    SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE: m.recon_check_shop_credits_equal_reimbursed_and_due,
    REIMBURSEMENT_CAMPAIGN: m.recon_check_reimbursement_campaign,
    BATCH_TOTALS: m.recon_check_batch_totals,
    CAMPAIGN_SERVICES_EQUAL_PROVIDER_CREDITS:
      m.recon_check_campaign_services_equal_provider_credits,
  },
  ReconciliationMismatchKind: {
    MISSING_HERE: m.admin_payments_kind_missing_here,
    MISSING_AT_STRIPE: m.admin_payments_kind_missing_at_stripe,
    AMOUNT_DIFFERS: m.admin_payments_kind_amount_differs,
  },
  ReimbursementState: {
    VOIDED: m.reimb_state_voided,
    FLAGGED: m.reimb_state_flagged,
    TO_BE_REIMBURSED: m.reimb_state_to_be,
    IN_BATCH: m.reimb_state_in_batch,
    REIMBURSED: m.reimb_state_reimbursed,
  },
  ReimbursementPayeeKind: {
    PROVIDER_SERVICES: m.reimbursement_provider_kind_services,
    TUTORING: m.reimbursement_provider_kind_tutoring,
  },
  ReimbursementHeldBackReason: {
    NO_IBAN: m.reimbursement_provider_held_no_iban,
    NO_TARIFF: m.reimbursement_provider_held_no_tariff,
    UNKNOWN_PROVIDER: m.reimbursement_provider_held_unknown,
  },
  ReimbursementBatchStatus: {
    DRAFT: m.reimb_batch_draft,
    APPROVED: m.reimb_batch_approved,
    PAID: m.reimb_batch_paid,
    DISCARDED: m.reimb_batch_discarded,
  },

  // ---- Third sector: accreditation, offers, bookings, tutoring
  ProviderAccreditationStatus: {
    DRAFT: m.ts_status_draft,
    SUBMITTED: m.ts_status_submitted,
    IN_REVIEW: m.ts_status_in_review,
    NEEDS_INTEGRATION: m.ts_status_needs_integration,
    ACCREDITED: m.ts_status_accredited,
    REJECTED: m.ts_status_rejected,
    SUSPENDED: m.ts_status_suspended,
    SUPERSEDED: m.ts_status_superseded,
  },
  ProviderAccreditationEventKind: {
    CREATED: m.ts_event_created,
    DOCUMENT_UPLOADED: m.ts_event_document_uploaded,
    SUBMITTED: m.ts_event_submitted,
    REVIEW_STARTED: m.ts_event_review_started,
    INTEGRATION_REQUESTED: m.ts_event_integration_requested,
    ACCREDITED: m.ts_event_accredited,
    REJECTED: m.ts_event_rejected,
    SUSPENDED: m.ts_event_suspended,
    REINSTATED: m.ts_event_reinstated,
    SUPERSEDED: m.ts_event_superseded,
  },
  ProviderAccreditationOutcome: {
    ACCREDITED: m.ts_outcome_accredited,
    REJECTED: m.ts_outcome_rejected,
  },
  OfferCategory: {
    EDUCATION: m.offer_category_education,
    CHILDCARE: m.offer_category_childcare,
    ELDERLY_CARE: m.offer_category_elderly_care,
    DISABILITY: m.offer_category_disability,
    HEALTH: m.offer_category_health,
    SPORT: m.offer_category_sport,
    CULTURE: m.offer_category_culture,
    EMPLOYMENT: m.offer_category_employment,
    HOME_SERVICES: m.offer_category_home_services,
    OTHER: m.offer_category_other,
  },
  OfferTarget: {
    CHILDREN: m.offer_target_children,
    TEENAGERS: m.offer_target_teenagers,
    YOUNG_ADULTS: m.offer_target_young_adults,
    FAMILIES: m.offer_target_families,
    ADULTS: m.offer_target_adults,
    ELDERLY: m.offer_target_elderly,
    PEOPLE_WITH_DISABILITIES: m.offer_target_people_with_disabilities,
    EVERYONE: m.offer_target_everyone,
  },
  OfferPriceKind: {
    FREE: m.offer_price_kind_free,
    PER_HOUR: m.offer_price_kind_per_hour,
    PER_SESSION: m.offer_price_kind_per_session,
    PER_PACKAGE: m.offer_price_kind_per_package,
  },
  OfferFormat: {
    INDIVIDUAL: m.offer_format_individual,
    GROUP: m.offer_format_group,
  },
  OfferStatus: {
    DRAFT: m.offer_status_draft,
    PUBLISHED: m.offer_status_published,
    WITHDRAWN: m.offer_status_withdrawn,
  },
  CataloguePricing: {
    FREE: m.catalogue_pricing_free,
    PAID: m.catalogue_pricing_paid,
  },
  BookingPaymentStatus: {
    NOT_DUE: m.booking_payment_not_due,
    TO_BE_PAID_AT_PROVIDER: m.booking_pay_at_provider,
    PAYMENT_DUE: m.booking_payment_due,
    PAYMENT_IN_PROGRESS: m.booking_payment_in_progress,
    PAID: m.booking_payment_paid,
    PARTIALLY_REFUNDED: m.booking_payment_partially_refunded,
    REFUNDED: m.booking_payment_refunded,
    UNPAID: m.booking_payment_unpaid,
  },
  WelfarePlanPurpose: {
    SERVICES_IN_KIND: m.cw_purpose_services_in_kind,
    EDUCATION_CHILDCARE: m.cw_purpose_education_childcare,
    ELDERLY_CARE: m.cw_purpose_elderly_care,
    PUBLIC_TRANSPORT: m.cw_purpose_public_transport,
    FRINGE_BENEFIT: m.cw_purpose_fringe_benefit,
  },
  WelfarePlanStatus: {
    DRAFT: m.cw_plan_status_draft,
    ACTIVE: m.cw_plan_status_active,
    CLOSED: m.cw_plan_status_closed,
  },
  // ---- IES circuit: payments (ies-pay)
  IesPaymentRequestStatus: {
    OPEN: m.iep_status_open,
    PAID: m.iep_status_paid,
  },
  BonusConversionStatus: {
    REQUESTED: m.cw_bonus_status_requested,
    CONFIRMED: m.cw_bonus_status_confirmed,
    REJECTED: m.cw_bonus_status_rejected,
  },
  WelfarePlanEndRule: {
    RETURN_TO_EMPLOYER: m.cw_end_rule_return,
    CARRY_OVER: m.cw_end_rule_carry_over,
  },
  // cw-enrolment: the same words as the Comune's imports.
  EnrolmentJobStatus: {
    QUEUED: m.import_status_queued,
    RUNNING: m.import_status_running,
    SUCCEEDED: m.import_status_succeeded,
    FAILED: m.import_status_failed,
  },
  // cw-employee: the employee's credit movements and the fringe-benefit cap.
  WelfareCreditMovementKind: {
    FUNDING: m.cwm_kind_funding,
    CREDIT: m.cwm_kind_credit,
    CREDIT_REVERSAL: m.cwm_kind_credit_reversal,
    SERVICE_PAYMENT: m.cwm_kind_service_payment,
    SERVICE_REFUND: m.cwm_kind_service_refund,
    REIMBURSEMENT: m.cwm_kind_reimbursement,
    FRINGE_BENEFIT: m.cwm_kind_fringe_benefit,
    BONUS_CONVERSION: m.cwm_kind_bonus_conversion,
    PLAN_END_RETURN: m.cwm_kind_plan_end_return,
    PLAN_END_CARRY_OVER: m.cwm_kind_plan_end_carry_over,
  },
  FringeBenefitLevel: {
    OK: m.cwm_level_ok,
    WARNING: m.cwm_level_warning,
    EXCEEDED: m.cwm_level_exceeded,
  },
  FringeBenefitSource: {
    DECLARED: m.cwm_source_declared,
    PLAN: m.cwm_source_plan,
  },
  OfferBookingStatus: {
    REQUESTED: m.booking_status_requested,
    CONFIRMED: m.booking_status_confirmed,
    DECLINED: m.booking_status_declined,
    CANCELLED: m.booking_status_cancelled,
    CANCELLED_BY_PROVIDER: m.booking_status_cancelled_by_provider,
    EXPIRED: m.booking_status_expired,
  },
  TutoringAttendance: {
    PRESENT: m.lessons_present,
    ABSENT: m.lessons_absent,
    JUSTIFIED: m.lessons_justified,
  },
  // ---- pagoPA notices (payments)
  PagopaNoticeStatus: {
    UNPAID: m.pagopa_status_unpaid,
    PAID: m.pagopa_status_paid,
    CANCELLED: m.pagopa_status_cancelled,
  },
  PagopaLineOutcome: {
    PAID: m.pagopa_outcome_paid,
    ALREADY_PAID: m.pagopa_outcome_already_paid,
    UNMATCHED: m.pagopa_outcome_unmatched,
    AMOUNT_MISMATCH: m.pagopa_outcome_amount_mismatch,
    NOT_PAYABLE: m.pagopa_outcome_not_payable,
    REVOKED: m.pagopa_outcome_revoked,
    BAD_LINE: m.pagopa_outcome_bad_line,
  },

  // ---- Payments (checkouts)
  CheckoutStatus: {
    OPEN: m.payments_status_open,
    HOLDING: m.payments_status_holding,
    AWAITING_CARD: m.payments_status_awaiting_card,
    CAPTURING: m.payments_status_capturing,
    PAID: m.payments_status_paid,
    RELEASING: m.payments_status_releasing,
    FAILED: m.payments_status_failed,
  },
  CheckoutLegStatus: {
    PLANNED: m.payments_leg_planned,
    HELD: m.payments_leg_held,
    AUTHORISED: m.payments_leg_authorised,
    CAPTURED: m.payments_leg_captured,
    RELEASED: m.payments_leg_released,
    FAILED: m.payments_leg_failed,
  },
  CheckoutLegKind: {
    FUND: m.payments_kind_fund,
    CARD: m.payments_kind_card,
  },
  // ---- Corporate welfare: reimbursement claims (cw-claims)
  WelfareClaimStatus: {
    SUBMITTED: m.cwc_status_submitted,
    APPROVED: m.cwc_status_approved,
    REJECTED: m.cwc_status_rejected,
  },
  WelfareClaimRelationship: {
    SELF: m.cwc_rel_self,
    SPOUSE: m.cwc_rel_spouse,
    CHILD: m.cwc_rel_child,
    PARENT: m.cwc_rel_parent,
    SIBLING: m.cwc_rel_sibling,
    OTHER_RELATIVE: m.cwc_rel_other,
  },
  // ---- IES circuit: earning by taking part (iee)
  IesEarningKind: {
    LOCAL_PURCHASE: m.iee_kind_local_purchase,
    ATTENDANCE: m.iee_kind_attendance,
    VOLUNTEERING: m.iee_kind_volunteering,
    SHARING: m.iee_kind_sharing,
  },
  IesCapPeriod: {
    DAY: m.iee_period_day,
    WEEK: m.iee_period_week,
    MONTH: m.iee_period_month,
    YEAR: m.iee_period_year,
  },
  IesVolunteeringUnit: {
    HOUR: m.iee_unit_hour,
    SHIFT: m.iee_unit_shift,
  },
  IesRewardOutcome: {
    PAID: m.iee_outcome_paid,
    ALREADY_EARNED: m.iee_outcome_already,
    NO_RULE: m.iee_outcome_no_rule,
    UNFUNDED: m.iee_outcome_unfunded,
  },

  // ---- IES circuit: members and wallets (ies-members)
  IesMemberKind: {
    CITIZEN: m.iem_kind_citizen,
    BUSINESS: m.iem_kind_business,
    ASSOCIATION: m.iem_kind_association,
    COOPERATIVE: m.iem_kind_cooperative,
    COMUNE: m.iem_kind_comune,
  },
  IesMemberStatus: {
    PENDING: m.iem_status_pending,
    ACTIVE: m.iem_status_active,
    REJECTED: m.iem_status_rejected,
    SUSPENDED: m.iem_status_suspended,
  },
  IesMovementCode: {
    ISSUANCE: m.iem_code_issuance,
    REWARD_FUNDING: m.iem_code_reward_funding,
    REWARD: m.iem_code_reward,
    PAYMENT: m.iem_code_payment,
    FEE: m.iem_code_fee,
    CONVERSION: m.iem_code_conversion,
    CONVERSION_FEE: m.iem_code_conversion_fee,
    CARD_FALLBACK: m.iem_code_card_fallback,
    SERVICE_PAYMENT: m.iem_code_service_payment,
    SERVICE_REFUND: m.iem_code_service_refund,
    DONATION: m.iem_code_donation,
    PROJECT_PAYOUT: m.iem_code_project_payout,
    DEMURRAGE: m.iem_code_demurrage,
    EXPIRY: m.iem_code_expiry,
    FEE_USE: m.iem_code_fee_use,
    OTHER: m.iem_code_other,
  },
  IesMovementStatus: {
    PENDING: m.iem_mstatus_pending,
    POSTED: m.iem_mstatus_posted,
    VOIDED: m.iem_mstatus_voided,
    EXPIRED: m.iem_mstatus_expired,
  },
  IesFeePayer: {
    PAYER: m.iem_fee_payer_payer,
    PAYEE: m.iem_fee_payer_payee,
  },
  IesCircuitStatus: {
    ACTIVE: m.iem_circuit_active,
    SUSPENDED: m.iem_circuit_suspended,
  },

  // ---- IES circuits: reserve and conversions (ies-reserve)
  IesReceiptKind: {
    PURCHASE: m.ier_receipt_purchase,
    REWARD_FUNDING: m.ier_receipt_reward_funding,
  },
  IesCardFallbackDebtStatus: {
    OPEN: m.iefd_status_open,
    SETTLED: m.iefd_status_settled,
  },
  IesFeeUseKind: {
    REWARDS: m.ier_use_rewards,
    PROJECT: m.ier_use_project,
    COSTS: m.ier_use_costs,
  },
  IesConversionStatus: {
    PENDING: m.ier_status_pending,
    APPROVED: m.ier_status_approved,
    REJECTED: m.ier_status_rejected,
  },
  // ---- IES circuit: fundraising projects (ies-catalogue)
  IesProjectStatus: {
    OPEN: m.iec_status_open,
    CLOSED: m.iec_status_closed,
  },
  // ---- Public welfare: measures decided outside the platform (direct lists)
  ApplicationOrigin: {
    PORTAL: m.dl_origin_portal,
    DIRECT_LIST: m.dl_origin_direct_list,
  },
  // ---- Campaigns: funding sources (issue 19)
  FundingSourceKind: {
    STATE: m.funding_kind_state,
    REGION: m.funding_kind_region,
    COMUNE: m.funding_kind_comune,
    EU: m.funding_kind_eu,
    DONATION: m.funding_kind_donation,
    OTHER: m.funding_kind_other,
  },
  FundingAllocation: {
    PRO_RATA: m.funding_allocation_pro_rata,
    PRIORITY: m.funding_allocation_priority,
  },
};

/** The label of a value of an enum. */
export function enumLabel<N extends LabelledEnum>(name: N, value: ApiEnum<N>): string {
  return (ENUM_LABELS[name] as Record<string, () => string>)[value]!();
}

/**
 * The label of a value typed as a plain string (a value the portal keeps as text), or undefined
 * when it is not one of the enum's: the caller decides what to show then.
 */
export function enumLabelOf(name: LabelledEnum, value: string): string | undefined {
  const labels = ENUM_LABELS[name] as Readonly<Record<string, () => string>>;
  return Object.hasOwn(labels, value) ? labels[value]!() : undefined;
}
