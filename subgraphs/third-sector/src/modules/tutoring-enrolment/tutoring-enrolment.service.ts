import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { requirePerson } from '@welfare/kit/access';
import { romeDay } from '@welfare/kit/dates';
import { sqlState } from '../shared/db-errors.js';
import {
  programmeNotFound,
  type TutoringProgrammeService,
} from '../tutoring-programme/tutoring-programme.service.js';
import { requireFamily } from '../tutoring-shared/access.js';
import { cleanText } from '../tutoring-shared/values.js';
import { TutoringEnrolment } from './tutoring-enrolment.entity.js';
import { findEnrolmentsOfFamily } from './tutoring-enrolment.repository.js';

export interface EnrolmentInput {
  programmeId: string;
  firstName: string;
  lastName: string;
  schoolClass: string;
}

/** Checks a pupil's names and class, adding an error per invalid one; the trimmed values. */
function validatePupil(input: EnrolmentInput, errors: FieldErrors) {
  const firstName = cleanText(input.firstName);
  const lastName = cleanText(input.lastName);
  const schoolClass = cleanText(input.schoolClass);
  if (firstName.length < 1 || firstName.length > 80) {
    errors.add(
      'firstName',
      'Indicare il nome (fino a 80 caratteri).',
      'Give the first name (up to 80 characters).',
    );
  }
  if (lastName.length < 1 || lastName.length > 80) {
    errors.add(
      'lastName',
      'Indicare il cognome (fino a 80 caratteri).',
      'Give the last name (up to 80 characters).',
    );
  }
  if (schoolClass.length < 1 || schoolClass.length > 40) {
    errors.add(
      'schoolClass',
      'Indicare la classe (fino a 40 caratteri).',
      'Give the school class (up to 40 characters).',
    );
  }
  return { firstName, lastName, schoolClass };
}

/** Enrolments: the pupils a family (a citizen with a codice fiscale) enrols in programmes. */
export class TutoringEnrolmentService {
  constructor(
    private readonly programmes: TutoringProgrammeService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A family (a citizen with a codice fiscale) enrols a pupil in an OPEN programme. */
  async enrol(
    em: EntityManager,
    caller: Caller,
    input: EnrolmentInput,
  ): Promise<TutoringEnrolment> {
    const person = requireFamily(caller);
    const errors = new FieldErrors();
    const pupil = validatePupil(input, errors);
    const programme = await this.programmes.get(em, input.programmeId);
    if (!programme) throw programmeNotFound();
    errors.throwIfAny();
    if (programme.status !== 'OPEN' || programme.endsOn < romeDay(this.now())) {
      throw DomainError.conflict({
        it: 'Il programma non accetta iscrizioni.',
        en: 'The programme does not accept enrolments.',
      });
    }
    try {
      return await em.fork().transactional(async (tx) => {
        const row = tx.create(TutoringEnrolment, {
          programmeId: programme.id,
          familyId: person.personId,
          ...pupil,
        });
        await tx.flush();
        return row;
      });
    } catch (err) {
      if (sqlState(err) === '23505') {
        throw DomainError.conflict({
          it: 'L’alunno è già iscritto a questo programma.',
          en: 'The pupil is already enrolled in this programme.',
        });
      }
      throw err;
    }
  }

  /** The family's enrolments, newest first. */
  async ofFamily(em: EntityManager, caller: Caller): Promise<TutoringEnrolment[]> {
    const person = requirePerson(caller);
    return findEnrolmentsOfFamily(em, person.personId);
  }
}
