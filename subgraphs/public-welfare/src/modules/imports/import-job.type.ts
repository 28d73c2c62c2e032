import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import {
  ImportKind,
  ImportStatus,
  type ImportKind as ImportKindValue,
  type ImportStatus as ImportStatusValue,
} from '../shared/enums.js';

/** A CSV import. `comune`, `createdBy` and `rejections` are field resolvers in `ImportResolver`. */
@ObjectType('ImportJob', {
  description: 'A CSV import of registry or income data, and its outcome.',
})
export class ImportJobType {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  @Field(() => ImportKind, { description: 'What the file loads.' })
  kind!: ImportKindValue;

  @Field(() => ImportStatus, { description: 'Where the job is.' })
  status!: ImportStatusValue;

  @Field(() => Int, {
    description: 'Data rows read so far (the header excluded); grows while RUNNING.',
  })
  rowsRead!: number;

  @Field(() => Int, { description: 'Rows written to the registry (0 unless SUCCEEDED).' })
  rowsImported!: number;

  @Field(() => Int, { description: 'Rows rejected; any rejection makes the job FAIL.' })
  rowsRejected!: number;

  @Field(() => Int, {
    description:
      'Rows of the file that changed the registry (inserted or updated; 0 unless SUCCEEDED): a re-import that changes nothing says 0.',
  })
  rowsChanged!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'The file’s character encoding as detected: UTF-8, UTF-8-BOM, UTF-16LE, UTF-16BE or WINDOWS-1252 (null until read).',
  })
  encoding!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The file’s separator as detected: `;`, `,` or a tab (null until read).',
  })
  separator!: string | null;

  @Field({ description: 'When the job was created (the upload began).' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When reading the file began.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the job SUCCEEDED or FAILED.' })
  finishedAt!: Date | null;
}

@ObjectType('ImportRejection', { description: 'Why a row (or the whole file) was refused.' })
export class ImportRejectionType {
  @Field(() => Int, {
    description: 'Line of the file (1 is the header; 0 when the problem is not on a line).',
  })
  line!: number;

  @Field({
    description:
      'The column (as named in the header), `riga` for the whole row, `file` for the file.',
  })
  field!: string;

  @Field({ description: 'The reason, in Italian.' })
  reasonIt!: string;

  @Field({ description: 'The reason, in English.' })
  reasonEn!: string;
}

@ObjectType('ImportColumn', {
  description:
    'A column an import file holds: what it takes, whether it may be left out, its names.',
})
export class ImportColumnType {
  @Field({ description: 'The column’s own header name (e.g. `codice_famiglia`).' })
  name!: string;

  @Field({ description: 'Whether a file must have the column (false: it may be left out).' })
  required!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The value every row gets when the file has no such column (null when required).',
  })
  defaultValue!: string | null;

  @Field({ description: 'The value’s format, in Italian.' })
  formatIt!: string;

  @Field({ description: 'The value’s format, in English.' })
  formatEn!: string;

  @Field({ description: 'An example value, as the template file shows it.' })
  example!: string;

  @Field(() => [String], {
    description:
      'Other header names recognised for the column (registry software exports), compared ignoring case, accents and punctuation.',
  })
  aliases!: string[];
}

@ObjectType('ImportHeaderMapping', {
  description: 'A header a Comune’s files use and the column it holds, chosen by its staff.',
})
export class ImportHeaderMappingType {
  @Field({
    description:
      'The header, upper case without accents or punctuation (`Data nascita` → `DATA_NASCITA`).',
  })
  header!: string;

  @Field({ description: 'The column it holds (a name of `importColumns`).' })
  column!: string;
}

@InputType('ImportHeaderMappingInput', { description: 'A header and the column it holds.' })
export class ImportHeaderMappingInput {
  @Field({ description: 'The header as the file writes it (1 to 100 characters).' })
  header!: string;

  @Field({ description: 'The column it holds: a name of `importColumns` for the kind of file.' })
  column!: string;
}

@InputType('SaveImportHeaderMappingInput', {
  description: 'The whole mapping of a Comune for a kind of file (it replaces the saved one).',
})
export class SaveImportHeaderMappingInput {
  @Field(() => ID, { description: 'The Comune (identity Organisation id).' })
  comuneId!: string;

  @Field(() => ImportKind, { description: 'The kind of file.' })
  kind!: ImportKindValue;

  @Field(() => [ImportHeaderMappingInput], {
    description: 'At most 50 headers, each once; an empty list removes the mapping.',
  })
  entries!: ImportHeaderMappingInput[];
}

@ObjectType('ImportPreviewHeader', {
  description: 'A header of the previewed file and the column the import reads it as.',
})
export class ImportPreviewHeaderType {
  @Field({ description: 'The header as the file writes it (NFC).' })
  header!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The column it holds (a name of `importColumns`); null when not recognised.',
  })
  column!: string | null;
}

@ObjectType('ImportPreviewRow', { description: 'A data row of the previewed file, as stored.' })
export class ImportPreviewRowType {
  @Field(() => Int, { description: 'Line of the file (1 is the header).' })
  line!: number;

  @Field(() => [String], {
    description:
      'The cells in the order of `ImportPreview.columns`: trimmed, in NFC, defaults for columns the file leaves out.',
  })
  cells!: string[];
}

@ObjectType('ImportPreview', {
  description:
    'What importing a file would give, from its first bytes: format, header mapping and the first rows. Nothing is written.',
})
export class ImportPreviewType {
  @Field({
    description:
      'The character encoding as detected: UTF-8, UTF-8-BOM, UTF-16LE, UTF-16BE or WINDOWS-1252.',
  })
  encoding!: string;

  @Field({ description: 'The separator as detected: `;`, `,` or a tab.' })
  separator!: string;

  @Field(() => [ImportPreviewHeaderType], {
    description: 'Every header of the file, in its order, with the column recognised.',
  })
  headers!: ImportPreviewHeaderType[];

  @Field(() => [String], {
    description:
      'The columns the rows hold, in the documented order: recognised in the header or taking their default.',
  })
  columns!: string[];

  @Field(() => [String], {
    description: 'Required columns no header names: the import would fail.',
  })
  missingColumns!: string[];

  @Field(() => [ImportPreviewRowType], { description: 'The first 5 data rows.' })
  rows!: ImportPreviewRowType[];

  @Field(() => String, {
    nullable: true,
    description: 'Why the file could not be read as CSV, in Italian (null when it could).',
  })
  problemIt!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the file could not be read as CSV, in English (null when it could).',
  })
  problemEn!: string | null;
}
