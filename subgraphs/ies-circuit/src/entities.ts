import { Circuit } from './modules/circuit/circuit.entity.js';
import { Member } from './modules/member/member.entity.js';
import { EarningRule } from './modules/earning/earning.entity.js';
import { ShareInitiative, ShareLink } from './modules/earning/share.entity.js';
import { PaymentRequest } from './modules/payment/payment.entity.js';

/** Every MikroORM entity of the ies-circuit subgraph. */
export const entities = [
  Circuit,
  Member,
  // Earning by taking part.
  EarningRule,
  ShareInitiative,
  ShareLink,
  // Payments.
  PaymentRequest,
];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'ies_circuit';
