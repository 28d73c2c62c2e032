// Operations of the tutoring programmes listed in the catalogue (third-sector subgraph).
// Server-only.
import { graphql } from './graphql';

/** The public facts of the programme a catalogue entry lists (its offer page shows them). */
export const OfferProgrammeQuery = graphql(`
  query OfferTutoringProgramme($id: ID!) {
    tutoringProgramme(id: $id) {
      id
      startsOn
      endsOn
      groupSizeLimit
      status
    }
  }
`);
