import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { badId, isUuid, requirePerson } from '@welfare/kit/access';
import { isIsoDate, romeToday } from '@welfare/kit/dates';
import { sniffDocumentType } from '@welfare/kit/documents';
import { isOfferCategory } from '@welfare/kit/vocabulary';
import { requireHr } from '../shared/access.js';
import {
  PLAN_END_RULES,
  PLAN_PURPOSES,
  PlanCategory,
  Plan,
  type PlanEndRule,
  type PlanPurpose,
} from './plan.entity.js';
import type { PlanInput } from './plan.input.js';
import type { PlanRepository } from './plan.repository.js';

/** Plans listed at most. */
const LIST_LIMIT = 100;
/** Categories of a plan at most. */
const MAX_CATEGORIES = 20;
/** The largest credit of a category: 1,000,000 euro (the table's check). */
const MAX_CREDIT_CENTS = 100_000_000;
const CODE = /^[A-Z0-9_]{1,30}$/;

/** The regulation as uploaded. */
export interface RegulationUpload {
  fileName: string;
  content: Buffer;
}

/** A plan's regulation, to download. */
export interface RegulationFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface PlanServiceOptions {
  /** The largest regulation, in bytes. */
  maxRegulationBytes: number;
  /** The clock (tests set it). */
  now: () => Date;
}

/** The plan not found (or not the caller's to see: the same answer, so ids reveal nothing). */
const notFound = () =>
  DomainError.notFound({ it: 'Piano welfare non trovato.', en: 'Welfare plan not found.' });

/**
 * The rules of welfare plans: who may read and change them, and what a valid plan is. HR writes a
 * plan as a DRAFT, uploads its regulation and publishes it (no longer editable); funding
 * (`modules/funding`) makes it ACTIVE, closing (`modules/plan-end`) CLOSED.
 */
export class PlanService {
  constructor(
    private readonly repository: PlanRepository,
    private readonly options: PlanServiceOptions = {
      maxRegulationBytes: 5 * 1024 * 1024,
      now: () => new Date(),
    },
  ) {}

  /** The employer's plans, newest year first: its HR only. */
  list(em: EntityManager, caller: Caller, employerId: string): Promise<Plan[]> {
    requireHr(caller, employerId);
    return this.repository.listOf(em, employerId, LIST_LIMIT);
  }

  /**
   * A plan, to its employer's HR: UNAUTHENTICATED, BAD_USER_INPUT for a malformed id, NOT_FOUND
   * when there is no such plan, FORBIDDEN for anyone else.
   */
  async get(em: EntityManager, caller: Caller, id: string): Promise<Plan> {
    requirePerson(caller);
    if (!isUuid(id)) throw badPlanId();
    const plan = await this.repository.get(em, id);
    if (!plan) throw notFound();
    requireHr(caller, plan.employerId);
    return plan;
  }

  /** A new DRAFT plan of the employer (its HR only). Every invalid field is reported at once. */
  async create(
    em: EntityManager,
    caller: Caller,
    employerId: string,
    input: PlanInput,
  ): Promise<Plan> {
    const hr = requireHr(caller, employerId);
    const valid = this.check(input);
    return em.transactional(async (tx) => {
      const plan = tx.create(Plan, {
        employerId,
        name: valid.name,
        year: valid.year,
        validFrom: valid.validFrom,
        validUntil: valid.validUntil,
        purposes: valid.purposes,
        coveredCategories: valid.coveredCategories,
        endRule: valid.endRule,
        bonusConversion: valid.bonusConversion,
        createdBy: hr.personId,
      });
      for (const c of valid.categories) tx.create(PlanCategory, { ...c, plan });
      await tx.flush();
      return plan;
    });
  }

  /**
   * Replaces a DRAFT plan not yet published, whole (categories matched by code: kept, changed,
   * added, removed). CONFLICT once it is published.
   */
  async update(em: EntityManager, caller: Caller, id: string, input: PlanInput): Promise<Plan> {
    requirePerson(caller);
    if (!isUuid(id)) throw badPlanId();
    return em.transactional(async (tx) => {
      const plan = await this.lockOwn(tx, caller, id);
      const valid = this.check(input);
      if (plan.status !== 'DRAFT' || plan.publishedAt) throw notEditable();
      plan.name = valid.name;
      plan.year = valid.year;
      plan.validFrom = valid.validFrom;
      plan.validUntil = valid.validUntil;
      plan.purposes = valid.purposes;
      plan.coveredCategories = valid.coveredCategories;
      plan.endRule = valid.endRule;
      plan.bonusConversion = valid.bonusConversion;
      const wanted = new Map(valid.categories.map((c) => [c.code, c]));
      for (const existing of plan.categories.getItems()) {
        const next = wanted.get(existing.code);
        if (!next) {
          plan.categories.remove(existing);
          continue;
        }
        existing.name = next.name;
        existing.criterion = next.criterion;
        existing.creditCents = next.creditCents;
        wanted.delete(existing.code);
      }
      for (const c of wanted.values()) plan.categories.add(tx.create(PlanCategory, { ...c, plan }));
      await tx.flush();
      return plan;
    });
  }

  /**
   * Stores the regulation (PDF, JPEG or PNG, recognised by content; at most the configured size)
   * of a plan not yet published, replacing the previous one.
   */
  async setRegulation(
    em: EntityManager,
    caller: Caller,
    id: string,
    upload: RegulationUpload,
  ): Promise<Plan> {
    requirePerson(caller);
    if (!isUuid(id)) throw badPlanId();
    const errors = new FieldErrors();
    const fileName = upload.fileName.trim().slice(0, 200);
    if (!fileName) errors.add('file', 'Indicare il nome del file.', 'The file needs a name.');
    const contentType = sniffDocumentType(upload.content);
    if (upload.content.length === 0) {
      errors.add('file', 'Il file è vuoto.', 'The file is empty.');
    } else if (upload.content.length > this.options.maxRegulationBytes) {
      const mb = Math.floor(this.options.maxRegulationBytes / 1_048_576);
      errors.add('file', `Il file supera ${mb} MB.`, `The file is over ${mb} MB.`);
    } else if (!contentType) {
      errors.add('file', 'Sono ammessi solo PDF, JPEG o PNG.', 'Only PDF, JPEG or PNG files.');
    }
    return em.transactional(async (tx) => {
      const plan = await this.lockOwn(tx, caller, id);
      errors.throwIfAny();
      if (plan.status !== 'DRAFT' || plan.publishedAt) throw notEditable();
      plan.regulationFileName = fileName;
      plan.regulationContentType = contentType!;
      plan.regulationSizeBytes = upload.content.length;
      plan.regulationSha256 = createHash('sha256').update(upload.content).digest('hex');
      plan.regulation = upload.content;
      await tx.flush();
      return plan;
    });
  }

  /** The plan's regulation, to its employer's HR; NOT_FOUND when none was uploaded. */
  async regulation(em: EntityManager, caller: Caller, id: string): Promise<RegulationFile> {
    requirePerson(caller);
    if (!isUuid(id)) throw badPlanId();
    const plan = await this.repository.withRegulation(em, id);
    if (!plan) throw notFound();
    requireHr(caller, plan.employerId);
    if (!plan.regulation || !plan.regulationFileName || !plan.regulationContentType) {
      throw DomainError.notFound({
        it: 'Il regolamento non è stato caricato.',
        en: 'The regulation has not been uploaded.',
      });
    }
    return {
      fileName: plan.regulationFileName,
      contentType: plan.regulationContentType,
      content: plan.regulation,
    };
  }

  /**
   * Publishes a DRAFT plan: it needs its regulation and at least one category (BAD_USER_INPUT
   * naming them), and may no longer be edited; funding it makes it ACTIVE. Publishing a published
   * plan returns it as it is.
   */
  async publish(em: EntityManager, caller: Caller, id: string): Promise<Plan> {
    requirePerson(caller);
    if (!isUuid(id)) throw badPlanId();
    return em.transactional(async (tx) => {
      const plan = await this.lockOwn(tx, caller, id);
      if (plan.publishedAt || plan.status !== 'DRAFT') return plan;
      const errors = new FieldErrors();
      if (!plan.regulationSha256) {
        errors.add(
          'regulation',
          'Caricare il regolamento del piano prima di pubblicarlo.',
          'Upload the plan’s regulation before publishing it.',
        );
      }
      if (plan.categories.length === 0) {
        errors.add(
          'categories',
          'Indicare almeno una categoria di dipendenti.',
          'Add at least one category of employees.',
        );
      }
      if (plan.validUntil < romeToday(this.options.now)) {
        errors.add(
          'validUntil',
          'Il periodo di validità è già terminato.',
          'The validity period has already ended.',
        );
      }
      errors.throwIfAny();
      plan.publishedAt = this.options.now();
      await tx.flush();
      return plan;
    });
  }

  /** The plan locked in `tx`, if the caller is its employer's HR (NOT_FOUND, FORBIDDEN). */
  async lockOwn(tx: EntityManager, caller: Caller, id: string): Promise<Plan> {
    const plan = await this.repository.lock(tx, id);
    if (!plan) throw notFound();
    requireHr(caller, plan.employerId);
    return plan;
  }

  /** The input checked and normalised, or BAD_USER_INPUT with every invalid field. */
  private check(input: PlanInput): ValidPlan {
    const errors = new FieldErrors();
    const name = (input.name ?? '').trim();
    if (name.length < 3 || name.length > 120) {
      errors.add('name', 'Da 3 a 120 caratteri.', 'From 3 to 120 characters.');
    }
    const thisYear = Number(romeToday(this.options.now).slice(0, 4));
    const year = input.year;
    const yearOk = Number.isInteger(year) && year >= thisYear - 1 && year <= thisYear + 1;
    if (!yearOk) {
      errors.add(
        'year',
        `Anno da ${thisYear - 1} a ${thisYear + 1}.`,
        `A year from ${thisYear - 1} to ${thisYear + 1}.`,
      );
    }
    const validFrom = (input.validFrom ?? '').trim();
    const validUntil = (input.validUntil ?? '').trim();
    const fromOk = isIsoDate(validFrom);
    const untilOk = isIsoDate(validUntil);
    if (!fromOk) {
      errors.add('validFrom', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    } else if (yearOk && validFrom.slice(0, 4) !== String(year)) {
      errors.add(
        'validFrom',
        `Il piano deve iniziare nel ${year}.`,
        `The plan must start in ${year}.`,
      );
    }
    if (!untilOk) {
      errors.add('validUntil', 'Data non valida (AAAA-MM-GG).', 'Invalid date (YYYY-MM-DD).');
    } else if (fromOk && validUntil < validFrom) {
      errors.add(
        'validUntil',
        'La fine non può precedere l’inizio.',
        'The end cannot come before the start.',
      );
    } else if (yearOk && validUntil > `${year + 1}-06-30`) {
      errors.add(
        'validUntil',
        `Al più tardi il 30/06/${year + 1}.`,
        `At the latest 30/06/${year + 1}.`,
      );
    }
    const purposes = [...new Set(input.purposes ?? [])];
    if (purposes.length === 0) {
      errors.add('purposes', 'Scegliere almeno una finalità.', 'Choose at least one purpose.');
    } else if (purposes.some((p) => !(PLAN_PURPOSES as readonly string[]).includes(p))) {
      errors.add('purposes', 'Finalità non ammessa.', 'Purpose not allowed.');
    }
    const covered = [...new Set((input.coveredCategories ?? []).map((c) => c.trim()))];
    const inKind = purposes.includes('SERVICES_IN_KIND');
    if (covered.some((c) => !isOfferCategory(c))) {
      errors.add('coveredCategories', 'Categoria sconosciuta.', 'Unknown category.');
    } else if (inKind && covered.length === 0) {
      errors.add(
        'coveredCategories',
        'Per i servizi in natura scegliere almeno una categoria del catalogo.',
        'For services in kind choose at least one catalogue category.',
      );
    } else if (!inKind && covered.length > 0) {
      errors.add(
        'coveredCategories',
        'Le categorie del catalogo valgono solo per i servizi in natura.',
        'Catalogue categories apply only to services in kind.',
      );
    }
    if (!(PLAN_END_RULES as readonly string[]).includes(input.endRule)) {
      errors.add('endRule', 'Regola non ammessa.', 'Rule not allowed.');
    }
    const categories: ValidCategory[] = [];
    const list = input.categories ?? [];
    if (list.length > MAX_CATEGORIES) {
      errors.add(
        'categories',
        `Al massimo ${MAX_CATEGORIES} categorie.`,
        `At most ${MAX_CATEGORIES} categories.`,
      );
    }
    const seen = new Set<string>();
    list.slice(0, MAX_CATEGORIES).forEach((c, i) => {
      const at = `categories.${i}`;
      const code = (c.code ?? '').trim().toUpperCase();
      if (!CODE.test(code)) {
        errors.add(
          `${at}.code`,
          'Da 1 a 30 caratteri tra A-Z, 0-9 e _.',
          'From 1 to 30 of A-Z, 0-9 and _.',
        );
      } else if (seen.has(code)) {
        errors.add(`${at}.code`, 'Codice ripetuto.', 'Repeated code.');
      }
      seen.add(code);
      const categoryName = (c.name ?? '').trim();
      if (categoryName.length < 2 || categoryName.length > 80) {
        errors.add(`${at}.name`, 'Da 2 a 80 caratteri.', 'From 2 to 80 characters.');
      }
      const criterion = (c.criterion ?? '').trim();
      if (criterion.length < 3 || criterion.length > 300) {
        errors.add(
          `${at}.criterion`,
          'Indicare il criterio oggettivo (da 3 a 300 caratteri).',
          'State the objective criterion (3 to 300 characters).',
        );
      }
      if (
        !Number.isInteger(c.creditCents) ||
        c.creditCents < 0 ||
        c.creditCents > MAX_CREDIT_CENTS
      ) {
        errors.add(
          `${at}.creditCents`,
          'Un importo da 0 a 1.000.000 euro.',
          'An amount from 0 to 1,000,000 euro.',
        );
      }
      categories.push({ code, name: categoryName, criterion, creditCents: c.creditCents });
    });
    errors.throwIfAny();
    return {
      name,
      year,
      validFrom,
      validUntil,
      purposes: purposes as PlanPurpose[],
      coveredCategories: inKind ? covered : [],
      endRule: input.endRule as PlanEndRule,
      bonusConversion: input.bonusConversion === true,
      categories,
    };
  }
}

interface ValidCategory {
  code: string;
  name: string;
  criterion: string;
  creditCents: number;
}

interface ValidPlan {
  name: string;
  year: number;
  validFrom: string;
  validUntil: string;
  purposes: PlanPurpose[];
  coveredCategories: string[];
  endRule: PlanEndRule;
  bonusConversion: boolean;
  categories: ValidCategory[];
}

/** BAD_USER_INPUT for a malformed plan id. */
export function badPlanId(): DomainError {
  return badId('id');
}

/** CONFLICT: the plan is published (or further on) and can no longer be edited. */
function notEditable(): DomainError {
  return DomainError.conflict({
    it: 'Il piano è già pubblicato: non si può più modificare.',
    en: 'The plan is already published: it can no longer be changed.',
  });
}
