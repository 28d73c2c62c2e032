// Operations of the Comune's settings of its catalogue: the patron saint day (no booking on it)
// and the synonym groups its search uses. Server-only (third-sector subgraph).
import { graphql } from './graphql';

export const ComunePatronDayQuery = graphql(`
  query ComunePatronDay($comuneId: ID!) {
    comunePatronDay(comuneId: $comuneId) {
      month
      day
      name
      source
    }
  }
`);

export const SetComunePatronDayMutation = graphql(`
  mutation SetComunePatronDay($comuneId: ID!, $input: ComunePatronDayInput!) {
    setComunePatronDay(comuneId: $comuneId, input: $input) {
      month
      day
      name
    }
  }
`);

export const RemoveComunePatronDayMutation = graphql(`
  mutation RemoveComunePatronDay($comuneId: ID!) {
    removeComunePatronDay(comuneId: $comuneId)
  }
`);

export const CatalogueSynonymsQuery = graphql(`
  query CatalogueSynonyms($comuneId: ID!) {
    catalogueSynonyms(comuneId: $comuneId) {
      id
      words
      builtIn
    }
  }
`);

export const AddCatalogueSynonymsMutation = graphql(`
  mutation AddCatalogueSynonyms($comuneId: ID!, $words: [String!]!) {
    addCatalogueSynonyms(comuneId: $comuneId, words: $words) {
      id
      words
    }
  }
`);

export const RemoveCatalogueSynonymsMutation = graphql(`
  mutation RemoveCatalogueSynonyms($id: ID!) {
    removeCatalogueSynonyms(id: $id)
  }
`);
