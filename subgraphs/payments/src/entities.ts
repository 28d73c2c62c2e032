import { Notice } from './modules/notice/notice.entity.js';

/** Every MikroORM entity of the payments subgraph. */
export const entities = [Notice];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'payments';
