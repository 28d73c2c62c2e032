import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { createTokenSigner, generateGatewayKeys } from '@welfare/kit/auth';
import { httpRequest } from '@welfare/kit/client';
import { createTestDatabase } from '@welfare/kit/testing';
import { ServiceProcess } from '@welfare/platform';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GENERATOR = join(ROOT, 'subgraphs/kit/scaffold/new-subgraph.mjs');
const NAME = 'sample-thing';

/**
 * `npm run new:subgraph` in a temporary checkout: the repository's layout (its registry and
 * tsconfig, its node_modules linked), so the real subgraphs are left alone. The generated
 * subgraph must build, compose with the real ones, pass its own tests and serve.
 */
let root: string;
let dir: string;
let service: ServiceProcess | undefined;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'welfare-new-subgraph-'));
  dir = join(root, 'subgraphs', NAME);
  await mkdir(join(root, 'schema'), { recursive: true });
  await mkdir(join(root, 'subgraphs'), { recursive: true });
  await cp(join(ROOT, 'schema/subgraphs.json'), join(root, 'schema/subgraphs.json'));
  await cp(join(ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'));
  await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
});

afterAll(async () => {
  await service?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('npm run new:subgraph', () => {
  it('refuses a bad or reserved name and writes nothing', async () => {
    for (const bad of ['Payments', 'ies_circuit', '-x', 'kit']) {
      const result = run('node', [GENERATOR, bad, '--root', root, '--no-install'], ROOT);
      expect(result.status, result.output).not.toBe(0);
    }
    expect(JSON.parse(await readFile(join(root, 'schema/subgraphs.json'), 'utf8'))).toEqual(
      JSON.parse(await readFile(join(ROOT, 'schema/subgraphs.json'), 'utf8')),
    );
  });

  it('creates a subgraph that builds, composes with the others and registers its port', async () => {
    const generated = run('node', [GENERATOR, NAME, '--root', root, '--no-install'], ROOT);
    expect(generated.status, generated.output).toBe(0);
    const registry = JSON.parse(await readFile(join(root, 'schema/subgraphs.json'), 'utf8')) as {
      name: string;
      port: number;
    }[];
    const entry = registry.find((e) => e.name === NAME);
    expect(entry?.port).toBe(
      Math.max(...registry.filter((e) => e !== entry).map((e) => e.port)) + 1,
    );

    const again = run('node', [GENERATOR, NAME, '--root', root, '--no-install'], ROOT);
    expect(again.status).not.toBe(0);
    expect(again.output).toMatch(/already exists/);

    const typecheck = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], dir);
    expect(typecheck.status, typecheck.output).toBe(0);
    const build = run('npm', ['run', 'build', '--silent'], dir);
    expect(build.status, build.output).toBe(0);

    const services = await Promise.all(
      [
        ...registry.filter((e) => e.name !== NAME).map((e) => join(ROOT, 'subgraphs', e.name)),
        dir,
      ].map(async (path, i) => ({
        name: `s${i}`,
        url: `http://127.0.0.1:${4100 + i}/graphql`,
        typeDefs: parse(await readFile(join(path, 'schema.graphql'), 'utf8')),
      })),
    );
    const composed = composeServices(services);
    expect(composed.errors ?? []).toEqual([]);
    expect(composed.supergraphSdl).toMatch(/type SampleThingNotice/);
  });

  it('passes its own sample tests on the run’s PostgreSQL', () => {
    const tests = run('npx', ['vitest', 'run'], dir, {
      DATABASE_URL: inject('postgresServerUrl'),
    });
    expect(tests.status, tests.output).toBe(0);
    expect(tests.output).toMatch(/4 passed/);
  });

  it('starts, migrates, loads its demo data and answers the gateway only', async () => {
    const databaseUrl = await createTestDatabase(inject('postgresServerUrl'), 'sample_thing');
    const keys = await generateGatewayKeys();
    service = new ServiceProcess(
      {
        name: NAME,
        entry: join(dir, 'dist/index.js'),
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl,
          GATEWAY_PUBLIC_KEY: keys.publicKey,
          MIGRATE_ON_START: 'true',
          DEMO_DATA: 'true',
        },
        port: 0,
        readyPath: '/healthz',
      },
      () => undefined, // its last lines are in the error when it does not start
    );
    await service.start();
    const url = service.url;

    const { DEMO_COMUNE_ID } = (await import(join(dir, 'dist/demo/facts.js'))) as {
      DEMO_COMUNE_ID: string;
    };
    const body = JSON.stringify({
      query: `{ sampleThingNotices(organisationId: "${DEMO_COMUNE_ID}") { title } }`,
    });
    const post = (headers: Record<string, string>) =>
      httpRequest(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const refused = await post({});
    await refused.text();
    expect(refused.status).toBe(401);

    const sign = await createTokenSigner(keys.privateKey);
    const token = await sign(
      NAME,
      {
        kind: 'person',
        personId: randomUUID(),
        sessionId: randomUUID(),
        platformAdmin: false,
        memberships: [
          { organisationId: DEMO_COMUNE_ID, organisationKind: 'COMUNE', role: 'OPERATOR' },
        ],
      },
      randomUUID(),
    );
    const answer = await post({ authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { sampleThingNotices: [{ title: 'Benvenuti' }] } });
  });
});
