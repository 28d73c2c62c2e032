import { registerEnumType } from 'type-graphql';

export const SCHEDULE_STATUSES = ['PENDING', 'DONE', 'FAILED', 'CANCELLED'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

export const ScheduledTopUpStatus = Object.fromEntries(SCHEDULE_STATUSES.map((s) => [s, s])) as {
  [K in ScheduleStatus]: K;
};
registerEnumType(ScheduledTopUpStatus, {
  name: 'ScheduledTopUpStatus',
  description:
    'A scheduled tranche: PENDING (waiting for its day), DONE (the scheduler credited it), FAILED (the top-up was refused: see lastError), CANCELLED (by the Comune’s staff).',
});
