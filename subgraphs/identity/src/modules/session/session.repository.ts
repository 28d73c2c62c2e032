import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller, OrganisationKind, Role } from '@welfare/kit';
import { arrayLiteral } from '@welfare/kit/book';

interface SessionRow {
  token_hash: string;
  session_id: string;
  person_id: string;
  platform_admin: boolean;
  fiscal_code_cipher: string | null;
  organisation_id: string | null;
  organisation_kind: OrganisationKind | null;
  role: Role | null;
}

/**
 * The callers behind session token hashes, in one indexed query whatever their number (sessions
 * by their unique token hash, the persons by primary key, the ACTIVE memberships by person), keyed
 * by hash: a hash whose session is unknown, expired or revoked is absent. A citizen's codice
 * fiscale is decrypted with `decrypt`.
 */
export async function findCallersByTokenHashes(
  em: EntityManager,
  tokenHashes: readonly string[],
  decrypt: (cipher: string) => string,
): Promise<Map<string, Caller>> {
  const callers = new Map<string, Caller>();
  if (tokenHashes.length === 0) return callers;
  const rows = await em.getConnection().execute<SessionRow[]>(
    `select s.token_hash, s.id as session_id, s.person_id, p.platform_admin, p.fiscal_code_cipher,
            m.organisation_id, o.kind as organisation_kind, m.role
       from "identity"."session" s
       join "identity"."person" p on p.id = s.person_id
       left join "identity"."membership" m on m.person_id = s.person_id and m.status = 'ACTIVE'
       left join "identity"."organisation" o on o.id = m.organisation_id
      where s.token_hash = any(?::text[]) and s.revoked_at is null and s.expires_at > now()
      order by s.token_hash, o.name, m.role`,
    [arrayLiteral(tokenHashes)],
  );
  for (const row of rows) {
    let caller = callers.get(row.token_hash);
    if (!caller) {
      caller = {
        kind: 'person',
        personId: row.person_id,
        sessionId: row.session_id,
        platformAdmin: row.platform_admin,
        memberships: [],
      };
      if (row.fiscal_code_cipher) caller.fiscalCode = decrypt(row.fiscal_code_cipher);
      callers.set(row.token_hash, caller);
    }
    if (row.organisation_id && row.organisation_kind && row.role && caller.kind === 'person') {
      caller.memberships.push({
        organisationId: row.organisation_id,
        organisationKind: row.organisation_kind,
        role: row.role,
      });
    }
  }
  return callers;
}
