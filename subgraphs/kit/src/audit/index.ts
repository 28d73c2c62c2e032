// A subgraph's append-only, hash-chained audit log: the SQL of its table (in its own schema), the
// service that appends, seals, reads and verifies, the GraphQL queries, the sealer and the
// scheduled verification.
export { auditLogSql } from './sql.js';
export {
  AuditLog,
  TENANCY_REFUSED,
  DEFAULT_SEAL_GRACE_MS,
  DEFAULT_UNSEALED_ALERT_MS,
  type AuditEntry,
  type AuditPage,
  type ChainCheck,
  type ChainStatus,
  type SealPass,
} from './audit-log.js';
export { createAuditResolver } from './audit.graphql.js';
export { auditChainChecker, auditSealer } from './chain-checker.js';
