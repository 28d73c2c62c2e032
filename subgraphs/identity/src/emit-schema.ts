import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitSubgraphSdl } from '@welfare/kit/schema';
import { defaultIdentitySettings } from './config.js';
import { buildIdentitySchema } from './schema.js';
import { createServices } from './services.js';

// Writes subgraphs/identity/schema.graphql (run from dist by `npm run build`): no database, no env.
const services = createServices({
  piiKey: randomBytes(32),
  sessionTtlHours: 12,
  ...defaultIdentitySettings(),
});
const schema = await buildIdentitySchema(services);
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema.graphql');
await emitSubgraphSdl(schema, target);
