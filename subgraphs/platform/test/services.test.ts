import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceProcess, type ServiceSpec } from '../src/services.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const started: ServiceProcess[] = [];
const held: Server[] = [];
afterEach(async () => {
  for (const service of started.splice(0)) await service.stop();
  for (const server of held.splice(0)) server.close();
});

function service(spec: Partial<ServiceSpec> = {}): ServiceProcess {
  const process = new ServiceProcess(
    {
      name: 'stand-in',
      entry: fixture('reporting-server.mjs'),
      env: { PATH: globalThis.process.env.PATH },
      port: 0,
      readyPath: '/healthz',
      ...spec,
    },
    () => undefined,
  );
  started.push(process);
  return process;
}

/** Holds a port, as another process would. */
async function hold(port = 0): Promise<number> {
  const server = createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** The pid the process answers with: who is listening. */
async function answering(url: string): Promise<number> {
  return Number(await (await fetch(url)).text());
}

describe('a process that binds its own port', () => {
  it('picks one with PORT=0 and reports it', async () => {
    const stand = service();
    await stand.start();
    expect(stand.port).toBeGreaterThan(0);
    expect(await answering(`${stand.url}/healthz`)).toBe(stand.pid);
  });

  it('listens on the same port after a restart, and after a kill', async () => {
    const stand = service();
    await stand.start();
    const port = stand.port;
    await stand.stop();
    await stand.start();
    expect(stand.port).toBe(port);
    await stand.kill();
    await stand.start();
    expect(stand.port).toBe(port);
    expect(await answering(`${stand.url}/healthz`)).toBe(stand.pid);
  });

  it('waits for its port when another process holds it for a moment', async () => {
    const stand = service();
    await stand.start();
    const port = stand.port;
    await stand.stop();
    await hold(port);
    setTimeout(() => held.shift()?.close(), 1_000);
    await stand.start();
    expect(stand.port).toBe(port);
    expect(await answering(`${stand.url}/healthz`)).toBe(stand.pid);
  });

  it('fails at once, naming the port, when a fixed port is taken at the first start', async () => {
    const port = await hold();
    const startedAt = Date.now();
    await expect(service({ port }).start()).rejects.toThrow(`could not bind port ${port}`);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});

describe('a process handed its socket', () => {
  it('gets the port reserved before it starts, and keeps it on a restart', async () => {
    const stand = service({
      entry: fixture('socket-server.mjs'),
      listen: 'socket',
      readyPath: '/',
    });
    const port = await stand.reserve();
    await stand.start();
    expect(stand.port).toBe(port);
    expect(await answering(stand.url)).toBe(stand.pid);
    await stand.stop();
    await stand.start();
    expect(stand.port).toBe(port);
    expect(await answering(stand.url)).toBe(stand.pid);
  });

  it('refuses connections while the port is only reserved', async () => {
    const stand = service({
      entry: fixture('socket-server.mjs'),
      listen: 'socket',
      readyPath: '/',
    });
    await stand.reserve();
    await expect(fetch(stand.url)).rejects.toThrow();
    await stand.stop();
  });
});
