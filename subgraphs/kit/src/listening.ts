import type { Server } from 'node:net';
import { activatedSocketFd, launcherWantsReport } from './config.js';

/**
 * How a process gets its port from the launcher (the `@welfare/platform` workspace), in one of two
 * ways; either way no port is chosen by one process and bound by another, so none has to stay
 * free in between.
 * - Socket activation: the launcher binds the port and hands the listening socket over
 *   (`listenOn` listens on it). Every URL is then known before any process starts, and the
 *   processes start side by side.
 * - Report: the launcher spawns the process with an IPC channel and `REPORT_LISTENING=ipc`, often
 *   with `PORT=0`: the process binds a port of its own choosing and sends `{ listening: <port> }`
 *   once it accepts connections (`reportListening`).
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

/**
 * Makes `server` listen: on the socket the launcher handed over when there is one (`host` and
 * `port` are then the launcher's), otherwise on `host`:`port`.
 */
export function listenOn(
  server: Server,
  host: string,
  port: number,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const fd = activatedSocketFd(env);
  return new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    if (fd === undefined) server.listen(port, host, () => resolveListen());
    else server.listen({ fd }, () => resolveListen());
  });
}
