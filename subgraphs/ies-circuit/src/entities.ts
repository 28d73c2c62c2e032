import { Circuit } from './modules/circuit/circuit.entity.js';
import { Member } from './modules/member/member.entity.js';
// The catalogue.
import { Project } from './modules/donation/project.entity.js';

/** Every MikroORM entity of the ies-circuit subgraph. */
export const entities = [
  Circuit,
  Member,
  // The catalogue.
  Project,
];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'ies_circuit';
