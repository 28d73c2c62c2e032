// IES amounts and the labels of the IES members' pages. Pure.
import type { ApiEnum } from './api-enums';
import { enumLabel } from './enum-labels';
import { type Locale, localeTag } from './locale';
import { pageNumber, pageQuery } from './paging';

/** Cents of IES as the pages show them: `40,00 IES` (1 IES = 1 euro), signed when asked. */
export function formatIes(cents: number, locale: Locale, signed = false): string {
  const text = new Intl.NumberFormat(localeTag(locale), {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    ...(signed ? { signDisplay: 'exceptZero' as const } : {}),
  }).format(cents / 100);
  return `${text} IES`;
}

export const iesMemberKindLabel = (kind: ApiEnum<'IesMemberKind'>): string =>
  enumLabel('IesMemberKind', kind);
export const iesMemberStatusLabel = (status: ApiEnum<'IesMemberStatus'>): string =>
  enumLabel('IesMemberStatus', status);
export const iesMovementLabel = (code: ApiEnum<'IesMovementCode'>): string =>
  enumLabel('IesMovementCode', code);
export const iesMovementStatusLabel = (status: ApiEnum<'IesMovementStatus'>): string =>
  enumLabel('IesMovementStatus', status);
export const iesFeePayerLabel = (payer: ApiEnum<'IesFeePayer'>): string =>
  enumLabel('IesFeePayer', payer);

/** The rules form's fields, in order. */
export const IES_RULES_FIELDS = [
  'feeFixedCents',
  'feeBasisPoints',
  'feeMaxCents',
  'feePayer',
  'welfareExempt',
  'conversionFeeBasisPoints',
  'conversionFeeMinCents',
  'demurrageBasisPoints',
  'expiryMonths',
] as const;

/** The member statuses and kinds, in the schema's order (the staff's filters). */
export const IES_MEMBER_STATUSES = [
  'PENDING',
  'ACTIVE',
  'REJECTED',
  'SUSPENDED',
] as const satisfies readonly ApiEnum<'IesMemberStatus'>[];
export const IES_MEMBER_KINDS = [
  'CITIZEN',
  'BUSINESS',
  'ASSOCIATION',
  'COOPERATIVE',
  'COMUNE',
] as const satisfies readonly ApiEnum<'IesMemberKind'>[];

/** Where the staff are in the members list: its filters and page, from the address. */
export interface IesMemberListPlace {
  status: (typeof IES_MEMBER_STATUSES)[number] | null;
  kind: (typeof IES_MEMBER_KINDS)[number] | null;
  /** Trimmed, up to 100 characters ('' for none). */
  search: string;
  /** From 1. */
  page: number;
}

/**
 * The members list's place read from `?stato=&tipo=&cerca=&pagina=` (the page's address, or a
 * decision's, which keeps it): an unknown status or kind is no filter, a bad page is page 1.
 */
export function iesMemberListPlace(params: URLSearchParams): IesMemberListPlace {
  return {
    status: IES_MEMBER_STATUSES.find((s) => s === params.get('stato')) ?? null,
    kind: IES_MEMBER_KINDS.find((k) => k === params.get('tipo')) ?? null,
    search: (params.get('cerca') ?? '').trim().slice(0, 100),
    page: pageNumber(params),
  };
}

/** The query string of a place of the list (`?stato=ACTIVE&cerca=rosa&pagina=2`, '' for the start). */
export function iesMemberListQuery(place: IesMemberListPlace, page = place.page): string {
  return pageQuery(
    { stato: place.status ?? '', tipo: place.kind ?? '', cerca: place.search },
    page,
  );
}
