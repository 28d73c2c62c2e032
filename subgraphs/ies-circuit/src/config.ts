import {
  admissionSettings,
  auditEnv,
  auditSettings,
  loadConfig,
  port,
  serviceEnv,
  subgraphEnv,
  type AuditSettings,
} from '@welfare/kit';
import type { AdmissionSettings } from '@welfare/kit/deadline';

/**
 * The subgraph's environment: the kit's `subgraphEnv` and its own variables, each with its
 * default and, for a legal figure, its source written beside it.
 */
export const iesCircuitEnv = {
  ...subgraphEnv,
  PORT: port(4008),
  /** Service-to-service calls: the fund contract (payments) and the card's fallback (public-welfare). */
  ...serviceEnv,
  // ies-members: the audit log's sealer and scheduled verification
  ...auditEnv,
};

export interface IesCircuitConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  databaseUrl: string;
  gatewayPublicKey: string;
  /** Requests run at once and queued (load shedding, see the kit's deadline.ts). */
  admission: AdmissionSettings;
  migrateOnStart: boolean;
  demoData: boolean;
  /** The public keys of the services allowed to call the internal routes (JWK JSON by name). */
  servicePublicKeys: Readonly<Record<string, string>>;
  /** The audit log's sealer and scheduled verification (ies-members). */
  audit: AuditSettings;
}

/** The one place that reads the environment. Throws `ConfigError` naming every problem. */
export function loadIesCircuitConfig(env: NodeJS.ProcessEnv = process.env): IesCircuitConfig {
  const raw = loadConfig(iesCircuitEnv, env);
  return {
    nodeEnv: raw.NODE_ENV,
    host: raw.HOST,
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    databaseUrl: raw.DATABASE_URL,
    gatewayPublicKey: raw.GATEWAY_PUBLIC_KEY,
    admission: admissionSettings(raw),
    migrateOnStart: raw.MIGRATE_ON_START,
    demoData: raw.DEMO_DATA,
    servicePublicKeys: raw.SERVICE_PUBLIC_KEYS,
    // ies-members
    audit: auditSettings(raw),
  };
}
