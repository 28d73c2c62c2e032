import 'reflect-metadata';

export * from './book/index.js';
export * from './caller.js';
export * from './config.js';
export * from './context.js';
export * from './deadline.js';
export * from './errors.js';
export * from './listening.js';
export * from './logger.js';
export * from './orm.js';
export * from './pii.js';
export * from './schema.js';
export * from './shutdown.js';
export * from './sql.js';
export * from './subgraph.js';
