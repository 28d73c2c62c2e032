import { randomUUID } from 'node:crypto';
import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { LESSON_STATUSES, type LessonStatus } from './tutoring-lesson.enums.js';

/** A lesson: a tutor in a room for a time, with a capacity of seats. */
@Entity({ tableName: 'tutoring_lesson' })
export class TutoringLesson {
  [OptionalProps]?: 'seatsTaken' | 'status' | 'cancelledAt' | 'createdAt' | 'seriesId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'uuid' })
  providerId!: string;

  @Property({ type: 'uuid' })
  tutorId!: string;

  @Property({ type: 'uuid' })
  tutorPersonId!: string;

  @Property({ type: 'uuid' })
  roomId!: string;

  /** Shared by the lessons planned together as a weekly series. */
  @Property({ type: 'uuid', nullable: true })
  seriesId: string | null = null;

  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Property({ type: 'int' })
  capacity!: number;

  @Property({ type: 'int' })
  seatsTaken: number = 0;

  @Enum({ items: [...LESSON_STATUSES], type: 'text' })
  status: LessonStatus = 'PLANNED';

  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null = null;

  @Property({ type: 'uuid' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
