import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { DomainError, type FieldError } from '@welfare/kit/errors';
import { requireMember } from '../shared/access.js';
import type { Notice } from './notice.entity.js';
import type { NoticeInput } from './notice.input.js';
import type { NoticeRepository } from './notice.repository.js';

/** Notices listed at most. */
const LIST_LIMIT = 100;

/** The rules of notices: who may read and post, and what a valid notice is. */
export class NoticeService {
  constructor(
    private readonly repository: NoticeRepository,
    private readonly maxBodyLength: number,
  ) {}

  /** The organisation's notices, newest first: its members only. */
  list(em: EntityManager, caller: Caller, organisationId: string): Promise<Notice[]> {
    requireMember(caller, organisationId);
    return this.repository.listOf(em, organisationId, LIST_LIMIT);
  }

  /** Posts a notice: a member of the organisation; BAD_USER_INPUT lists every invalid field. */
  post(em: EntityManager, caller: Caller, input: NoticeInput): Promise<Notice> {
    const person = requireMember(caller, input.organisationId);
    const title = input.title.trim();
    const body = input.body.trim();
    const fields: FieldError[] = [];
    if (title.length < 3 || title.length > 120) {
      fields.push({
        field: 'title',
        message: {
          it: 'Il titolo deve avere da 3 a 120 caratteri.',
          en: 'The title must have 3 to 120 characters.',
        },
      });
    }
    if (body.length === 0 || body.length > this.maxBodyLength) {
      fields.push({
        field: 'body',
        message: {
          it: `Il testo è obbligatorio e ha al più ${this.maxBodyLength} caratteri.`,
          en: `The text is required and has at most ${this.maxBodyLength} characters.`,
        },
      });
    }
    if (fields.length > 0) throw DomainError.badInput(fields);
    return this.repository.insert(em, {
      organisationId: input.organisationId,
      title,
      body,
      createdBy: person.personId,
    });
  }
}
