import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One measured round. */
export interface Round {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  errors: number;
}

export interface Target {
  name: string;
  url: string;
  body?: string;
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
}

/** The value at quantile `q` (0..1) of sorted `values`. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * One client, requests back to back on a kept-alive connection for `seconds`, each timed with
 * a microsecond clock (autocannon rounds latencies to whole milliseconds).
 */
export async function latencyRound(target: Target, seconds: number): Promise<Round> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(target.url);
  const headers = { 'content-type': 'application/json', ...(await target.headers?.()) };
  const samples: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const once = () =>
    new Promise<number>((resolveStatus, reject) => {
      const req = request(url, { method: target.body ? 'POST' : 'GET', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolveStatus(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(target.body);
    });
  while (performance.now() < end) {
    const t0 = performance.now();
    const status = await once().catch(() => 0);
    samples.push(performance.now() - t0);
    if (status < 200 || status >= 300) errors += 1;
  }
  agent.destroy();
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name: target.name,
    connections: 1,
    rps: samples.length / seconds,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p97_5: quantile(sorted, 0.975),
    p99: quantile(sorted, 0.99),
    errors,
  };
}

/** Loads one target for `seconds` with `connections` clients (bounded in time). */
export async function round(target: Target, connections: number, seconds: number): Promise<Round> {
  if (connections === 1) return latencyRound(target, seconds);
  const headers = { 'content-type': 'application/json', ...(await target.headers?.()) };
  const result = await autocannon({
    url: target.url,
    method: target.body ? 'POST' : 'GET',
    headers,
    body: target.body,
    connections,
    duration: seconds,
  });
  return {
    name: target.name,
    connections,
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs every target `rounds` times, interleaved, and returns the median of each figure. */
export async function interleaved(
  targets: Target[],
  options: { rounds: number; connections: number; seconds: number },
): Promise<Round[]> {
  const all = new Map<string, Round[]>();
  for (let i = 0; i < options.rounds; i += 1) {
    for (const target of targets) {
      const r = await round(target, options.connections, options.seconds);
      all.set(target.name, [...(all.get(target.name) ?? []), r]);
    }
  }
  return targets.map((target) => {
    const rs = all.get(target.name) ?? [];
    return {
      name: target.name,
      connections: options.connections,
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p90: median(rs.map((r) => r.p90)),
      p97_5: median(rs.map((r) => r.p97_5)),
      p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((sum, r) => sum + r.errors, 0),
    };
  });
}

export function printTable(title: string, rows: Round[], ceiling: string): void {
  const base = rows.find((r) => r.name === ceiling)?.rps ?? 0;
  console.log(`\n${title}`);
  console.log(
    'target'.padEnd(40) +
      'clients'.padStart(8) +
      'req/s'.padStart(10) +
      'p50 ms'.padStart(9) +
      'p90 ms'.padStart(9) +
      'p97.5 ms'.padStart(10) +
      'p99 ms'.padStart(9) +
      'errors'.padStart(8) +
      `  ratio to ${ceiling}`,
  );
  for (const r of rows) {
    console.log(
      r.name.padEnd(40) +
        String(r.connections).padStart(8) +
        r.rps.toFixed(0).padStart(10) +
        r.p50.toFixed(2).padStart(9) +
        r.p90.toFixed(2).padStart(9) +
        r.p97_5.toFixed(2).padStart(10) +
        r.p99.toFixed(2).padStart(9) +
        String(r.errors).padStart(8) +
        `  ${base ? (r.rps / base).toFixed(3) : '-'}`,
    );
  }
}

/** A bare node:http server answering a constant JSON body: the machine's HTTP ceiling. */
export async function startBareServer(): Promise<{ url: string; stop: () => void }> {
  const code = `
    const http = require('node:http');
    const body = JSON.stringify({ data: { ok: true } });
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolvePort) =>
    child.stdout?.once('data', (chunk: Buffer) => resolvePort(chunk.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGTERM') };
}

/** What `burst` measured: the run's seconds, each operation's milliseconds, errors by kind. */
export interface Burst {
  seconds: number;
  ms: number[];
  errors: Map<string, number>;
}

/** `total` operations by `clients` workers; worker `w` takes operations w, w + clients, … */
export async function burst(
  clients: number,
  total: number,
  op: (i: number, worker: number) => Promise<string | null>,
): Promise<Burst> {
  const ms: number[] = [];
  const errors = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = w; i < total; i += clients) {
        const t = performance.now();
        const error = await op(i, w).catch(
          (err: unknown) =>
            `THROWN ${/"code":"(\w+)"/.exec(String(err))?.[1] ?? String(err).slice(0, 80)}`,
        );
        ms.push(performance.now() - t);
        if (error) errors.set(error, (errors.get(error) ?? 0) + 1);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, ms, errors };
}

/** Operations per second of a burst. */
export const rate = (b: Burst) => b.ms.length / b.seconds;
/** Operations of a burst that failed. */
export const failures = (b: Burst) => [...b.errors.values()].reduce((s, n) => s + n, 0);

/** A burst as one printed line: rate, p50/p95/p99, errors by kind. */
export function line(name: string, b: Burst): string {
  const errors = failures(b);
  const sorted = [...b.ms].sort((x, y) => x - y);
  return (
    `  ${name.padEnd(44)} ${rate(b).toFixed(1).padStart(7)}/s   p50 ${quantile(sorted, 0.5).toFixed(0).padStart(6)}` +
    `  p95 ${quantile(sorted, 0.95).toFixed(0).padStart(6)}  p99 ${quantile(sorted, 0.99).toFixed(0).padStart(6)} ms` +
    `   ${b.ms.length} done, errors ${errors}${errors ? ` ${JSON.stringify(Object.fromEntries(b.errors))}` : ''}`
  );
}
