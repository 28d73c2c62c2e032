import { randomBytes } from 'node:crypto';
import { startTestPostgres } from '@welfare/kit/testing';
import { dropPlatformTemplate } from './platform-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's id: names what the run prepares once for all its files (the platform template). */
    runId: string;
  }
}

/** Vitest `globalSetup`: the run's PostgreSQL server and id; the template is dropped at the end. */
export default async function setup(project: {
  provide: (key: 'postgresServerUrl' | 'runId', value: string) => void;
}): Promise<() => Promise<void>> {
  const { url, teardown } = await startTestPostgres();
  const runId = randomBytes(5).toString('hex');
  project.provide('postgresServerUrl', url);
  project.provide('runId', runId);
  return async () => {
    await dropPlatformTemplate(url, runId);
    await teardown();
  };
}
