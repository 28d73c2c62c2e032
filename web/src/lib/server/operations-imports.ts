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
