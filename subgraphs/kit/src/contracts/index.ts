export * from './fund.js';
export * from './payable.js';
export * from './organisation.js';
export * from './reimbursement.js';
export * from './attendance-feed.js';
export * from './ies-card.js';
export * from './fund-routes.js';
export * from './fund-owner.js';
