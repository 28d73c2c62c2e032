import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CataloguePricingValue } from './catalogue.enums.js';
import { arrayLiteral } from '@welfare/kit/book';
import type { CatalogueData, CatalogueDoc } from './catalogue.index.js';

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

/** What a search returns: the page's ids, the fixed-domain counts, the places'. */
export interface CatalogueCounts {
  ids: string[];
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

interface OfferRow {
  id: string;
  provider_id: string;
  comune_id: string;
  title: string;
  description: string;
  category: string;
  targets: string[];
  free: boolean;
  municipalities: string[] | null;
}

interface SlotRow {
  offer_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
}

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Everything the in-memory index is built from, in one REPEATABLE READ snapshot (so the version
 * read is the version of the rows): the published offers with their municipalities and slots,
 * the last day of each current accreditation, the Comuni's synonym groups.
 */
export async function loadCatalogue(em: EntityManager): Promise<CatalogueData> {
  return em.fork().transactional(
    async (tx) => {
      const c = tx.getConnection();
      const version = await readCatalogueVersion(tx);
      const [offers, slots, accreditations, synonyms] = await Promise.all([
        c.execute<OfferRow[]>(
          `select o."id", o."provider_id", o."comune_id", o."title", o."description", o."category",
                  o."targets", o."price_kind" = 'FREE' as "free", o."municipalities"
             from "third_sector"."offer" o where o."status" = 'PUBLISHED'`,
        ),
        c.execute<SlotRow[]>(
          `select s."offer_id", s."weekday", s."start_time", s."end_time"
             from "third_sector"."offer_schedule_slot" s
             join "third_sector"."offer" o on o."id" = s."offer_id" and o."status" = 'PUBLISHED'`,
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
      for (const o of offers) {
        docs.set(o.id, {
          id: o.id,
          providerId: o.provider_id,
          comuneId: o.comune_id,
          title: o.title,
          description: o.description,
          category: o.category,
          targets: o.targets,
          free: o.free,
          municipalities: o.municipalities ?? [],
          slots: [],
        });
      }
      for (const s of slots) {
        docs.get(s.offer_id)?.slots.push({
          weekday: Number(s.weekday),
          start: minutes(s.start_time),
          end: minutes(s.end_time),
        });
      }
      return {
        version,
        offers: [...docs.values()],
        accreditations: accreditations.map((a) => ({
          providerId: a.provider_id,
          comuneId: a.comune_id,
          validUntil: a.valid_until,
        })),
        synonyms: synonyms.map((s) => ({ comuneId: s.comune_id, words: s.words })),
      };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ },
  );
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
