import { launcherWantsReport } from './config.js';

/**
 * How a process tells the launcher that started it where it listens. The launcher (the
 * `@welfare/platform` workspace) spawns each process with an IPC channel and
 * `REPORT_LISTENING=ipc`, often with `PORT=0`: the process binds a port of its own choosing and
 * sends `{ listening: <port> }` once it accepts connections. No port is chosen by one process and
 * bound by another, so none has to stay free in between.
 */
export interface ListeningReport {
  listening: number;
}

/** True for the message `reportListening` sends. */
export function isListeningReport(message: unknown): message is ListeningReport {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { listening?: unknown }).listening === 'number'
  );
}

/**
 * Sends the bound port to the launcher, when there is one (`REPORT_LISTENING=ipc` and an IPC
 * channel); otherwise does nothing (a process run on its own, or a server started inside a test).
 */
export function reportListening(port: number, env?: NodeJS.ProcessEnv): void {
  if (!launcherWantsReport(env) || !process.send) return;
  const report: ListeningReport = { listening: port };
  // A launcher that has gone away is no reason to stop serving: the error is dropped.
  process.send(report, undefined, {}, () => undefined);
}
