import type { Caller } from '@welfare/kit';

/**
 * The caller the top-up scheduler acts as: a service of this process, never minted by the gateway
 * (the gateway's tokens name the service `gateway`). The audit log records it as
 * `service:topup-scheduler`.
 */
export const SCHEDULER_CALLER = {
  kind: 'service',
  service: 'topup-scheduler',
} as const satisfies Caller;

/** True for the top-up scheduler's own caller. */
export function isTopUpScheduler(caller: Caller): boolean {
  return caller.kind === 'service' && caller.service === SCHEDULER_CALLER.service;
}
