import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { actorOf, isComuneStaff, isUuid, requireComuneManager } from '@welfare/kit/access';
import type { AuditService } from '../audit/audit.service.js';
import {
  OFFER_CATEGORIES,
  OFFER_LIMITS,
  type OfferCategoryValue,
  type OfferPriceKindValue,
} from '../offer/offer.enums.js';
import { AccreditationTariff } from './accreditation-tariff.entity.js';
import {
  findOfferIdsAboveTariff,
  findTariff,
  findTariffs,
} from './accreditation-tariff.repository.js';

/** The kinds of price a tariff caps (a free offer has none). */
export const TARIFF_PRICE_KINDS = ['PER_HOUR', 'PER_SESSION', 'PER_PACKAGE'] as const;
export type TariffPriceKind = (typeof TARIFF_PRICE_KINDS)[number];

export interface TariffInput {
  comuneId: string;
  category: OfferCategoryValue;
  priceKind: OfferPriceKindValue;
  /** The maximum price in cents; null removes the tariff. */
  maxPriceCents?: number | null;
}

const UNIT: Record<TariffPriceKind, [string, string]> = {
  PER_HOUR: ['all’ora', 'per hour'],
  PER_SESSION: ['a incontro', 'per session'],
  PER_PACKAGE: ['a pacchetto', 'per package'],
};

/** A price in cents in Italian (`25,00 €`) and English (`€25.00`). */
export function formatEuro(cents: number): [string, string] {
  const it = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
  const en = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
  return [it, en];
}

/**
 * The tariffs of a Comune's accreditation call: per offer category and kind of price, the
 * maximum price a provider may ask. Public (providers read them before pricing); set and removed
 * by the Comune's MANAGER. Lowering a tariff changes no offer: the offers above it are listed to
 * the Comune's staff (`offersAbove`), and a provider can save or publish them again only within
 * the tariff.
 */
export class AccreditationTariffService {
  constructor(private readonly audit: AuditService) {}

  /** The Comune's tariffs (empty for a malformed id). Public. */
  async list(em: EntityManager, comuneId: string): Promise<AccreditationTariff[]> {
    return isUuid(comuneId) ? findTariffs(em, comuneId) : [];
  }

  /**
   * Sets (or, with a null price, removes) the Comune's tariff for a category and kind of price.
   * MANAGER of the Comune only; BAD_USER_INPUT lists every invalid field. Returns the tariffs.
   */
  async set(em: EntityManager, caller: Caller, input: TariffInput): Promise<AccreditationTariff[]> {
    const person = requireComuneManager(caller, input.comuneId);
    const errors = new FieldErrors();
    if (!OFFER_CATEGORIES.includes(input.category)) {
      errors.add('category', 'Categoria non valida.', 'Invalid category.');
    }
    if (!(TARIFF_PRICE_KINDS as readonly string[]).includes(input.priceKind)) {
      errors.add(
        'priceKind',
        'Scegliere all’ora, a incontro o a pacchetto.',
        'Choose per hour, per session or per package.',
      );
    }
    const cents = input.maxPriceCents ?? null;
    if (
      cents !== null &&
      (!Number.isInteger(cents) || cents < 1 || cents > OFFER_LIMITS.priceCentsMax)
    ) {
      errors.add(
        'maxPriceCents',
        'La tariffa massima deve essere tra 0,01 € e 100.000,00 €, in centesimi interi.',
        'The maximum price must be between €0.01 and €100,000.00, in whole cents.',
      );
    }
    errors.throwIfAny();
    return em.transactional(async (tx) => {
      const existing = await findTariff(tx, input.comuneId, input.category, input.priceKind);
      if (cents === null) {
        if (existing) tx.remove(existing);
      } else if (existing) {
        existing.maxPriceCents = cents;
      } else {
        tx.create(AccreditationTariff, {
          comuneId: input.comuneId,
          category: input.category,
          priceKind: input.priceKind as TariffPriceKind,
          maxPriceCents: cents,
        });
      }
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(person),
        input.comuneId,
        'SET_OFFER_TARIFF',
        `tariff:${input.category}:${input.priceKind}:${cents ?? 'none'}`,
      );
      return findTariffs(tx, input.comuneId);
    });
  }

  /** The ids of the Comune's offers above their tariff (its staff only: FORBIDDEN otherwise). */
  async offersAbove(em: EntityManager, caller: Caller, comuneId: string): Promise<string[]> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(comuneId) || !isComuneStaff(caller, comuneId)) throw DomainError.forbidden();
    return findOfferIdsAboveTariff(em, comuneId);
  }

  /**
   * Adds a `priceCents` error when the price is above the Comune's tariff for the category and
   * kind of price, naming the tariff.
   */
  async checkPrice(
    em: EntityManager,
    comuneId: string,
    offer: {
      category: OfferCategoryValue;
      priceKind: OfferPriceKindValue;
      priceCents: number | null;
    },
    errors: FieldErrors,
  ): Promise<void> {
    if (offer.priceCents === null || offer.priceKind === 'FREE') return;
    const tariff = await findTariff(em, comuneId, offer.category, offer.priceKind);
    if (!tariff || offer.priceCents <= tariff.maxPriceCents) return;
    const [it, en] = formatEuro(tariff.maxPriceCents);
    const [unitIt, unitEn] = UNIT[tariff.priceKind];
    errors.add(
      'priceCents',
      `Il prezzo supera la tariffa massima fissata dal Comune per questa categoria: ${it} ${unitIt}.`,
      `The price is above the maximum the Comune set for this category: ${en} ${unitEn}.`,
    );
  }
}
