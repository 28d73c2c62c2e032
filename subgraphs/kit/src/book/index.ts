export * from './book.js';
export * from './errors.js';
export * from './schema.js';
export * from './ids.js';
