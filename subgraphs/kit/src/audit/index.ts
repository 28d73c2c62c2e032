// A subgraph's append-only, hash-chained audit log: the SQL of its table (in its own schema), the
// service that appends, reads and verifies, the GraphQL queries, the scheduled verification.
export { auditLogSql } from './sql.js';
export {
  AuditLog,
  TENANCY_REFUSED,
  type AuditEntry,
  type AuditPage,
  type ChainCheck,
  type ChainStatus,
} from './audit-log.js';
export { createAuditResolver } from './audit.graphql.js';
export { auditChainChecker } from './chain-checker.js';
