import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PersonCaller } from '@welfare/kit';
import { romeToday } from '@welfare/kit/dates';
import { Employee } from '../modules/employee/employee.entity.js';
import { Plan, PlanCategory } from '../modules/plan/plan.entity.js';
import type { Services } from '../services.js';
import {
  DEMO_EMPLOYEES,
  DEMO_EMPLOYER_ID,
  DEMO_HR_PERSON_ID,
  DEMO_PLAN_CATEGORIES,
  DEMO_PLAN_COVERED_CATEGORIES,
  DEMO_PLAN_PURPOSES,
  demoPlanId,
  demoPlanName,
} from './facts.js';
import { textPdf } from './regulation-pdf.js';

/** Officine Rossi's HR, as the gateway would send them (the demo plan is funded through the API's rules). */
const HR: PersonCaller = {
  kind: 'person',
  personId: DEMO_HR_PERSON_ID,
  sessionId: 'demo',
  platformAdmin: false,
  memberships: [{ organisationId: DEMO_EMPLOYER_ID, organisationKind: 'EMPLOYER', role: 'HR' }],
};

/** The demo plan's regulation: a one-page PDF. */
export function demoRegulation(year: number): Buffer {
  return textPdf(`Regolamento del piano welfare ${year} - Officine Rossi S.p.A.`, [
    `Art. 1 - Il piano vale dal 1 gennaio al 31 dicembre ${year} per i dipendenti in forza.`,
    'Art. 2 - Categorie: Operai (livelli 1-3 CCNL), 500 euro; Impiegati (livelli 4-9), 300 euro.',
    'Art. 3 - Il credito paga servizi in natura dal catalogo accreditato (art. 51 c. 2 f TUIR),',
    'rimborsi di spese per istruzione e cura dei figli (f-bis) e di abbonamenti al trasporto',
    'pubblico (d-bis), e fringe benefit entro il limite annuo (art. 51 c. 3 TUIR).',
    'Art. 4 - Il credito non è convertibile in denaro. Il credito non speso alla fine del piano',
    "torna all'azienda.",
  ]);
}

/**
 * Loads the demo data (idempotent: what exists is left as it is): Officine Rossi's 25 employees
 * (Mario Rossi, the demo SPID citizen, among the OPERAI) and its plan for the current year, "Piano
 * welfare <year>" (two categories, a PDF regulation, published and funded through the funding
 * service: every employee holds their credit).
 */
export async function loadDemoData(em: EntityManager, services: Services): Promise<void> {
  const year = Number(romeToday().slice(0, 4));
  const id = demoPlanId(year);
  await em.transactional(async (tx) => {
    const known = new Set(
      (await tx.find(Employee, { employerId: DEMO_EMPLOYER_ID }, { fields: ['fiscalCode'] })).map(
        (e) => e.fiscalCode,
      ),
    );
    DEMO_EMPLOYEES.forEach(([fiscalCode, givenName, familyName, categoryCode], i) => {
      if (known.has(fiscalCode)) return;
      tx.create(Employee, {
        employerId: DEMO_EMPLOYER_ID,
        fiscalCode,
        givenName,
        familyName,
        email:
          `${givenName}.${familyName}`.toLowerCase().replace(/\s+/g, '') + '@officinerossi.demo',
        categoryCode,
        startDate: `${2015 + (i % 9)}-0${1 + (i % 9)}-01`,
        dependentChildren: i % 3 === 0 ? 1 : 0,
      });
    });
    if (!(await tx.findOne(Plan, { id }))) {
      const regulation = demoRegulation(year);
      const plan = tx.create(Plan, {
        id,
        employerId: DEMO_EMPLOYER_ID,
        name: demoPlanName(year),
        year,
        validFrom: `${year}-01-01`,
        validUntil: `${year}-12-31`,
        purposes: [...DEMO_PLAN_PURPOSES],
        coveredCategories: [...DEMO_PLAN_COVERED_CATEGORIES],
        endRule: 'RETURN_TO_EMPLOYER',
        bonusConversion: true,
        regulationFileName: `regolamento-welfare-${year}.pdf`,
        regulationContentType: 'application/pdf',
        regulationSizeBytes: regulation.length,
        regulationSha256: createHash('sha256').update(regulation).digest('hex'),
        regulation,
        publishedAt: new Date(),
        createdBy: DEMO_HR_PERSON_ID,
      });
      for (const c of DEMO_PLAN_CATEGORIES) tx.create(PlanCategory, { ...c, plan });
    }
    await tx.flush();
  });
  const plan = await em.fork().findOne(Plan, { id });
  if (plan?.status === 'DRAFT') await services.funding.fund(em.fork(), HR, id);
  // Employees added to the demo since the plan was funded.
  await services.funding.creditEnrolled(em.fork(), DEMO_EMPLOYER_ID);
}
