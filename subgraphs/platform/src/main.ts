// `npm start`: the whole platform on one machine, with demo data; Ctrl-C stops it cleanly.
import exitHook from 'async-exit-hook';
import { DEMO_ACCOUNTS } from '@welfare/identity/demo';
import { DEMO_CARD_HOLDER, DEMO_CARD_PIN } from '@welfare/public-welfare/demo';
import { startPlatform, type Platform } from './launcher.js';

// Read once, here: the launcher's own settings (each service validates its own).
const env = process.env;
const port = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);

// Ctrl-C at any time, even while starting, stops every process that was started. The embedded
// PostgreSQL registers its own exit hook through async-exit-hook; ours runs beside it and the
// process exits only when both are done.
let stopRequested = false;
let startup: Promise<unknown> = Promise.resolve();
const running: { platform?: Platform } = {};
exitHook.forceExitTimeout(30_000);
exitHook((done) => {
  stopRequested = true;
  console.log('\nArresto... / Stopping...');
  startup
    .catch(() => undefined)
    .then(() => running.platform?.stop())
    .catch((err: unknown) => console.error(err))
    .finally(done);
});

const started = Date.now();
console.log('Avvio della piattaforma... / Starting the platform...');
let platform: Platform;
try {
  startup = startPlatform({
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.DATA_DIR || undefined,
    ports: {
      web: port(env.WEB_PORT, 3000),
      gateway: port(env.GATEWAY_PORT, 4000),
      oidc: port(env.OIDC_PORT, 4400),
      stripe: port(env.STRIPE_PORT, 4410),
    },
    log: (service, line) => {
      if (env.LOG_LEVEL === 'debug' || /"level":(40|50|60)|error/i.test(line)) {
        process.stdout.write(`[${service}] ${line}\n`);
      }
    },
  });
  platform = (await startup) as Platform;
} catch (err) {
  if (stopRequested) process.exit(0); // stopped while starting: the exit hook cleans up
  console.error('Avvio non riuscito / Start failed:', err instanceof Error ? err.message : err);
  process.exit(1);
}

running.platform = platform;
if (stopRequested) await new Promise(() => undefined); // the exit hook stops it and exits

const cashier = DEMO_ACCOUNTS.find((a) => a.role === 'CASHIER');
const lines = [
  '',
  `Piattaforma pronta in ${((Date.now() - started) / 1000).toFixed(1)} s / Platform ready`,
  '',
  `  Portale / Portal:           ${platform.urls.web}`,
  `  Gateway GraphQL:            ${platform.urls.gateway}`,
  `  Provider SPID/CIE di prova: ${platform.urls.oidc}`,
  ...(platform.urls.stripe
    ? [
        `  Stripe di prova / fake:     ${platform.urls.stripe} (carta / card 4242 4242 4242 4242; rifiutata / declined 4000 0000 0000 0002)`,
      ]
    : []),
  ...Object.entries(platform.urls.subgraphs).map(
    ([name, url]) => `  Subgraph ${name.padEnd(18)}${url}`,
  ),
  `  Database:                   ${env.DATABASE_URL ? 'DATABASE_URL' : 'PostgreSQL embedded (.data/postgres)'}`,
  '',
  'Accessi demo / Demo logins:',
  ...DEMO_ACCOUNTS.map((a) =>
    a.kind === 'citizen'
      ? `  ${a.label.padEnd(32)} SPID/CIE di prova, codice fiscale ${a.fiscalCode ?? ''}`
      : `  ${a.label.padEnd(32)} ${a.email ?? ''} / ${a.password ?? ''}`,
  ),
  '',
  `Carta demo con credito / Demo card with credit (cassa / till: ${cashier?.email ?? ''}):`,
  `  codice fiscale ${DEMO_CARD_HOLDER}, PIN ${DEMO_CARD_PIN}`,
  '',
  'Pagamento di un servizio / Paying a service (Mario Rossi, 350 € di buoni / of vouchers):',
  '  prenota "Baby sitting a domicilio", poi Paga: buoni + carta di prova / book it, then Pay',
  '',
  'Ctrl-C per fermare / to stop.',
];
console.log(lines.join('\n'));
