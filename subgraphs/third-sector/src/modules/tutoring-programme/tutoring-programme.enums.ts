import { registerEnumType } from 'type-graphql';
import { enumOf } from '../tutoring-shared/values.js';

export const PROGRAMME_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

export const TutoringProgrammeStatus = enumOf(PROGRAMME_STATUSES);
registerEnumType(TutoringProgrammeStatus, {
  name: 'TutoringProgrammeStatus',
  description: 'OPEN (families enrol and book; lessons are planned) or CLOSED.',
});
