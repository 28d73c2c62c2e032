import { Circuit } from './modules/circuit/circuit.entity.js';
import { Member } from './modules/member/member.entity.js';
import { PaymentRequest } from './modules/payment/payment.entity.js';

/** Every MikroORM entity of the ies-circuit subgraph. */
export const entities = [Circuit, Member, PaymentRequest];

/** The subgraph's PostgreSQL schema: its tables live there and nowhere else. */
export const DB_SCHEMA = 'ies_circuit';
