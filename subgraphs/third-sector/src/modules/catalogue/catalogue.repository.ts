import {
  IsolationLevel,
  ReferenceKind,
  type EntityClass,
  type EntityProperty,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OfferPlace } from '../offer/offer-place.entity.js';
import { OfferScheduleSlot } from '../offer/offer-schedule-slot.entity.js';
import { Offer } from '../offer/offer.entity.js';
import type { OfferRecord } from '../offer/offer.service.js';
import type { CataloguePricingValue } from './catalogue.enums.js';
import { arrayLiteral } from '@welfare/kit/book';
import type { CatalogueChanges, CatalogueData, CatalogueDoc } from './catalogue.index.js';

/** A validated, normalised catalogue search (see `CatalogueService`). */
export interface CatalogueSearch {
  /** Lower-case words of the search text (letters and digits), at most eight. */
  words: string[];
  comuneId: string | null;
  providerId: string | null;
  categories: string[];
  targets: string[];
  pricing: CataloguePricingValue[];
  municipalities: string[];
  weekdays: number[];
  time: string | null;
  page: number;
  pageSize: number;
}

/** What a search returns: the page's offers, the fixed-domain counts, the places'. */
export interface CatalogueCounts {
  ids: string[];
  /** The page's offers, with places and schedule, as `OfferService.byIds` loads them. */
  items: OfferRecord[];
  /** `total`, `category:<C>`, `target:<T>`, `pricing:FREE|PAID`, `weekday:<d>`. */
  totals: Record<string, number>;
  municipalities: Map<string, number>;
}

/** The catalogue's version: any write to offers, accreditations or synonyms changes it. */
export async function readCatalogueVersion(em: EntityManager): Promise<string> {
  const [current] = await em
    .getConnection()
    .execute<{ version: string }[]>(
      `select "version"::text as "version" from "third_sector"."catalogue_version"`,
    );
  return current?.version ?? '';
}

/**
 * The mapped columns of an entity and a function making an instance (no constructor run) from a
 * raw row: every scalar property the entity maps, timestamps as dates, so that an offer read in
 * bulk is the same object `em.find` would give (and a column added to the entity comes along).
 */
function rowMapper<T extends object>(em: EntityManager, entity: EntityClass<T>) {
  const all = Object.values<EntityProperty<T>>(em.getMetadata().get<T>(entity.name).properties);
  const props = all.filter(
    (p) => p.kind === ReferenceKind.SCALAR && p.persist !== false && p.fieldNames?.length === 1,
  );
  return {
    columns: (alias: string) => props.map((p) => `${alias}."${p.fieldNames[0]}"`).join(', '),
    map(row: Record<string, unknown>): T {
      const o = Object.create(entity.prototype as object) as Record<string, unknown>;
      for (const p of props) {
        const v = row[p.fieldNames[0]!] ?? null;
        o[p.name] = v !== null && p.runtimeType === 'Date' ? new Date(v as string) : v;
      }
      return o as T;
    },
  };
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The published offers among `ids` (all of them when null) with their places and slots (whole,
 * as the catalogue's page returns them) and, for a tutoring programme's offer, the programme's
 * last day, the last day of each current accreditation, the
 * Comuni's synonym groups: read in the caller's snapshot.
 */
async function loadRows(
  tx: EntityManager,
  ids: string[] | null,
): Promise<Omit<CatalogueData, 'version'>> {
  const c = tx.getConnection();
  const offer = rowMapper(tx, Offer);
  const place = rowMapper(tx, OfferPlace);
  const slot = rowMapper(tx, OfferScheduleSlot);
  const only = ids === null ? '' : `and o."id" = any(?::uuid[])`;
  const params = ids === null ? [] : [arrayLiteral(ids)];
  const published = `join "third_sector"."offer" o on o."id" = x."offer_id" and o."status" = 'PUBLISHED' ${only}`;
  const [offers, places, slots, accreditations, synonyms] = await Promise.all([
    c.execute<Record<string, unknown>[]>(
      `select ${offer.columns('o')}, o."municipalities", tp."ends_on"::text as "available_until"
         from "third_sector"."offer" o
         left join "third_sector"."tutoring_programme" tp on tp."id" = o."tutoring_programme_id"
        where o."status" = 'PUBLISHED' ${only}`,
      params,
    ),
    c.execute<Record<string, unknown>[]>(
      `select ${place.columns('x')} from "third_sector"."offer_place" x ${published}
        order by x."offer_id", x."position"`,
      params,
    ),
    c.execute<Record<string, unknown>[]>(
      `select ${slot.columns('x')} from "third_sector"."offer_schedule_slot" x ${published}
        order by x."offer_id", x."weekday", x."start_time", x."end_time"`,
      params,
    ),
    c.execute<{ provider_id: string; comune_id: string; valid_until: string }[]>(
      `select a."provider_id", a."comune_id", max(a."valid_until")::text as "valid_until"
         from "third_sector"."accreditation_request" a
        where a."status" = 'ACCREDITED' group by a."provider_id", a."comune_id"`,
    ),
    c.execute<{ comune_id: string; words: string[] }[]>(
      `select s."comune_id", s."words" from "third_sector"."catalogue_synonym" s`,
    ),
  ]);
  const docs = new Map<string, CatalogueDoc>();
  for (const row of offers) {
    const record = Object.assign(offer.map(row), { places: [], schedule: [] }) as OfferRecord;
    docs.set(record.id, {
      id: record.id,
      providerId: record.providerId,
      comuneId: record.comuneId,
      title: record.title,
      description: record.description,
      category: record.category,
      targets: record.targets,
      free: record.priceKind === 'FREE',
      municipalities: (row.municipalities as string[] | null) ?? [],
      availableUntil: (row.available_until as string | null) ?? null,
      slots: [],
      record,
    });
  }
  for (const row of places) {
    const p = place.map(row);
    docs.get(p.offerId)?.record.places.push(p);
  }
  for (const row of slots) {
    const s = slot.map(row);
    const doc = docs.get(s.offerId);
    doc?.record.schedule.push(s);
    doc?.slots.push({
      weekday: Number(s.weekday),
      start: minutes(s.startTime),
      end: minutes(s.endTime),
    });
  }
  return {
    offers: [...docs.values()],
    accreditations: accreditations.map((a) => ({
      providerId: a.provider_id,
      comuneId: a.comune_id,
      validUntil: a.valid_until,
    })),
    synonyms: synonyms.map((s) => ({ comuneId: s.comune_id, words: s.words })),
  };
}

/**
 * Everything the in-memory index is built from, in one REPEATABLE READ snapshot (so the version
 * read is the version of the rows): the published offers with their places and slots (whole,
 * as the catalogue's page returns them), the last day of each current accreditation, the
 * Comuni's synonym groups.
 */
export async function loadCatalogue(em: EntityManager): Promise<CatalogueData> {
  return em.fork().transactional(
    async (tx) => {
      const version = await readCatalogueVersion(tx);
      return { version, ...(await loadRows(tx, null)) };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
}

/**
 * What changed since `since`, from the change log (`catalogue_change`), in one REPEATABLE READ
 * snapshot: the ids of the offers written since (`changed`), those of them published now, whole
 * (`offers`), and the accreditations and synonyms (small: read whole). Null when the log cannot
 * tell (its rows after `since` pruned, a change not about single offers, or more than `max`
 * offers changed): the caller reloads the whole catalogue.
 */
export async function loadCatalogueChanges(
  em: EntityManager,
  since: string,
  max: number,
): Promise<CatalogueChanges | null> {
  return em.fork().transactional(
    async (tx) => {
      const c = tx.getConnection();
      const [head] = await c.execute<{ version: string; log_from: string }[]>(
        `select "version"::text as "version", "log_from"::text as "log_from"
           from "third_sector"."catalogue_version"`,
      );
      if (!head || BigInt(since || '0') < BigInt(head.log_from)) return null;
      if (head.version === since) {
        return { version: since, changed: [], ...(await loadRows(tx, [])) };
      }
      const rows = await c.execute<{ offer_id: string | null }[]>(
        `select distinct "offer_id" from "third_sector"."catalogue_change"
          where "version" > ?::bigint and "version" <= ?::bigint limit ?`,
        [since, head.version, max + 1],
      );
      if (rows.length > max || rows.some((r) => r.offer_id === null)) return null;
      const changed = rows.map((r) => r.offer_id!);
      return { version: head.version, changed, ...(await loadRows(tx, changed)) };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
}

/**
 * Deletes the change log's rows older than `keepSeconds` (a prefix in version order: every row
 * up to the newest version logged before then) and moves `log_from` past them, in one
 * transaction. Never waits for a writer: when the version row is locked (a write under way), it
 * prunes nothing this time. Returns the rows deleted.
 */
export async function pruneCatalogueChanges(
  em: EntityManager,
  keepSeconds: number,
): Promise<number> {
  return em.fork().transactional(async (tx) => {
    const c = tx.getConnection();
    const [head] = await c.execute<{ log_from: string }[]>(
      `select "log_from"::text as "log_from" from "third_sector"."catalogue_version"
        where "id" for update skip locked`,
    );
    if (!head) return 0;
    const [horizon] = await c.execute<{ version: string | null }[]>(
      `select max("version")::text as "version" from "third_sector"."catalogue_change"
        where "created_at" < now() - make_interval(secs => ?::float8)`,
      [keepSeconds],
    );
    if (!horizon?.version || BigInt(horizon.version) <= BigInt(head.log_from)) return 0;
    const gone = await c.execute<{ version: string }[]>(
      `delete from "third_sector"."catalogue_change" where "version" <= ?::bigint
       returning "version"`,
      [horizon.version],
    );
    await c.execute(
      `update "third_sector"."catalogue_version" set "log_from" = ?::bigint where "id"`,
      [horizon.version],
    );
    return gone.length;
  });
}

/** A Comune's synonym group, as stored. */
export interface SynonymRow {
  id: string;
  comuneId: string;
  words: string[];
  createdAt: Date;
}

const toSynonym = (r: { id: string; comune_id: string; words: string[]; created_at: string }) => ({
  id: r.id,
  comuneId: r.comune_id,
  words: r.words,
  createdAt: new Date(r.created_at),
});

/** The Comune's synonym groups, oldest first. */
export async function listSynonyms(em: EntityManager, comuneId: string): Promise<SynonymRow[]> {
  const rows = await em
    .getConnection()
    .execute<{ id: string; comune_id: string; words: string[]; created_at: string }[]>(
      `select "id", "comune_id", "words", "created_at" from "third_sector"."catalogue_synonym"
        where "comune_id" = ? order by "created_at", "id"`,
      [comuneId],
    );
  return rows.map(toSynonym);
}

/** Adds a synonym group (its words already checked). */
export async function insertSynonyms(
  em: EntityManager,
  comuneId: string,
  words: string[],
  createdBy: string,
): Promise<SynonymRow> {
  const [row] = await em
    .getConnection()
    .execute<{ id: string; comune_id: string; words: string[]; created_at: string }[]>(
      `insert into "third_sector"."catalogue_synonym" ("comune_id", "words", "created_by")
       values (?, ?::text[], ?) returning "id", "comune_id", "words", "created_at"`,
      [comuneId, arrayLiteral(words), createdBy],
    );
  return toSynonym(row!);
}

/** The group with this id, or null. */
export async function findSynonyms(em: EntityManager, id: string): Promise<SynonymRow | null> {
  const [row] = await em
    .getConnection()
    .execute<{ id: string; comune_id: string; words: string[]; created_at: string }[]>(
      `select "id", "comune_id", "words", "created_at" from "third_sector"."catalogue_synonym"
        where "id" = ?`,
      [id],
    );
  return row ? toSynonym(row) : null;
}

export async function deleteSynonyms(em: EntityManager, id: string): Promise<void> {
  await em
    .getConnection()
    .execute(`delete from "third_sector"."catalogue_synonym" where "id" = ?`, [id]);
}
