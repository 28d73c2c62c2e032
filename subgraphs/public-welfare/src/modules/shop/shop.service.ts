import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { isValidPartitaIva } from '@welfare/kit/pii';
import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import type { AuditService } from '../audit/audit.service.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { actorOf, isComuneStaff, isUuid } from '@welfare/kit/access';
import { ShopAccreditation, type PointOfSale } from './shop.entity.js';
import { SHOP_CATEGORIES, type ShopCategory } from '../shared/categories.js';
import { mapUrl, parseCoordinates } from './coordinates.js';

/** A shop as the public list shows it (no IBAN, partita IVA or people). */
export interface PublicShop {
  /** The MERCHANT organisation. */
  id: string;
  comuneId: string;
  name: string;
  categories: ShopCategory[];
  pointsOfSale: {
    name: string;
    address: string;
    latitude: number | null;
    longitude: number | null;
    mapUrl: string;
  }[];
  measures: { id: string; title: string }[];
}

export interface AccreditationRequest {
  merchantId: string;
  campaignId: string;
  partitaIva: string;
  iban: string;
  businessName: string;
  categories: string[];
  pointsOfSale: PointOfSale[];
}

/** True when the caller is OWNER (or, with `cashier`, CASHIER) of the MERCHANT organisation. */
export function worksAt(caller: Caller, merchantId: string, cashier = true): boolean {
  if (caller.kind !== 'person') return false;
  return caller.memberships.some(
    (m) =>
      m.organisationId === merchantId &&
      m.organisationKind === 'MERCHANT' &&
      (m.role === 'OWNER' || (cashier && m.role === 'CASHIER')),
  );
}

const notFound = () =>
  DomainError.notFound({ it: 'Accreditamento non trovato.', en: 'Accreditation not found.' });

/**
 * Shops joining campaigns: a MERCHANT's OWNER asks, the Comune's staff accredit or suspend.
 * A merchant sees only its own accreditations; a Comune only those of its campaigns.
 */
export class ShopService {
  constructor(private readonly audit: AuditService) {}

  async requestAccreditation(
    em: EntityManager,
    caller: Caller,
    input: AccreditationRequest,
  ): Promise<ShopAccreditation> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(input.merchantId) || !worksAt(caller, input.merchantId, false))
      throw DomainError.forbidden();
    const errors = new FieldErrors();
    const piva = input.partitaIva.trim();
    if (!isValidPartitaIva(piva))
      errors.add('partitaIva', 'Partita IVA non valida.', 'Invalid partita IVA.');
    const iban = electronicFormatIBAN(input.iban.slice(0, 64)) ?? '';
    if (!isValidIBAN(iban) || !isSEPACountry(iban.slice(0, 2)))
      errors.add('iban', 'IBAN non valido (area SEPA).', 'Invalid IBAN (SEPA area).');
    const name = input.businessName.trim();
    if (name.length < 1 || name.length > 200)
      errors.add('businessName', 'Da 1 a 200 caratteri.', 'From 1 to 200 characters.');
    const categories = [...new Set(input.categories)];
    if (
      categories.length < 1 ||
      categories.some((c) => !(SHOP_CATEGORIES as readonly string[]).includes(c))
    )
      errors.add('categories', 'Almeno una categoria valida.', 'At least one valid category.');
    const points: PointOfSale[] = input.pointsOfSale.map((p) => ({
      name: p.name.trim(),
      address: p.address.trim(),
    }));
    input.pointsOfSale.forEach((p, i) => {
      const at = parseCoordinates(p.latitude, p.longitude);
      if (at === undefined)
        errors.add(
          `pointsOfSale.${i}.latitude`,
          'Latitudine (da -90 a 90) e longitudine (da -180 a 180) vanno indicate insieme.',
          'Latitude (-90 to 90) and longitude (-180 to 180) go together.',
        );
      else if (at) Object.assign(points[i]!, at);
    });
    if (
      points.length < 1 ||
      points.length > 50 ||
      points.some((p) => !p.name || !p.address || p.name.length > 200 || p.address.length > 300)
    )
      errors.add(
        'pointsOfSale',
        'Da 1 a 50 punti vendita, ciascuno con nome e indirizzo.',
        'From 1 to 50 points of sale, each with a name and an address.',
      );
    const campaign = isUuid(input.campaignId)
      ? await em.findOne(Campaign, { id: input.campaignId, status: 'PUBLISHED' })
      : null;
    if (!campaign)
      errors.add(
        'campaignId',
        'Campagna non trovata o non pubblicata.',
        'Campaign not found or not published.',
      );
    errors.throwIfAny();
    const existing = await em.findOne(ShopAccreditation, {
      merchantId: input.merchantId,
      campaignId: campaign!.id,
    });
    if (existing) {
      throw DomainError.conflict({
        it: 'Il negozio ha già chiesto di aderire a questa campagna.',
        en: 'The shop has already asked to join this campaign.',
      });
    }
    const row = em.create(ShopAccreditation, {
      merchantId: input.merchantId,
      comuneId: campaign!.comuneId,
      campaignId: campaign!.id,
      partitaIva: piva,
      iban,
      businessName: name,
      categories: categories as ShopCategory[],
      pointsOfSale: points,
      requestedBy: caller.personId,
    });
    await em.flush();
    return row;
  }

  /** Accredits or suspends (staff of the campaign's Comune; NOT_FOUND for anyone else). */
  async decide(
    em: EntityManager,
    caller: Caller,
    id: string,
    status: 'ACCREDITED' | 'SUSPENDED',
  ): Promise<ShopAccreditation> {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const row = isUuid(id) ? await em.findOne(ShopAccreditation, { id }) : null;
    if (!row || !isComuneStaff(caller, row.comuneId)) throw notFound();
    if (status !== 'ACCREDITED' && status !== 'SUSPENDED') {
      new FieldErrors().add('status', 'Stato non valido.', 'Invalid status.').throwIfAny();
    }
    row.status = status;
    row.decidedBy = caller.personId;
    row.decidedAt = new Date();
    await this.audit.record(em, actorOf(caller), row.comuneId, 'DECIDE_SHOP', `shop:${row.id}`);
    await em.flush();
    return row;
  }

  /** The merchant's accreditations (its OWNERs and CASHIERs). */
  async forMerchant(em: EntityManager, caller: Caller, merchantId: string) {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    if (!isUuid(merchantId) || !worksAt(caller, merchantId)) return [];
    return em.find(ShopAccreditation, { merchantId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** The accreditations of a campaign (staff of its Comune). */
  async forCampaign(em: EntityManager, caller: Caller, campaignId: string) {
    if (caller.kind !== 'person') throw DomainError.unauthenticated();
    const campaign = isUuid(campaignId) ? await em.findOne(Campaign, { id: campaignId }) : null;
    if (!campaign || !isComuneStaff(caller, campaign.comuneId)) return [];
    return em.find(ShopAccreditation, { campaignId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /**
   * The public list of shops where a measure's card can be spent: those ACCREDITED (a suspension
   * hides them at once) for one public campaign, or for any public campaign of a Comune (one entry
   * per merchant, naming its measures). Only public facts: name, categories, points of sale.
   * Anyone may ask, logged in or not.
   */
  async publicList(
    em: EntityManager,
    where: { campaignId?: string | null; comuneId?: string | null },
  ): Promise<PublicShop[]> {
    const { campaignId, comuneId } = where;
    if ((campaignId && !isUuid(campaignId)) || (comuneId && !isUuid(comuneId))) return [];
    if (!campaignId && !comuneId) {
      new FieldErrors()
        .add('campaignId', 'Indicare una misura o un Comune.', 'Name a measure or a Comune.')
        .throwIfAny();
    }
    const campaigns = await em.find(
      Campaign,
      {
        status: { $in: ['PUBLISHED', 'CLOSED'] },
        ...(campaignId ? { id: campaignId } : {}),
        ...(comuneId ? { comuneId } : {}),
      },
      { fields: ['id', 'title', 'comuneId'] },
    );
    if (campaigns.length === 0) return [];
    const titles = new Map(campaigns.map((c) => [c.id, c.title]));
    const rows = await em.find(
      ShopAccreditation,
      { campaignId: { $in: [...titles.keys()] }, status: 'ACCREDITED' },
      { orderBy: { businessName: 'asc', createdAt: 'asc', id: 'asc' } },
    );
    const byMerchant = new Map<string, PublicShop>();
    for (const row of rows) {
      let shop = byMerchant.get(row.merchantId);
      if (!shop) {
        shop = {
          id: row.merchantId,
          comuneId: row.comuneId,
          name: row.businessName,
          categories: [],
          pointsOfSale: [],
          measures: [],
        };
        byMerchant.set(row.merchantId, shop);
      }
      for (const c of row.categories) if (!shop.categories.includes(c)) shop.categories.push(c);
      for (const p of row.pointsOfSale) {
        if (shop.pointsOfSale.some((q) => q.name === p.name && q.address === p.address)) continue;
        const at = parseCoordinates(p.latitude, p.longitude) ?? null;
        shop.pointsOfSale.push({
          name: p.name,
          address: p.address,
          latitude: at?.latitude ?? null,
          longitude: at?.longitude ?? null,
          mapUrl: mapUrl(p.address, at),
        });
      }
      shop.measures.push({ id: row.campaignId, title: titles.get(row.campaignId)! });
    }
    return [...byMerchant.values()];
  }

  /** One accreditation for its merchant or the Comune's staff (null otherwise). */
  async get(em: EntityManager, caller: Caller, id: string) {
    const row = isUuid(id) ? await em.findOne(ShopAccreditation, { id }) : null;
    if (!row) return null;
    return worksAt(caller, row.merchantId) || isComuneStaff(caller, row.comuneId) ? row : null;
  }
}
