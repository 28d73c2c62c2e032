import { Circuit } from './modules/circuit/circuit.entity.js';
import { Member } from './modules/member/member.entity.js';
import { EarningRule } from './modules/earning/earning.entity.js';
import { ShareInitiative, ShareLink } from './modules/earning/share.entity.js';
import { PaymentRequest } from './modules/payment/payment.entity.js';
// ies-reserve
import { Conversion } from './modules/conversion/conversion.entity.js';
import { FeeUse, ReserveReceipt } from './modules/reserve/reserve.entity.js';
// The catalogue.
import { Project } from './modules/donation/project.entity.js';

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
  // ies-reserve
  ReserveReceipt,
  FeeUse,
  Conversion,
  // The catalogue.
  Project,
];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'ies_circuit';
