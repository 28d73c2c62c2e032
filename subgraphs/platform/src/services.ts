import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isListeningReport } from '@welfare/kit/listening';

/** The interface every process of the platform listens on. */
export const HOST = '127.0.0.1';

/**
 * Preloaded (`node --import`) into a process handed its listening socket (`ServiceSpec.listen`):
 * socket activation wants LISTEN_PID to name the process itself, which only the process knows.
 */
const LISTEN_PID_PRELOAD = 'data:text/javascript,process.env.LISTEN_PID=String(process.pid)';

/** How long a restarted process waits for the port it had to be free again. */
const BUSY_RETRY_MS = 15_000;

/** One process of the platform, as the launcher runs it. */
export interface ServiceSpec {
  name: string;
  /** The compiled entry point, run with this Node. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** The port to listen on at the first start; 0 for any free one. */
  port: number;
  /**
   * How the process gets its port.
   * - `report` (the default): the port is in its environment (`portEnv`, `PORT` by default; 0
   *   means "pick one"); the process binds it and sends `{ listening: <port> }` over the IPC
   *   channel (`reportListening` of the kit).
   * - `socket`: the launcher binds the port and hands the listening socket over as file
   *   descriptor 3, as systemd socket activation does (`LISTEN_FDS=1`, `LISTEN_PID`; the kit's
   *   `listenOn`, SvelteKit's adapter-node). The launcher runs every process so: each URL is
   *   known before any process starts, and they all start side by side.
   */
  listen?: 'report' | 'socket';
  /** The variable naming the port, for `report`. Default `PORT`. */
  portEnv?: string;
  /** Polled on the bound port until it answers 2xx, e.g. `/healthz`. */
  readyPath: string;
}

/** The port was taken by another process. */
class PortBusy extends Error {}

/**
 * A running child process with its recent output (for error reports). It keeps the port it was
 * first bound to: a restarted process listens there again, since the processes started after it
 * know it by that URL (it waits up to 15 s for the port to be free again).
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly tail: string[] = [];
  private exited: Promise<number | null> = Promise.resolve(null);
  private bound: number | undefined;
  /** The current attempt printed EADDRINUSE. */
  private busy = false;
  /** A socket bound ahead of the start (`reserve`), for `socket` processes. */
  private reserved: Server | undefined;

  constructor(
    readonly spec: ServiceSpec,
    private readonly log: (service: string, line: string) => void,
  ) {}

  /** The port the process listens on, once started (or reserved); kept across restarts. */
  get port(): number {
    if (this.bound === undefined) throw new Error(`${this.spec.name} has no port yet`);
    return this.bound;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://${HOST}:${this.port}`;
  }

  /** The operating-system process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /**
   * Binds the port of a `socket` process now, before it starts, so that its URL is known to the
   * processes started before it; the socket is handed over at `start`. Meanwhile the launcher
   * holds it and drops any connection (none is expected: nothing knows the URL yet).
   */
  async reserve(): Promise<number> {
    if (this.spec.listen !== 'socket') throw new Error(`${this.spec.name} binds its own port`);
    if (!this.reserved) this.reserved = await this.bind(this.bound ?? this.spec.port);
    return this.port;
  }

  /** Starts the process and waits until it answers on its ready path (60 s at most). */
  async start(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const restarting = this.bound !== undefined;
    const busyUntil = Date.now() + BUSY_RETRY_MS;
    for (;;) {
      try {
        await this.startOnce(deadline);
        return;
      } catch (err) {
        // A restart keeps its port: another process may hold it for a moment (e.g. one that
        // picked it at random in between). A first start on a fixed port fails at once.
        if (!(err instanceof PortBusy) || !restarting || Date.now() > busyUntil) throw err;
        this.log(this.spec.name, `port ${this.bound} busy, retrying`);
        await sleep(250);
      }
    }
  }

  private async startOnce(deadline: number): Promise<void> {
    const child =
      this.spec.listen === 'socket' ? await this.spawnWithSocket() : this.spawnReporting();
    this.child = child;
    this.busy = false;
    this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        if (line.includes('EADDRINUSE')) this.busy = true;
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        this.log(this.spec.name, line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);

    try {
      if (this.spec.listen !== 'socket') this.bound = await this.reportedPort(child, deadline);
      await this.ready(deadline);
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Spawns a process that binds its own port and reports it over IPC. */
  private spawnReporting(): ChildProcess {
    return spawn(process.execPath, [this.spec.entry], {
      env: {
        ...this.spec.env,
        [this.spec.portEnv ?? 'PORT']: String(this.bound ?? this.spec.port),
        REPORT_LISTENING: 'ipc',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
  }

  /** Waits for the `{ listening }` message; PortBusy when it exited on EADDRINUSE. */
  private reportedPort(child: ChildProcess, deadline: number): Promise<number> {
    return new Promise((resolvePort, reject) => {
      const timer = setTimeout(
        () => finish(new Error(this.failure(`did not report its port in time`))),
        Math.max(0, deadline - Date.now()),
      );
      const onMessage = (message: unknown) => {
        if (isListeningReport(message)) finish(undefined, message.listening);
      };
      // 'close': the process has exited and its output has been read.
      const onExit = () => {
        finish(
          this.busy
            ? new PortBusy(this.failure(`could not bind port ${this.bound ?? this.spec.port}`))
            : new Error(this.failure('exited before it was ready')),
        );
      };
      const finish = (err: Error | undefined, port?: number) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('close', onExit);
        if (err) reject(err);
        else resolvePort(port!);
      };
      child.on('message', onMessage);
      child.once('close', onExit);
    });
  }

  /** Spawns a process on a socket bound here (the reserved one, or the port it had). */
  private async spawnWithSocket(): Promise<ChildProcess> {
    const socket = this.reserved ?? (await this.bind(this.bound ?? this.spec.port));
    this.reserved = undefined;
    const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) {
      socket.close();
      throw new Error(`${this.spec.name}: the listening socket has no file descriptor`);
    }
    try {
      return spawn(process.execPath, ['--import', LISTEN_PID_PRELOAD, this.spec.entry], {
        env: { ...this.spec.env, LISTEN_FDS: '1' },
        stdio: ['ignore', 'pipe', 'pipe', fd],
      });
    } finally {
      // The child has its own copy of the socket: from now on only it accepts connections.
      socket.close();
    }
  }

  /** Binds `port` (0: any) on the loopback interface; PortBusy when it is taken. */
  private async bind(port: number): Promise<Server> {
    const server = createServer((connection) => connection.destroy());
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new PortBusy(`${this.spec.name}: port ${port} is in use`)
            : err,
        ),
      );
      server.listen({ port, host: HOST }, () => resolveListen());
    });
    const address = server.address();
    this.bound = typeof address === 'object' && address ? address.port : port;
    return server;
  }

  /** Polls the ready path until it answers 2xx. */
  private async ready(deadline: number): Promise<void> {
    const url = `${this.url}${this.spec.readyPath}`;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(this.failure('exited before it was ready'));
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // not answering yet
      }
      await sleep(100);
    }
    throw new Error(this.failure('was not ready in time'));
  }

  private failure(what: string): string {
    return `${this.spec.name} ${what}:\n${this.tail.join('\n')}`;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    this.reserved?.close();
    this.reserved = undefined;
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once (crash tests). */
  async kill(): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
