import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { newOpaqueToken, sha256Hex, type PiiCipher } from '@welfare/kit/pii';
import type { Person } from '../person/person.entity.js';
import { Session, type SessionMethod } from './session.entity.js';
import { findCallersByTokenHashes } from './session.repository.js';

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
    const [caller] = await this.resolveMany(em, [token]);
    return caller!;
  }

  /** The callers of several session tokens, in their order, in one query (see `resolve`). */
  async resolveMany(em: EntityManager, tokens: readonly string[]): Promise<Caller[]> {
    const hashes = tokens.map((t) => (t.length === 0 || t.length > 200 ? null : sha256Hex(t)));
    const found = await findCallersByTokenHashes(
      em,
      [...new Set(hashes.filter((h): h is string => h !== null))],
      (cipher) => this.pii.decrypt(cipher),
    );
    return hashes.map((h) => (h && found.get(h)) || { kind: 'anonymous' });
  }
}
