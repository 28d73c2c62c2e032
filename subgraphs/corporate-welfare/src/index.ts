import 'reflect-metadata';
import { createLogger, onShutdown } from '@welfare/kit';
import { openOrm } from '@welfare/kit/orm';
import { startSubgraph } from '@welfare/kit/subgraph';
import { loadCorporateWelfareConfig } from './config.js';
import { loadDemoData } from './demo/load-demo-data.js';
// The fund contract's internal routes.
import { fundRoutes } from '@welfare/kit/contracts';
import { PlanEndJob } from './modules/plan-end/plan-end.job.js';
import { planRoutes } from './modules/plan/plan.routes.js';
import { corporateWelfareOrmSettings } from './orm.js';
import { buildCorporateWelfareSchema } from './schema.js';
import { createServices } from './services.js';
import { claimRoutes } from './modules/claim/claim.routes.js';
import { payrollRoutes } from './modules/payroll/payroll.routes.js';
import { EnrolmentRunner } from './modules/enrolment/enrolment-runner.js';
import {
  ENROLMENT_ROUTE,
  REJECTIONS_ROUTE,
  enrolmentRoute,
  rejectionsRoute,
} from './modules/enrolment/enrolment.route.js';
import { InvitationDispatcher } from './modules/enrolment/invitation-dispatcher.js';

/** The subgraph's name: the audience of its gateway tokens. */
const NAME = 'corporate-welfare';

const config = loadCorporateWelfareConfig();
const logger = createLogger(NAME, config.logLevel);
const orm = await openOrm(corporateWelfareOrmSettings(config.databaseUrl), {
  migrate: config.migrateOnStart,
});
const services = createServices({
  legalFigures: config.legalFigures,
  maxReceiptBytes: config.maxReceiptBytes,
  maxRegulationBytes: config.regulationMaxBytes,
});
if (config.demoData) {
  await loadDemoData(orm.em.fork(), services);
  logger.info('demo data loaded');
}
// Enrolments cut by a restart FAIL; uploads stream into background jobs; the
// invitations' outbox is delivered in the background.
const interrupted = await services.enrolment.failInterrupted(orm.em.fork());
if (interrupted)
  logger.warn({ jobs: interrupted }, 'enrolments interrupted by a restart marked FAILED');
const enrolmentRunner = new EnrolmentRunner(orm, services.enrolment, logger);
const invitations = new InvitationDispatcher(orm, config.invitations, logger);
invitations.start();
const enrolmentRoutes = {
  [ENROLMENT_ROUTE]: enrolmentRoute({
    orm,
    enrolment: services.enrolment,
    runner: enrolmentRunner,
    maxBytes: config.enrolmentMaxBytes,
  }),
  [REJECTIONS_ROUTE]: rejectionsRoute(services.enrolment, orm),
};
const running = await startSubgraph({
  name: NAME,
  schema: await buildCorporateWelfareSchema(services),
  orm,
  host: config.host,
  port: config.port,
  gatewayPublicKey: config.gatewayPublicKey,
  admission: config.admission,
  logger,
  // The fund contract (payments' checkout): service tokens of the payments service only.
  internal: {
    publicKeys: config.servicePublicKeys,
    routes: fundRoutes({ orm, funds: services.funds }),
  },
  routes: {
    ...claimRoutes({ orm, claims: services.claims }),
    ...payrollRoutes({ orm, payroll: services.payroll }),
    ...planRoutes({ orm, plans: services.plans, maxRegulationBytes: config.regulationMaxBytes }),
    ...enrolmentRoutes,
  },
});
if (!config.servicePublicKeys.payments) {
  logger.warn('SERVICE_PUBLIC_KEYS has no key of payments: the fund operations refuse every call');
}
// ACTIVE plans whose last day has passed, closed on a schedule (their end rule applied).
const planEnds = new PlanEndJob(orm, services.planEnd, config.planEndIntervalMs, logger);
planEnds.start();
onShutdown(logger, [
  () => running.close(),
  () => planEnds.stop(),
  () => enrolmentRunner.drain(),
  () => invitations.stop(),
  () => running.stop(),
]);
