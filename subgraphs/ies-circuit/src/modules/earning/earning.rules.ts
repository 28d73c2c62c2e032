import { FieldErrors } from '@welfare/kit/errors';
import { isIsoDate } from '@welfare/kit/dates';
import {
  CAP_PERIODS,
  EARNING_KINDS,
  VOLUNTEERING_UNITS,
  type CapPeriod,
  type EarningKind,
  type VolunteeringUnit,
} from './earning.entity.js';

/** A rule as the staff writes it (create or update). */
export interface EarningRuleInput {
  kind: string;
  name: string;
  amountCents?: number | null;
  basisPoints?: number | null;
  volunteeringUnit?: string | null;
  visitsPerReward?: number | null;
  capCents: number;
  capPeriod: string;
  startsOn: string;
  endsOn?: string | null;
}

/** A rule's fields once valid. */
export interface ValidRule {
  kind: EarningKind;
  name: string;
  amountCents: number | null;
  basisPoints: number | null;
  volunteeringUnit: VolunteeringUnit | null;
  visitsPerReward: number | null;
  capCents: number;
  capPeriod: CapPeriod;
  startsOn: string;
  endsOn: string | null;
}

const between = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Every problem of a rule as field errors (Italian and English): BAD_USER_INPUT, nothing written. */
export function validateRule(input: EarningRuleInput): ValidRule {
  const errors = new FieldErrors();
  const kind = (EARNING_KINDS as readonly string[]).includes(input.kind)
    ? (input.kind as EarningKind)
    : null;
  if (!kind) errors.add('kind', 'Tipo di regola non valido.', 'Invalid kind of rule.');
  const name = (input.name ?? '').trim();
  if (name.length < 3 || name.length > 120) {
    errors.add('name', 'Il nome va da 3 a 120 caratteri.', 'The name takes 3 to 120 characters.');
  }
  if (kind === 'LOCAL_PURCHASE') {
    if (!between(input.basisPoints, 1, 5000)) {
      errors.add(
        'basisPoints',
        'La quota va da 1 a 5000 punti base (0,01%–50%).',
        'The share goes from 1 to 5000 basis points (0.01%–50%).',
      );
    }
  } else if (kind && !between(input.amountCents, 1, 100000)) {
    errors.add(
      'amountCents',
      'L’importo va da 0,01 a 1.000,00 IES.',
      'The amount goes from 0.01 to 1,000.00 IES.',
    );
  }
  const unit = input.volunteeringUnit ?? null;
  if (kind === 'VOLUNTEERING' && !(VOLUNTEERING_UNITS as readonly string[]).includes(unit ?? '')) {
    errors.add(
      'volunteeringUnit',
      'Indicare: per ora o per turno.',
      'Choose: per hour or per shift.',
    );
  }
  if (kind === 'SHARING' && !between(input.visitsPerReward, 1, 10000)) {
    errors.add(
      'visitsPerReward',
      'Le visite per premio vanno da 1 a 10.000.',
      'Visits per reward go from 1 to 10,000.',
    );
  }
  if (!between(input.capCents, 1, 10000000)) {
    errors.add(
      'capCents',
      'Il tetto va da 0,01 a 100.000,00 IES.',
      'The cap goes from 0.01 to 100,000.00 IES.',
    );
  }
  const capPeriod = (CAP_PERIODS as readonly string[]).includes(input.capPeriod)
    ? (input.capPeriod as CapPeriod)
    : null;
  if (!capPeriod) errors.add('capPeriod', 'Periodo non valido.', 'Invalid period.');
  if (!isIsoDate(input.startsOn)) {
    errors.add('startsOn', 'Data di inizio non valida.', 'Invalid start date.');
  }
  const endsOn = input.endsOn || null;
  if (endsOn !== null && !isIsoDate(endsOn)) {
    errors.add('endsOn', 'Data di fine non valida.', 'Invalid end date.');
  } else if (endsOn !== null && isIsoDate(input.startsOn) && endsOn < input.startsOn) {
    errors.add('endsOn', 'La fine precede l’inizio.', 'The end comes before the start.');
  }
  errors.throwIfAny();
  return {
    kind: kind!,
    name,
    amountCents: kind === 'LOCAL_PURCHASE' ? null : input.amountCents!,
    basisPoints: kind === 'LOCAL_PURCHASE' ? input.basisPoints! : null,
    volunteeringUnit: kind === 'VOLUNTEERING' ? (unit as VolunteeringUnit) : null,
    visitsPerReward: kind === 'SHARING' ? input.visitsPerReward! : null,
    capCents: input.capCents,
    capPeriod: capPeriod!,
    startsOn: input.startsOn,
    endsOn,
  };
}
