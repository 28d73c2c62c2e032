export * from './fund.js';
export * from './payable.js';
