import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** One process of the platform, as the launcher runs it. */
export interface ServiceSpec {
  name: string;
  /** The compiled entry point, run with this Node. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Polled until it answers 2xx. */
  readyUrl: string;
}

/** A running child process with its recent output (for error reports). */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly tail: string[] = [];
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly spec: ServiceSpec,
    private readonly log: (service: string, line: string) => void,
  ) {}

  /** The operating-system process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  /** Starts the process and waits until its ready URL answers (60 s at most). */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, [this.spec.entry], {
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        this.log(this.spec.name, line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);

    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`${this.spec.name} exited before it was ready:\n${this.tail.join('\n')}`);
      }
      try {
        const response = await fetch(this.spec.readyUrl, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(
      `${this.spec.name} was not ready within ${timeoutMs} ms:\n${this.tail.join('\n')}`,
    );
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 10_000): Promise<void> {
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
