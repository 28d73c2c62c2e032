// Labels of the money pages (shop categories, accreditation statuses, movements). Pure.
import { m } from './paraglide/messages';

export function categoryLabel(category: string): string {
  switch (category) {
    case 'FOOD':
      return m.shop_cat_food();
    case 'PHARMACY':
      return m.shop_cat_pharmacy();
    case 'HYGIENE':
      return m.shop_cat_hygiene();
    case 'CLOTHING':
      return m.shop_cat_clothing();
    case 'SCHOOL':
      return m.shop_cat_school();
    case 'ALCOHOL':
      return m.shop_cat_alcohol();
    case 'TOBACCO':
      return m.shop_cat_tobacco();
    case 'GAMBLING':
      return m.shop_cat_gambling();
    case 'PHONE_TOPUP':
      return m.shop_cat_phone_topup();
    default:
      return m.shop_cat_other();
  }
}

export function accreditationLabel(status: string): string {
  if (status === 'ACCREDITED') return m.shop_status_accredited();
  if (status === 'SUSPENDED') return m.shop_status_suspended();
  return m.shop_status_pending();
}

export function accreditationTone(status: string): string {
  if (status === 'ACCREDITED') return 'success';
  if (status === 'SUSPENDED') return 'danger';
  return 'warning';
}

export function movementLabel(code: string): string {
  switch (code) {
    case 'TOPUP':
      return m.balance_mov_topup();
    case 'PAYMENT':
      return m.balance_mov_payment();
    case 'PAYMENT_VOID':
      return m.balance_mov_void();
    case 'SWEEP':
      return m.balance_mov_sweep();
    default:
      return m.balance_mov_other();
  }
}
