import { describe, expect, it } from 'vitest';
import { PollingLoop } from './polling.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PollingLoop', () => {
  it('runs passes until stopped, pausing as each pass says, and waits for the pass under way', async () => {
    const passes: number[] = [];
    let finished = 0;
    const loop = new PollingLoop(
      async () => {
        passes.push(Date.now());
        await sleep(20);
        finished += 1;
        // The first two passes ask to go on at once; later ones to wait a long time.
        return { nextPassInMs: passes.length < 3 ? 0 : 60_000 };
      },
      60_000,
      () => undefined,
    );
    loop.start();
    loop.start();
    await sleep(150);
    expect(passes).toHaveLength(3);
    const stopped = Date.now();
    await loop.stop();
    // The long pause was woken: stop returned at once, with every started pass finished.
    expect(Date.now() - stopped).toBeLessThan(1_000);
    expect(finished).toBe(passes.length);
  });

  it('reports a failed pass and runs the next one after the interval', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new PollingLoop(
      () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('database away'));
        return Promise.resolve({ nextPassInMs: 60_000 });
      },
      30,
      (err) => errors.push(err),
    );
    loop.start();
    await sleep(200);
    await loop.stop();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database away');
  });

  it('can be started again after a stop', async () => {
    let calls = 0;
    const loop = new PollingLoop(
      () => {
        calls += 1;
        return Promise.resolve({ nextPassInMs: 60_000 });
      },
      60_000,
      () => undefined,
    );
    loop.start();
    await sleep(20);
    await loop.stop();
    loop.start();
    await sleep(20);
    await loop.stop();
    expect(calls).toBe(2);
  });
});
