import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

// Preloaded into a bench server (`node --import ./profiler.ts main.ts`): the first SIGUSR2 starts
// the V8 CPU profiler, the second stops it and writes the profile to BENCH_PROFILE_OUT. Unlike
// `node --cpu-prof`, the profile covers the measured load only, not startup and module loading.

const out = process.env.BENCH_PROFILE_OUT;
const intervalUs = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 100);
if (out) {
  // Connected on the first signal only: an idle preload changes nothing in the measured rounds.
  let session: Session | null = null;
  let running = false;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!session) {
        session = new Session();
        session.connect();
      }
      if (!running) {
        running = true;
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
        await session.post('Profiler.start');
        return;
      }
      running = false;
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(out, JSON.stringify(profile));
      process.stderr.write(`profile written to ${out}\n`);
    })();
  });
}
