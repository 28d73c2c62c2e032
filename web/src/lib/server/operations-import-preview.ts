// The import page's preview of a file before it is uploaded (issue 19, item 1).
import { graphql } from './graphql';

export const ImportPreviewQuery = graphql(`
  query ImportPreview($comuneId: ID!, $kind: ImportKind!, $head: String!) {
    importPreview(comuneId: $comuneId, kind: $kind, head: $head) {
      encoding
      separator
      headers {
        header
        column
      }
      columns
      missingColumns
      rows {
        line
        cells
      }
      problemIt
      problemEn
    }
  }
`);
