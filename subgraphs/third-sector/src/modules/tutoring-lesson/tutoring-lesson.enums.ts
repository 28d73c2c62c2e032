import { registerEnumType } from 'type-graphql';
import { enumOf } from '../tutoring-shared/values.js';

export const LESSON_STATUSES = ['PLANNED', 'CANCELLED'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

export const TutoringLessonStatus = enumOf(LESSON_STATUSES);
registerEnumType(TutoringLessonStatus, {
  name: 'TutoringLessonStatus',
  description: 'PLANNED, or CANCELLED by the provider (its bookings cancelled, budget freed).',
});
