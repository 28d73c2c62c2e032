import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from '../membership/membership.entity.js';
import type { Person } from '../person/person.entity.js';
import type { ViewerData } from './viewer.type.js';

/** The viewer for `person`: the person, the admin flag and the ACTIVE memberships. */
export async function buildViewer(em: EntityManager, person: Person): Promise<ViewerData> {
  const memberships = await em.find(
    Membership,
    { person, status: 'ACTIVE' },
    { populate: ['organisation'], orderBy: { organisation: { name: 'asc' }, role: 'asc' } },
  );
  return { person, platformAdmin: person.platformAdmin, memberships };
}
