// The kit's root: what every process of the platform needs (the gateway too), and nothing that
// loads the ORM, the schema builder, the book or the personal-data helpers. Those are behind
// their subpaths (`@welfare/kit/orm`, `/schema`, `/subgraph`, `/book`, `/pii`, …; see README).
export * from './caller.js';
export * from './config.js';
export type * from './context.js';
export * from './errors.js';
export * from './listening.js';
export * from './logger.js';
export * from './shutdown.js';
