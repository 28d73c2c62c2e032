// Labels of the money pages (shop categories, accreditation statuses, movements). Pure.
import { enumLabel, enumLabelOf } from './enum-labels';
import { m } from './paraglide/messages';

/** A category of goods (ShopCategory); an unknown one reads as "Altro". */
export function categoryLabel(category: string): string {
  return enumLabelOf('ShopCategory', category) ?? enumLabel('ShopCategory', 'OTHER');
}

/** A shop's accreditation status (AccreditationStatus); an unknown one reads as pending. */
export function accreditationLabel(status: string): string {
  return enumLabelOf('AccreditationStatus', status) ?? enumLabel('AccreditationStatus', 'PENDING');
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
