// The import page's operations (issue 19): the columns a file holds.
import { graphql } from './graphql';

export const ImportColumnsQuery = graphql(`
  query ImportColumns {
    registry: importColumns(kind: REGISTRY) {
      name
      required
      defaultValue
      formatIt
      formatEn
      example
      aliases
    }
    income: importColumns(kind: INCOME) {
      name
      required
      defaultValue
      formatIt
      formatEn
      example
      aliases
    }
  }
`);

export const ImportHeaderMappingQuery = graphql(`
  query ImportHeaderMapping($comuneId: ID!) {
    importHeaderMapping(comuneId: $comuneId, kind: REGISTRY) {
      header
      column
    }
  }
`);

export const SaveImportHeaderMappingMutation = graphql(`
  mutation SaveImportHeaderMapping($input: SaveImportHeaderMappingInput!) {
    saveImportHeaderMapping(input: $input) {
      header
      column
    }
  }
`);
