import { AccreditationAnswer } from './modules/accreditation/accreditation-answer.entity.js';
import { AccreditationDocument } from './modules/accreditation/accreditation-document.entity.js';
import { AccreditationEvent } from './modules/accreditation/accreditation-event.entity.js';
import { AccreditationRequest } from './modules/accreditation/accreditation-request.entity.js';
import { AccreditationRequirement } from './modules/accreditation/accreditation-requirement.entity.js';

/** Every MikroORM entity of the third-sector subgraph. */
export const entities = [
  AccreditationRequirement,
  AccreditationRequest,
  AccreditationAnswer,
  AccreditationDocument,
  AccreditationEvent,
];

/** The subgraph's PostgreSQL schema. */
export const DB_SCHEMA = 'third_sector';
