import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { auditChainChecker, auditSealer } from '@welfare/kit/audit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadIesCircuitConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
// The card's fallback: internal routes (public-welfare only) and the expiry of lapsed holds.
import { HoldExpiryJob } from './modules/card-fallback/card-fallback.job.js';
import { cardFallbackRoutes } from './modules/card-fallback/card-fallback.routes.js';
// The fund contract's internal routes.
import { fundRoutes } from '@welfare/kit/contracts';
import { iesCircuitOrmSettings } from './orm.js';
import { buildIesCircuitSchema } from './schema.js';
import { DemurrageJob } from './modules/demurrage/demurrage.job.js';
import { createServices } from './services.js';
import { identityOrganisations } from './modules/circuit/organisation-directory.js';
// Earning: third-sector's attendance feed, read on a schedule.
import {
  AttendanceFeedJob,
  thirdSectorAttendanceSource,
} from './modules/earning/attendance-feed.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'ies-circuit';

const config = loadIesCircuitConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(iesCircuitOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({
  reserveAccount: config.reserveAccount,
  attendanceSource: config.attendanceFeed
    ? thirdSectorAttendanceSource(config.attendanceFeed)
    : null,
  // ies-create: a new circuit's manager Comune, from identity.
  organisations: config.organisationDirectory
    ? identityOrganisations(config.organisationDirectory)
    : null,
});
// ies-members: cross-tenant refusals of the access checks go to the audit log (apart from the request).
services.audit.watchTenancy(orm.em, logger);
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services);
  logger.info('demo data loaded');
}
const running = await startSubgraph({
  name: NAME,
  schema: await buildIesCircuitSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
  internal: {
    publicKeys: config.servicePublicKeys,
    routes: {
      // The card's fallback: service tokens of public-welfare only.
      ...cardFallbackRoutes({ orm, cardFallback: services.cardFallback }),
      // The fund contract (payments' checkout): service tokens of the payments service only.
      ...fundRoutes({ orm, funds: services.funds }),
    },
  },
});
if (!config.servicePublicKeys.payments) {
  logger.warn('SERVICE_PUBLIC_KEYS has no key of payments: the fund operations refuse every call');
}
// ies-members: the audit log, sealed every second or so and verified on a schedule.
const auditSeals = auditSealer(orm, services.audit, config.audit, logger);
auditSeals.start();
const auditChecks = auditChainChecker(orm, services.audit, config.audit, logger);
auditChecks.start();
const attendanceJob = config.attendanceFeed
  ? new AttendanceFeedJob(orm, services.attendanceFeed, config.attendanceFeed.intervalMs, logger)
  : null;
if (attendanceJob) attendanceJob.start();
else logger.warn('no SERVICE_URL_THIRD_SECTOR or SERVICE_PRIVATE_KEY: attendance is not rewarded');
if (!config.organisationDirectory) {
  logger.warn('no SERVICE_URL_IDENTITY or SERVICE_PRIVATE_KEY: no circuit can be created');
}
// The card's fallback: lapsed holds expire on a schedule.
const holdExpiry = new HoldExpiryJob(
  orm,
  services.cardFallback,
  config.holdExpiryIntervalMs,
  logger,
);
holdExpiry.start();
// ies-reserve: the circuits' demurrage and expiry, hourly.
const demurrage = new DemurrageJob(orm, services.demurrage, config.demurrageIntervalMs, logger);
demurrage.start();
onShutdown(logger, [
  () => running.close(),
  async () => attendanceJob?.stop(),
  () => holdExpiry.stop(),
  () => demurrage.stop(),
  () => auditChecks.stop(),
  () => auditSeals.stop(),
  () => running.stop(),
]);
