import { DomainError, FieldErrors } from '@welfare/kit/errors';
import type { LegalFigures } from '../../legal.js';

/** What a cash payment of part of a bonus leaves the employee, with what was withheld. */
export interface CashOutcome {
  /** The cash part of the bonus, in cents. */
  grossCents: number;
  /** The employee's social security contribution withheld. */
  contributionCents: number;
  /** The substitute tax on the rest. */
  taxCents: number;
  /** What reaches the employee's bank account. */
  netCents: number;
}

/** Net cash against welfare credit for one bonus, from the year's configured rates. */
export interface BonusComparison {
  year: number;
  bonusCents: number;
  convertedCents: number;
  /** The whole bonus paid as cash. */
  allCash: CashOutcome;
  /** The part not converted, paid as cash. */
  cashPart: CashOutcome;
  /** The converted part: welfare credit, free of tax and contributions (art. 51 c.2 TUIR). */
  creditCents: number;
  /** What the employee gets with the conversion (net cash plus credit) less the all-cash net. */
  gainCents: number;
  taxBasisPoints: number;
  contributionBasisPoints: number;
  /** The laws the rates come from. */
  source: string;
}

/** Basis points of an amount in cents, rounded half up to the cent. */
const share = (cents: number, basisPoints: number) => Math.round((cents * basisPoints) / 10_000);

function cash(grossCents: number, taxBp: number, contributionBp: number): CashOutcome {
  const contributionCents = share(grossCents, contributionBp);
  const taxCents = share(grossCents - contributionCents, taxBp);
  return {
    grossCents,
    contributionCents,
    taxCents,
    netCents: grossCents - contributionCents - taxCents,
  };
}

export interface ComparisonInput {
  year: number;
  bonusCents: number;
  convertedCents: number;
  priorYearIncomeCents: number;
}

/**
 * The comparison an employee sees before converting a performance bonus: the cash part taxed at
 * the year's substitute tax after the employee's contribution, the converted part as credit.
 * BAD_USER_INPUT, field by field, when the bonus cannot be converted: no rates configured for the
 * year, a bonus above the year's limit, a prior-year income above the eligibility limit, a
 * converted amount outside 1..bonus.
 */
export function compareBonus(figures: LegalFigures, input: ComparisonInput): BonusComparison {
  const rates = figures.bonusTaxes.find((r) => r.fromYear <= input.year && input.year <= r.toYear);
  const errors = new FieldErrors();
  if (!rates) {
    throw DomainError.badInput([
      {
        field: 'planId',
        message: {
          it: `Per il ${input.year} non sono configurate le aliquote del premio di risultato: la conversione non è disponibile.`,
          en: `No performance-bonus rates are configured for ${input.year}: conversion is not available.`,
        },
      },
    ]);
  }
  const euro = (cents: number) =>
    (cents / 100).toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (!Number.isInteger(input.bonusCents) || input.bonusCents < 1) {
    errors.add('bonusCents', 'Indica l’importo del premio.', 'Enter the bonus amount.');
  } else if (input.bonusCents > rates.maxBonusCents) {
    errors.add(
      'bonusCents',
      `Il premio agevolato nel ${input.year} è al massimo ${euro(rates.maxBonusCents)} euro (${rates.source}).`,
      `The relieved bonus in ${input.year} is at most ${euro(rates.maxBonusCents)} euro (${rates.source}).`,
    );
  }
  if (
    !Number.isInteger(input.convertedCents) ||
    input.convertedCents < 1 ||
    (Number.isInteger(input.bonusCents) && input.convertedCents > input.bonusCents)
  ) {
    errors.add(
      'convertedCents',
      'La parte da convertire va da 1 centesimo all’intero premio.',
      'The part to convert is from 1 cent to the whole bonus.',
    );
  }
  if (!Number.isInteger(input.priorYearIncomeCents) || input.priorYearIncomeCents < 0) {
    errors.add(
      'priorYearIncomeCents',
      'Indica il reddito da lavoro dipendente dell’anno precedente.',
      'Enter last year’s employment income.',
    );
  } else if (input.priorYearIncomeCents > rates.maxPriorIncomeCents) {
    errors.add(
      'priorYearIncomeCents',
      `Con un reddito dell’anno precedente oltre ${euro(rates.maxPriorIncomeCents)} euro il premio non è agevolato e non si può convertire (${rates.source}).`,
      `With last year’s income above ${euro(rates.maxPriorIncomeCents)} euro the bonus gets no relief and cannot be converted (${rates.source}).`,
    );
  }
  errors.throwIfAny();
  const taxBp = rates.substituteTaxBasisPoints;
  const contributionBp = figures.employeeContributionBasisPoints.rate;
  const allCash = cash(input.bonusCents, taxBp, contributionBp);
  const cashPart = cash(input.bonusCents - input.convertedCents, taxBp, contributionBp);
  return {
    year: input.year,
    bonusCents: input.bonusCents,
    convertedCents: input.convertedCents,
    allCash,
    cashPart,
    creditCents: input.convertedCents,
    gainCents: cashPart.netCents + input.convertedCents - allCash.netCents,
    taxBasisPoints: taxBp,
    contributionBasisPoints: contributionBp,
    source: `${rates.source}; ${figures.employeeContributionBasisPoints.source}`,
  };
}
