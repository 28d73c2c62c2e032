// A background job that runs in a subgraph's process: one pass, a pause, the next pass, until it
// is stopped. The message dispatcher and the top-up scheduler run on it; so will the payments'
// recovery job. Its passes must be safe to run in several processes at once (each locks its rows).

/** What a pass answers: how long to wait before the next one (0: go on at once). */
export type PassOutcome = { nextPassInMs: number };

/**
 * Runs `pass` again and again, in the background, until `stop`. A pass that throws is reported to
 * `onError` and the next one comes after `intervalMs`. `stop` wakes a pause at once and waits for
 * the pass under way to finish, so that nothing of it is cut half way when the process exits.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly pass: () => Promise<PassOutcome>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts the passes (the first at once); returns at once. Starting twice does nothing. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Stops the passes and waits for the one under way to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let pauseMs = this.intervalMs;
      try {
        pauseMs = (await this.pass()).nextPassInMs;
      } catch (err) {
        this.onError(err);
      }
      if (!this.stopping) await this.pause(pauseMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
