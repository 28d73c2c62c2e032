import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { auditChainChecker, auditSealer } from '@welfare/kit/audit';
import { loadThirdSectorConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { accreditationRoutes } from './modules/accreditation/accreditation.routes.js';
import { OfferBookingLapseJob } from './modules/offer-booking/offer-booking-lapse.job.js';
import { tutoringStatementRoutes } from './modules/tutoring-statement/tutoring-statement.routes.js';
import { payableRoutes } from './modules/offer-booking/offer-booking.payable-routes.js';
import { tutoringRoutes } from './modules/tutoring-export/tutoring-export.routes.js';
import { attendanceFeedRoutes } from './modules/tutoring-attendance/attendance-feed.routes.js';
import { notificationDispatcher } from './modules/notification/notification.dispatcher.js';
import { thirdSectorOrmSettings } from './orm.js';
import { buildThirdSectorSchema } from './schema.js';
import { createServices } from './services.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'third-sector';

const config = loadThirdSectorConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(thirdSectorOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({
  maxDocumentBytes: config.maxDocumentBytes,
  catalogueCacheSize: config.catalogueCacheSize,
  bookingPayWithinMinutes: config.bookingPayWithinMinutes,
});
// Cross-tenant refusals of the kit's access checks go to the audit log (apart from the request).
services.audit.watchTenancy(orm.em, logger);
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services);
  logger.info('demo data loaded');
}
const running = await startSubgraph({
  name: NAME,
  schema: await buildThirdSectorSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
  routes: {
    ...accreditationRoutes({
      orm,
      accreditations: services.accreditations,
      maxDocumentBytes: config.maxDocumentBytes,
    }),
    ...tutoringRoutes({ orm, tutoring: services.tutoring }),
  },
  // The payable contract, for the payments service only; the delivered tutoring hours of the
  // reimbursement contract, for public-welfare only; the attendance feed, for ies-circuit only.
  internal: {
    publicKeys: config.servicePublicKeys,
    routes: {
      ...payableRoutes(orm, services.payables),
      ...tutoringStatementRoutes(orm, services.tutoringStatements),
      ...attendanceFeedRoutes(orm),
    },
  },
});
// The audit chain, verified on a schedule; the result is what the platform admins see.
const auditChecks = auditChainChecker(orm, services.audit, config.audit, logger);
auditChecks.start();
// Unpaid bookings past their time to pay, lapsed on a schedule (their places are already free).
const lapses = new OfferBookingLapseJob(
  orm,
  services.offerBookings,
  config.bookingLapseIntervalMs,
  logger,
);
lapses.start();
// The audit sealer: chains the rows appended (without a lock) in seq order, every second or so.
const auditSeals = auditSealer(orm, services.audit, config.audit, logger);
auditSeals.start();
// The notification outbox: PORTAL messages written with their events, delivered in the background.
const notifications = notificationDispatcher(orm, config.notifications, logger);
notifications.start();
onShutdown(logger, [
  () => running.close(),
  () => auditChecks.stop(),
  () => auditSeals.stop(),
  () => lapses.stop(),
  () => notifications.stop(),
  () => running.stop(),
]);
