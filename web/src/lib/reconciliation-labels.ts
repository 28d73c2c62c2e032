// Labels of the money check (the reconciliation's rules), in the page's language.
import { m } from '$lib/paraglide/messages';

/** A rule of the reconciliation (`ReconciliationCheck`). */
export function reconCheckLabel(check: string): string {
  switch (check) {
    case 'FUND_FOLLOWS_BUDGET':
      return m.recon_check_fund_follows_budget();
    case 'FUND_BALANCE':
      return m.recon_check_fund_balance();
    case 'COMMITTED_WITHIN_BUDGET':
      return m.recon_check_committed_within_budget();
    case 'CREDIT_WITHIN_ENTITLEMENT':
      return m.recon_check_credit_within_entitlement();
    case 'CREDIT_EQUALS_TRANCHES':
      return m.recon_check_credit_equals_tranches();
    case 'CREDIT_ONLY_APPROVED':
      return m.recon_check_credit_only_approved();
    case 'NO_CREDIT_ON_REPLACED_CARD':
      return m.recon_check_no_credit_on_replaced_card();
    case 'PAYMENT_LEGS':
      return m.recon_check_payment_legs();
    case 'VOID_MATCHES_PAYMENT':
      return m.recon_check_void_matches_payment();
    case 'CAMPAIGN_PAYMENTS_EQUAL_SHOP_CREDITS':
      return m.recon_check_campaign_payments_equal_shop_credits();
    case 'SHOP_CREDITS_EQUAL_REIMBURSED_AND_DUE':
      return m.recon_check_shop_credits_equal_reimbursed_and_due();
    case 'REIMBURSEMENT_CAMPAIGN':
      return m.recon_check_reimbursement_campaign();
    case 'BATCH_TOTALS':
      return m.recon_check_batch_totals();
    default:
      return check;
  }
}

/** Who ran it: the scheduler or a person. */
export function reconTriggerLabel(trigger: string): string {
  return trigger === 'SCHEDULER' ? m.recon_trigger_scheduler() : m.recon_trigger_on_demand();
}
