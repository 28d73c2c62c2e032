#!/usr/bin/env node
// `npm test`: build, then lint beside typecheck, the schema check and the unit tests of every
// workspace, then the whole platform's federation and browser tests alone, against one PostgreSQL
// server (embedded unless DATABASE_URL is set; each suite creates its own database), ending with
// how long each part took and one line: "tests: N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', APOLLO_TELEMETRY_DISABLED: '1' };
const started = Date.now();
/** Each part's time, printed at the end (the README's table comes from it). */
const timings = [];

function finish(title, t0, good) {
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  timings.push([title, seconds, good]);
  if (good) console.log(`== ${title}: ok (${seconds} s)`);
  else console.error(`== ${title}: FAILED after ${seconds} s`);
  return good;
}

function step(title, command, args, options = {}) {
  const t0 = Date.now();
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  return finish(title, t0, result.status === 0);
}

/**
 * The same as `step`, without blocking this process: the embedded PostgreSQL is this process's
 * child, and its log pipe is read by this process's event loop. Under `spawnSync` nobody read it
 * for minutes, the pipe filled, and every backend that logged (an error, a dropped client) hung
 * writing to it: transactions stuck with their locks, the crash test's keys unanswered.
 * `quiet`: the output is kept and printed when the step ends (a step running beside others).
 */
function stepAsync(title, command, args, { quiet = false, ...options } = {}) {
  const t0 = Date.now();
  console.log(
    `\n== ${title}${quiet ? ' (beside the next steps; its output comes when it ends)' : ''}`,
  );
  return new Promise((resolveStep) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env,
      ...options,
    });
    const kept = [];
    child.stdout?.on('data', (chunk) => kept.push(chunk));
    child.stderr?.on('data', (chunk) => kept.push(chunk));
    child.on('error', () => resolveStep(finish(title, t0, false)));
    child.on('close', (code) => {
      if (quiet) {
        console.log(`\n== ${title}: output`);
        process.stdout.write(Buffer.concat(kept));
      }
      resolveStep(finish(title, t0, code === 0));
    });
  });
}

const npx = 'npx';
if (!step('build', npx, ['turbo', 'run', 'build', '--output-logs=errors-only'])) process.exit(1);
// Lint is the longest check and runs on one core: beside typecheck and the unit tests, which wait
// on the database much of the time. The platform's tests wait for it, so that they run on a
// machine no busier than they need.
const lint = stepAsync('lint', 'npm', ['run', 'lint', '--silent'], { quiet: true });
const checked =
  (await stepAsync('typecheck', npx, ['turbo', 'run', 'typecheck', '--output-logs=errors-only'])) &&
  (await stepAsync('schema: the committed supergraph is the composition of the subgraphs', 'node', [
    'schema/compose.mjs',
    '--check',
  ]));
if (!checked) {
  await lint;
  process.exit(1);
}

// One PostgreSQL server for the whole run. The embedded one (no DATABASE_URL given) runs without
// the durability a throwaway server does not need (tests/support/test-server.ts): no commit, no
// database copy waits on the disk.
const { startTestPostgres } = await import(join(root, 'subgraphs/kit/dist/testing.js'));
const embedded = !env.DATABASE_URL;
const server = await startTestPostgres(env);
env.DATABASE_URL = server.url;
if (embedded) {
  const { relaxDurability } = await import(join(root, 'tests/dist/support/test-server.js'));
  await relaxDurability(server.url);
}

// Every workspace with a test script: the kit and the subgraphs first, the whole platform last.
const workspaces = [
  ...readdirSync(join(root, 'subgraphs')).map((name) => `subgraphs/${name}`),
  'gateway',
  'web',
  'tests',
].filter((dir) => {
  const manifest = join(root, dir, 'package.json');
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test;
});
const resultsDir = join(root, '.turbo/test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
// What failed, printed again at the very end: a CI log shows its tail, and stderr may be cut.
const problems = [];
let allOk = true;
try {
  for (const workspace of workspaces) {
    if (workspace === 'tests') allOk = (await lint) && allOk;
    const output = join(resultsDir, `${workspace.replace(/\//g, '-')}.json`);
    const good = await stepAsync(
      `tests: ${workspace}`,
      npx,
      ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${output}`],
      { cwd: join(root, workspace) },
    );
    allOk &&= good;
    try {
      const report = JSON.parse(readFileSync(output, 'utf8'));
      passed += report.numPassedTests;
      // A file that failed without a failed test (a hook, a worker that died) and a test that did
      // not run (skipped, todo) are failures too: vitest has exited 0 on such a file.
      const broken = report.testResults.filter(
        (file) =>
          file.status !== 'passed' || file.assertionResults.some((t) => t.status !== 'passed'),
      );
      for (const file of broken) {
        const notRun = file.assertionResults.filter(
          (t) => !['passed', 'failed'].includes(t.status),
        );
        const line =
          `${workspace}: ${file.name} ${file.status}` +
          (notRun.length ? `, ${notRun.length} test(s) not run` : '') +
          (file.message ? `: ${file.message}` : '');
        console.error(`== ${line}`);
        problems.push(line);
        for (const test of file.assertionResults.filter((t) => t.status !== 'passed')) {
          problems.push(`  ${test.status}: ${test.fullName}`);
        }
      }
      const notRun = report.numPendingTests + report.numTodoTests;
      const fileFailures = broken.length > 0 && report.numFailedTests === 0 ? 1 : 0;
      failed += report.numFailedTests + notRun + fileFailures;
      if (!good && report.numFailedTests + notRun + fileFailures === 0) {
        failed += 1;
        problems.push(`${workspace}: vitest failed without naming a failed test (see its output)`);
      }
    } catch (error) {
      failed += 1; // the runner died before writing its report
      problems.push(`${workspace}: no report (${error instanceof Error ? error.message : error})`);
    }
  }
} finally {
  await server.teardown();
}
allOk = (await lint) && allOk; // when no workspace is called tests

console.log('\nparts (seconds):');
for (const [title, seconds, good] of timings) {
  console.log(`  ${seconds.padStart(7)}  ${title}${good ? '' : ' (FAILED)'}`);
}

if (problems.length) console.log(`\nwhat failed:\n${problems.join('\n')}`);

console.log(`\nnpm test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(allOk && failed === 0 ? 0 : 1);
