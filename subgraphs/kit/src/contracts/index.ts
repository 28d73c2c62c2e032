export * from './fund.js';
export * from './payable.js';
export * from './organisation.js';
