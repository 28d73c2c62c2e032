// What the legal pages show from the configuration: the controller, the contacts, the retention
// periods and the portal's address (all public information).
import type { LegalInfo } from '$lib/legal';
import { config } from './config';

export function legalPageData(): { legal: LegalInfo; origin: string } {
  const { legal, origin } = config();
  return { legal, origin };
}
