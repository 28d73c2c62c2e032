import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ENROLMENT_STATUSES } from './enrolment.entity.js';

export const EnrolmentStatusEnum = Object.fromEntries(ENROLMENT_STATUSES.map((s) => [s, s])) as {
  [K in (typeof ENROLMENT_STATUSES)[number]]: K;
};

registerEnumType(EnrolmentStatusEnum, {
  name: 'EnrolmentJobStatus',
  description: 'Where an enrolment of employees by CSV is.',
  valuesConfig: {
    QUEUED: { description: 'Created: the upload is starting.' },
    RUNNING: { description: 'The file is being read and checked.' },
    SUCCEEDED: { description: 'Every row was valid: the employees are enrolled.' },
    FAILED: { description: 'Some row or the file was refused: no employee was written.' },
  },
});

@ObjectType('EnrolmentRejection', { description: 'Why a row (or the whole file) was refused.' })
export class EnrolmentRejectionType {
  @Field(() => Int, {
    description: 'Line of the file (1 is the header; 0 when the problem is not on a line).',
  })
  line!: number;

  @Field(() => String, {
    description:
      'The column (as named in the header), `riga` for the whole row, `file` for the file.',
  })
  field!: string;

  @Field(() => String, { description: 'The reason, in Italian.' })
  reasonIt!: string;

  @Field(() => String, { description: 'The reason, in English.' })
  reasonEn!: string;
}

@ObjectType('EnrolmentJob', {
  description:
    'An enrolment of an employer’s employees by CSV, all or nothing, and its outcome. Seen by the employer’s HR.',
})
export class EnrolmentJobType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ID, { description: 'The employer (identity Organisation id).' })
  employerId!: string;

  @Field(() => EnrolmentStatusEnum, { description: 'Where the job is.' })
  status!: string;

  @Field(() => Int, {
    description: 'Data rows read so far (the header excluded); grows while RUNNING.',
  })
  rowsRead!: number;

  @Field(() => Int, { description: 'Rows merged (0 unless SUCCEEDED).' })
  rowsImported!: number;

  @Field(() => Int, { description: 'Rows rejected; any rejection makes the job FAIL.' })
  rowsRejected!: number;

  @Field(() => Int, { description: 'Employees the job enrolled (0 unless SUCCEEDED).' })
  rowsCreated!: number;

  @Field(() => Int, {
    description:
      'Employees already enrolled whose data the file changed (0 unless SUCCEEDED); the other imported rows were unchanged.',
  })
  rowsChanged!: number;

  @Field(() => Date, { description: 'When the job was created (the upload began).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When reading the file began.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the job SUCCEEDED or FAILED.' })
  finishedAt!: Date | null;
}
