import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { newOpaqueToken, sha256Hex, type PiiCipher } from '@welfare/kit/pii';
import type { Person } from '../person/person.entity.js';
import { Session, type SessionMethod } from './session.entity.js';
import { findCallerByTokenHash } from './session.repository.js';

/** A session just opened: the token is returned once and never stored. */
export interface OpenedSession {
  session: Session;
  token: string;
}

/** Opens, revokes and resolves sessions. */
export class SessionService {
  constructor(
    private readonly ttlHours: number,
    private readonly pii: PiiCipher,
  ) {}

  /** Opens a session for `person` (inside the caller's transaction when there is one). */
  open(em: EntityManager, person: Person, method: SessionMethod): OpenedSession {
    const token = newOpaqueToken();
    const session = em.create(Session, {
      tokenHash: sha256Hex(token),
      person,
      method,
      expiresAt: new Date(Date.now() + this.ttlHours * 3_600_000),
    });
    em.persist(session);
    return { session, token };
  }

  /** Revokes the caller's current session; true when one was revoked. */
  async revokeCurrent(em: EntityManager, caller: Caller): Promise<boolean> {
    if (caller.kind !== 'person') return false;
    const count = await em.nativeUpdate(
      Session,
      { id: caller.sessionId, person: caller.personId, revokedAt: null },
      { revokedAt: new Date() },
    );
    return count > 0;
  }

  /** Revokes every open session of a person (after a password reset); how many were revoked. */
  revokeAll(em: EntityManager, personId: string): Promise<number> {
    return em.nativeUpdate(
      Session,
      { person: personId, revokedAt: null },
      { revokedAt: new Date() },
    );
  }

  /** The caller a session token stands for (anonymous for unknown, expired or revoked tokens). */
  async resolve(em: EntityManager, token: string): Promise<Caller> {
    if (token.length === 0 || token.length > 200) return { kind: 'anonymous' };
    return findCallerByTokenHash(em, sha256Hex(token), (cipher) => this.pii.decrypt(cipher));
  }
}
