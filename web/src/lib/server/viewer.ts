import type { ResultOf } from './graphql';
import type { ViewerQuery } from './operations';

/** The logged-in person as the viewer query returns it. */
export type Viewer = NonNullable<ResultOf<typeof ViewerQuery>['viewer']>;

/** What the browser may see of the viewer (no codice fiscale or email in every page's data). */
export interface ViewerSummary {
  givenName: string;
  familyName: string;
  platformAdmin: boolean;
  memberships: Viewer['memberships'];
  /** The person's codice fiscale is known (SPID/CIE citizens); the code itself is not sent. */
  citizen: boolean;
}

export function summarise(viewer: Viewer | null): ViewerSummary | null {
  if (!viewer) return null;
  return {
    givenName: viewer.person.givenName,
    familyName: viewer.person.familyName,
    platformAdmin: viewer.platformAdmin,
    memberships: viewer.memberships,
    citizen: Boolean(viewer.person.fiscalCode),
  };
}
