import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Services } from '../../services.js';
import { OrganisationRef, PersonRef } from '../shared/references.type.js';
import type { ImportJob } from './import-job.entity.js';
import {
  ImportColumnType,
  ImportHeaderMappingType,
  ImportJobType,
  ImportPreviewType,
  ImportRejectionType,
  SaveImportHeaderMappingInput,
} from './import-job.type.js';
import type { HeaderMappingEntry } from './import.service.js';
import type { ImportColumnDoc } from './import-columns.js';
import { ImportKind, type ImportKind as ImportKindValue } from '../shared/enums.js';
import type { ImportRejection } from './import-rejection.entity.js';

@Resolver(() => ImportJobType)
export class ImportResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ImportJobType, {
    nullable: true,
    description:
      'One import job (null when it does not exist). Staff of its Comune and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous.',
  })
  importJob(
    @Arg('id', () => ID, { description: 'The job id answered by the upload route.' }) id: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ImportJob | null> {
    return this.services.imports.findJob(ctx.em, ctx.caller, id);
  }

  @Query(() => [ImportJobType], {
    description: 'The Comune’s import jobs, newest first (at most 100). Staff of the Comune only.',
  })
  importJobs(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ImportJob[]> {
    return this.services.imports.listJobs(ctx.em, ctx.caller, comuneId);
  }

  @Query(() => [ImportColumnType], {
    description:
      'The columns of an import file, in the documented order: format, whether required, default and recognised header names. Open to anyone (it describes the file format only).',
  })
  importColumns(
    @Arg('kind', () => ImportKind, { description: 'What the file loads.' }) kind: ImportKindValue,
  ): ImportColumnDoc[] {
    return this.services.imports.columns(kind);
  }

  @Query(() => ImportPreviewType, {
    description:
      'What importing a file would give, from its first bytes: detected encoding and separator, each header’s column (the Comune’s mapping first), required columns missing, the first 5 rows as stored. Nothing is written. BAD_USER_INPUT (`head`): not base64, empty or over 64 KiB. Staff of the Comune and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous.',
  })
  async importPreview(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('kind', () => ImportKind, { description: 'What the file loads.' }) kind: ImportKindValue,
    @Arg('head', {
      description:
        'The first bytes of the file in base64, at most 65,536 (fewer are taken as the whole file).',
    })
    head: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<ImportPreviewType> {
    const { problem, ...preview } = await this.services.imports.preview(ctx.em, ctx.caller, {
      comuneId,
      kind,
      head,
    });
    return { ...preview, problemIt: problem?.it ?? null, problemEn: problem?.en ?? null };
  }

  @Query(() => [ImportHeaderMappingType], {
    description:
      'The Comune’s own mapping of headers to columns for a kind of file, by header (used by every import of the Comune). Staff of the Comune and platform admins only: FORBIDDEN otherwise, UNAUTHENTICATED when anonymous.',
  })
  importHeaderMapping(
    @Arg('comuneId', () => ID, { description: 'The Comune (identity Organisation id).' })
    comuneId: string,
    @Arg('kind', () => ImportKind, { description: 'The kind of file.' }) kind: ImportKindValue,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HeaderMappingEntry[]> {
    return this.services.imports.headerMapping(ctx.em, ctx.caller, comuneId, kind);
  }

  @Mutation(() => [ImportHeaderMappingType], {
    description:
      'Replaces the Comune’s mapping of headers to columns for a kind of file and returns it. BAD_USER_INPUT (nothing written): an empty or too long header or one given twice (`entries.<i>.header`), a column the kind of file does not have (`entries.<i>.column`), more than 50 entries (`entries`). Staff of the Comune and platform admins only.',
  })
  saveImportHeaderMapping(
    @Arg('input', () => SaveImportHeaderMappingInput) input: SaveImportHeaderMappingInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<HeaderMappingEntry[]> {
    return this.services.imports.saveHeaderMapping(ctx.em, ctx.caller, input);
  }

  @FieldResolver(() => OrganisationRef, { description: 'The Comune the import is for.' })
  comune(@Root() job: ImportJob): OrganisationRef {
    return { id: job.comuneId };
  }

  @FieldResolver(() => PersonRef, {
    nullable: true,
    description: 'Who uploaded the file (null for the platform’s own loads).',
  })
  createdBy(@Root() job: ImportJob): PersonRef | null {
    return job.createdBy ? { id: job.createdBy } : null;
  }

  @FieldResolver(() => [ImportRejectionType], {
    description: 'Rejected rows and file problems by line: the first 200.',
  })
  rejections(@Root() job: ImportJob, @Ctx() ctx: SubgraphContext): Promise<ImportRejection[]> {
    return this.services.imports.rejections(ctx.em, job);
  }
}
