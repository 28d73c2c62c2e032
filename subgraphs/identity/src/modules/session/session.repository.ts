import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller, OrganisationKind, Role } from '@welfare/kit';

interface SessionRow {
  session_id: string;
  person_id: string;
  platform_admin: boolean;
  fiscal_code_cipher: string | null;
  organisation_id: string | null;
  organisation_kind: OrganisationKind | null;
  role: Role | null;
}

/**
 * The caller behind a session token hash, in one indexed query (session by its unique token
 * hash, the person by primary key, the ACTIVE memberships by person): anonymous when the
 * session is unknown, expired or revoked. A citizen's codice fiscale is decrypted with `decrypt`.
 */
export async function findCallerByTokenHash(
  em: EntityManager,
  tokenHash: string,
  decrypt: (cipher: string) => string,
): Promise<Caller> {
  const rows = await em.getConnection().execute<SessionRow[]>(
    `select s.id as session_id, s.person_id, p.platform_admin, p.fiscal_code_cipher,
            m.organisation_id, o.kind as organisation_kind, m.role
       from "identity"."session" s
       join "identity"."person" p on p.id = s.person_id
       left join "identity"."membership" m on m.person_id = s.person_id and m.status = 'ACTIVE'
       left join "identity"."organisation" o on o.id = m.organisation_id
      where s.token_hash = ? and s.revoked_at is null and s.expires_at > now()
      order by o.name, m.role`,
    [tokenHash],
  );
  const first = rows[0];
  if (!first) return { kind: 'anonymous' };
  const caller: Caller = {
    kind: 'person',
    personId: first.person_id,
    sessionId: first.session_id,
    platformAdmin: first.platform_admin,
    memberships: rows.flatMap((r) =>
      r.organisation_id && r.organisation_kind && r.role
        ? [
            {
              organisationId: r.organisation_id,
              organisationKind: r.organisation_kind,
              role: r.role,
            },
          ]
        : [],
    ),
  };
  if (first.fiscal_code_cipher) caller.fiscalCode = decrypt(first.fiscal_code_cipher);
  return caller;
}
