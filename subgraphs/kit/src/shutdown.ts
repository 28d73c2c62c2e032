import type { Logger } from './logger.js';

/**
 * Runs `steps` in order on SIGTERM or SIGINT (once), then exits. Each step is awaited so
 * in-flight requests finish before the database pool closes. A second signal exits at once.
 */
export function onShutdown(logger: Logger, steps: Array<() => Promise<unknown>>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void (async () => {
      let code = 0;
      for (const step of steps) {
        try {
          await step();
        } catch (err) {
          code = 1;
          logger.error({ err }, 'shutdown step failed');
        }
      }
      process.exit(code);
    })();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
