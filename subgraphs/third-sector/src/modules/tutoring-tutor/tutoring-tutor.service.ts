import type { EntityManager } from '@mikro-orm/postgresql';
import { FieldErrors, type Caller } from '@welfare/kit';
import { isUuid, requirePerson } from '@welfare/kit/access';
import type { TutoringProgrammeService } from '../tutoring-programme/tutoring-programme.service.js';
import { cleanText } from '../tutoring-shared/values.js';
import { TutoringTutor } from './tutoring-tutor.entity.js';
import { findTutor, findTutorsOfProgramme } from './tutoring-tutor.repository.js';

/** Tutors: TUTOR members of the provider, assigned per programme by the provider's ADMIN. */
export class TutoringTutorService {
  constructor(private readonly programmes: TutoringProgrammeService) {}

  /**
   * The provider's ADMIN assigns a TUTOR member to a programme (idempotent for the same person:
   * the display name is updated).
   */
  async assign(
    em: EntityManager,
    caller: Caller,
    programmeId: string,
    personId: string,
    displayName: string,
  ): Promise<TutoringTutor> {
    requirePerson(caller);
    const programme = await this.programmes.forAdmin(em, caller, programmeId);
    const errors = new FieldErrors();
    const name = cleanText(displayName);
    if (!isUuid(personId)) errors.add('personId', 'Scegliere un tutor.', 'Choose a tutor.');
    if (name.length < 2 || name.length > 120) {
      errors.add(
        'displayName',
        'Il nome va da 2 a 120 caratteri.',
        'The name takes 2 to 120 characters.',
      );
    }
    errors.throwIfAny();
    return em.fork().transactional(async (tx) => {
      const existing = await findTutor(tx, { programmeId: programme.id, personId });
      if (existing) {
        existing.displayName = name;
        await tx.flush();
        return existing;
      }
      const row = tx.create(TutoringTutor, {
        programmeId: programme.id,
        providerId: programme.providerId,
        personId,
        displayName: name,
      });
      await tx.flush();
      return row;
    });
  }

  /** A programme's tutors, by name (public: families see the names). */
  async ofProgramme(em: EntityManager, programmeId: string): Promise<TutoringTutor[]> {
    return findTutorsOfProgramme(em, programmeId);
  }

  /** A tutor assignment by id. */
  async get(em: EntityManager, id: string): Promise<TutoringTutor | null> {
    return findTutor(em, { id });
  }
}
