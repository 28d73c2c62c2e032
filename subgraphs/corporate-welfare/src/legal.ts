import { z } from 'zod';

/*
 * The legal figures of corporate welfare (art. 51 TUIR and the budget laws that change them), as
 * configuration: each with its source beside it, per tax year, overridable from the environment
 * (`config.ts`, `WELFARE_LEGAL_FIGURES`: a JSON object of the same shape) when a new law changes
 * them. Check them every year (../shared/docs/DOMAIN.md, "Welfare aziendale").
 */

const cents = z.number().int().min(0).max(100_000_000);
const rate = z.number().int().min(0).max(10_000); // basis points: 100 = 1%

export const fringeBenefitCapSchema = z.object({
  /** First and last tax year the cap applies to (inclusive). */
  fromYear: z.number().int().min(2000).max(2100),
  toYear: z.number().int().min(2000).max(2100),
  /** The cap for an employee without fiscally dependent children, in cents. */
  capCents: cents,
  /** The cap for an employee with fiscally dependent children (declared), in cents. */
  withChildrenCapCents: cents,
  /** The law that sets it. */
  source: z.string().min(3).max(300),
});

export const bonusTaxSchema = z.object({
  fromYear: z.number().int().min(2000).max(2100),
  toYear: z.number().int().min(2000).max(2100),
  /** The substitute tax on the performance bonus paid as cash, in basis points. */
  substituteTaxBasisPoints: rate,
  /** The largest bonus the substitute tax applies to, in cents (above it, ordinary taxation). */
  maxBonusCents: cents,
  /** The employment income of the year before above which the bonus gets no relief, in cents. */
  maxPriorIncomeCents: cents,
  source: z.string().min(3).max(300),
});

export const legalFiguresSchema = z.object({
  fringeBenefitCaps: z.array(fringeBenefitCapSchema).min(1),
  /** The cap in the years no special law covers, in cents. */
  fringeBenefitPermanentCap: z.object({ capCents: cents, source: z.string().min(3).max(300) }),
  /** The share of the cap after which the employee and HR are warned, in basis points. */
  fringeBenefitWarningBasisPoints: rate,
  bonusTaxes: z.array(bonusTaxSchema).min(1),
  /** The employee's social security contribution withheld on a cash bonus, in basis points. */
  employeeContributionBasisPoints: z.object({ rate, source: z.string().min(3).max(300) }),
});
export type LegalFigures = z.infer<typeof legalFiguresSchema>;

/** The figures in force when this was written (checked on 2026-12-07). */
export const DEFAULT_LEGAL_FIGURES: LegalFigures = {
  fringeBenefitCaps: [
    {
      fromYear: 2025,
      toYear: 2027,
      capCents: 100_000,
      withChildrenCapCents: 200_000,
      source:
        'L. 30 dicembre 2024 n. 207 art. 1 c. 390-391 (anni 2025-2027; invariato dalla L. 199/2025)',
    },
  ],
  fringeBenefitPermanentCap: {
    capCents: 25_823,
    source: 'art. 51 c. 3 TUIR (DPR 917/1986): 258,23 euro',
  },
  // Not a legal figure: the platform's warning threshold (80% of the cap).
  fringeBenefitWarningBasisPoints: 8_000,
  bonusTaxes: [
    {
      fromYear: 2023,
      toYear: 2025,
      substituteTaxBasisPoints: 500,
      maxBonusCents: 300_000,
      maxPriorIncomeCents: 8_000_000,
      source: 'L. 29 dicembre 2022 n. 197 art. 1 c. 63 (5% fino a 3.000 euro, 2023-2025)',
    },
    {
      fromYear: 2026,
      toYear: 2027,
      substituteTaxBasisPoints: 100,
      maxBonusCents: 500_000,
      maxPriorIncomeCents: 8_000_000,
      source: 'L. 30 dicembre 2025 n. 199 art. 1 c. 8-9 (1% fino a 5.000 euro, 2026-2027)',
    },
  ],
  employeeContributionBasisPoints: {
    rate: 919,
    source: 'Aliquota IVS a carico del lavoratore dipendente (FPLD INPS): 9,19%',
  },
};

/** The fringe-benefit cap of a tax year for an employee, with its source. */
export function fringeBenefitCap(
  figures: LegalFigures,
  year: number,
  dependentChildren: number,
): { capCents: number; source: string } {
  const special = figures.fringeBenefitCaps.find((c) => c.fromYear <= year && year <= c.toYear);
  if (!special) return figures.fringeBenefitPermanentCap;
  return {
    capCents: dependentChildren > 0 ? special.withChildrenCapCents : special.capCents,
    source: special.source,
  };
}
