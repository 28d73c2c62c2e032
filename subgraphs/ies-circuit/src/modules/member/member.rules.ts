import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { OrganisationKind } from '@welfare/kit';
import { FieldErrors } from '@welfare/kit/errors';
import { isValidPartitaIva } from '@welfare/kit/pii';
import { MEMBER_KINDS, type MemberKind } from './member.entity.js';

// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f]/;

/** The member kinds an organisation of each platform kind may join as. */
export const KINDS_BY_ORGANISATION: Record<OrganisationKind, readonly MemberKind[]> = {
  MERCHANT: ['BUSINESS'],
  COOPERATIVE: ['COOPERATIVE', 'BUSINESS'],
  ASSOCIATION: ['ASSOCIATION'],
  COMUNE: ['COMUNE'],
  EMPLOYER: ['BUSINESS'],
};

/** The roles that may ask for (and speak for) an organisation's membership. */
export const REQUEST_ROLES = ['OWNER', 'ADMIN', 'MANAGER'] as const;

/** An organisation's request as it arrives. */
export interface MembershipRequestData {
  kind: string;
  displayName: string;
  vatNumber?: string | null;
  address?: string | null;
  iban?: string | null;
  categories?: readonly string[] | null;
  acceptsIes?: boolean | null;
}

/** The request, checked and normalised. */
export interface MembershipRequest {
  kind: MemberKind;
  displayName: string;
  vatNumber: string | null;
  address: string | null;
  iban: string | null;
  categories: string[];
  acceptsIes: boolean;
}

function text(
  errors: FieldErrors,
  field: string,
  value: string | null | undefined,
  min: number,
  max: number,
): string | null {
  const trimmed = (value ?? '').trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) return null;
  if (trimmed.length < min || trimmed.length > max) {
    errors.add(field, `Da ${min} a ${max} caratteri.`, `From ${min} to ${max} characters.`);
  } else if (CONTROL.test(trimmed)) {
    errors.add(
      field,
      'Contiene caratteri non ammessi.',
      'Contains characters that are not allowed.',
    );
  } else return trimmed;
  return null;
}

const REQUIRED = ['Campo obbligatorio.', 'Required.'] as const;

/** An Italian IBAN (IT, 27 characters, check digits verified) in electronic format, or null. */
export function normaliseIban(value: string): string | null {
  const iban = electronicFormatIBAN(value.trim()) ?? '';
  return iban.startsWith('IT') && iban.length === 27 && isValidIBAN(iban) ? iban : null;
}

/**
 * Checks an organisation's request: every field at once, BAD_USER_INPUT (Italian and English) with
 * each wrong field. A business must give its partita IVA, address and IBAN (the manager accepts it
 * with them); the others may give an IBAN (where conversions to euro are paid).
 */
export function checkMembershipRequest(
  data: MembershipRequestData,
  organisationKind: OrganisationKind,
): MembershipRequest {
  const errors = new FieldErrors();
  const kinds = KINDS_BY_ORGANISATION[organisationKind];
  let kind: MemberKind | null = null;
  if (!(MEMBER_KINDS as readonly string[]).includes(data.kind) || data.kind === 'CITIZEN') {
    errors.add('kind', 'Tipo di socio non ammesso.', 'Member kind not allowed.');
  } else if (!kinds.includes(data.kind as MemberKind)) {
    errors.add(
      'kind',
      'Questo tipo di socio non corrisponde al tipo della tua organizzazione.',
      'This member kind does not match your organisation’s kind.',
    );
  } else kind = data.kind as MemberKind;

  const displayName = text(errors, 'displayName', data.displayName, 2, 120);
  if (displayName === null && !(data.displayName ?? '').trim())
    errors.add('displayName', ...REQUIRED);

  let vatNumber: string | null = null;
  const vatText = (data.vatNumber ?? '').trim().replace(/^IT/i, '');
  if (vatText) {
    if (isValidPartitaIva(vatText)) vatNumber = vatText;
    else errors.add('vatNumber', 'Partita IVA non valida.', 'Invalid partita IVA (VAT number).');
  }
  const address = text(errors, 'address', data.address, 5, 300);
  let iban: string | null = null;
  if ((data.iban ?? '').trim()) {
    iban = normaliseIban(data.iban ?? '');
    if (!iban) {
      errors.add(
        'iban',
        'IBAN italiano non valido (controlla le cifre di controllo).',
        'Invalid Italian IBAN (check its check digits).',
      );
    }
  }
  const business = kind === 'BUSINESS';
  if (business && !vatText) errors.add('vatNumber', ...REQUIRED);
  if (business && !(data.address ?? '').trim()) errors.add('address', ...REQUIRED);
  if (business && !(data.iban ?? '').trim()) errors.add('iban', ...REQUIRED);

  const categories: string[] = [];
  const given = data.categories ?? [];
  if (given.length > 10) {
    errors.add('categories', 'Al massimo 10 categorie.', 'At most 10 categories.');
  }
  for (const raw of given.slice(0, 10)) {
    const category = raw.trim().replace(/\s+/g, ' ');
    if (!category) continue;
    if (category.length > 60 || CONTROL.test(category)) {
      errors.add(
        'categories',
        'Categoria non valida (al massimo 60 caratteri).',
        'Invalid category (at most 60 characters).',
      );
      break;
    }
    if (!categories.includes(category)) categories.push(category);
  }
  errors.throwIfAny();
  return {
    kind: kind!,
    displayName: displayName!,
    vatNumber,
    address,
    iban,
    categories,
    acceptsIes: data.acceptsIes ?? false,
  };
}

/** A decision's reason (rejecting, suspending): 3 to 500 characters. */
export function checkReason(reason: string | null | undefined): string {
  const errors = new FieldErrors();
  const text = (reason ?? '').trim().replace(/\s+/g, ' ');
  if (!text) errors.add('reason', ...REQUIRED);
  else if (text.length < 3 || text.length > 500) {
    errors.add('reason', 'Da 3 a 500 caratteri.', 'From 3 to 500 characters.');
  } else if (CONTROL.test(text)) {
    errors.add(
      'reason',
      'Contiene caratteri non ammessi.',
      'Contains characters that are not allowed.',
    );
  }
  errors.throwIfAny();
  return text;
}
