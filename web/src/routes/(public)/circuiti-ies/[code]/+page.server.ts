import type { PageServerLoad } from './$types';
import { transparencyOf } from './figures.server';

/** A circuit's transparency page (public): reserve, issuance, circulation, fees and their uses. */
export const load: PageServerLoad = async (event) => ({
  figures: await transparencyOf(event, event.params.code),
});
