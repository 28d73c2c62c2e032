import { CardPayment, CardRefund } from './modules/card-payment/card-payment.entity.js';
import { ProviderAccount } from './modules/provider-account/provider-account.entity.js';
import {
  ReconciliationMismatch,
  ReconciliationRun,
} from './modules/reconciliation/reconciliation.entity.js';

/** Every MikroORM entity of the payments subgraph. */
export const entities = [
  ProviderAccount,
  CardPayment,
  CardRefund,
  ReconciliationRun,
  ReconciliationMismatch,
];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'payments';
