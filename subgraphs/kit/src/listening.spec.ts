import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { activatedSocketFd } from './config.js';

describe('socket activation', () => {
  it('takes the handed-over socket only when LISTEN_PID names this very process', () => {
    const pid = String(process.pid);
    expect(activatedSocketFd({ LISTEN_FDS: '1', LISTEN_PID: pid })).toBe(3);
    expect(activatedSocketFd({ LISTEN_FDS: '1', LISTEN_PID: String(process.pid + 1) })).toBe(
      undefined,
    );
    expect(activatedSocketFd({ LISTEN_FDS: '2', LISTEN_PID: pid })).toBe(undefined);
    expect(activatedSocketFd({})).toBe(undefined);
  });

  it('a process handed a bound socket as descriptor 3 serves on it with listenOn', async () => {
    const placeholder: Server = createServer((c) => c.destroy());
    await new Promise<void>((resolve) => placeholder.listen(0, '127.0.0.1', resolve));
    const port = (placeholder.address() as { port: number }).port;
    const fd = (placeholder as unknown as { _handle: { fd: number } })._handle.fd;
    // The built module (npm test builds first): the child is plain Node.
    const listening = new URL('../dist/listening.js', import.meta.url).pathname;
    // The child listens with listenOn on a port that is not the socket's: the socket wins.
    const script = `
      import { createServer } from 'node:http';
      const { listenOn } = await import(${JSON.stringify(listening)});
      const server = createServer((_req, res) => res.end('from the child'));
      await listenOn(server, '127.0.0.1', 1);
      process.stdout.write('ready');
      process.on('SIGTERM', () => server.close(() => process.exit(0)));
    `;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'data:text/javascript,process.env.LISTEN_PID=String(process.pid)',
        '--input-type=module',
        '-e',
        script,
      ],
      { env: { ...process.env, LISTEN_FDS: '1' }, stdio: ['ignore', 'pipe', 'inherit', fd] },
    );
    placeholder.close();
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(await response.text()).toBe('from the child');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
