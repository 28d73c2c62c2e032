// Preload (`node --import`) for the benchmarks: profiles the process's CPU from start to exit and
// writes DIR/<pid>.cpuprofile (open it in Chrome DevTools), DIR from CPU_PROFILE_DIR. The
// in-process inspector instead of `--cpu-prof`, which NODE_OPTIONS does not accept.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-process session answers synchronously.
    session.post('Profiler.stop', (err, result) => {
      if (!err)
        writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
