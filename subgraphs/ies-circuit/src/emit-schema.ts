import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitSubgraphSdl } from '@welfare/kit/schema';
import { buildIesCircuitSchema } from './schema.js';
import { createServices } from './services.js';

// Writes subgraphs/ies-circuit/schema.graphql (run from dist by `npm run build`): no database, no env.
const schema = await buildIesCircuitSchema(createServices());
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema.graphql');
await emitSubgraphSdl(schema, target);
