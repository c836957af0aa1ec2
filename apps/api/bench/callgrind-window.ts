import { execFileSync } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';

// Preloaded into an API run under `valgrind --tool=callgrind --instr-atstart=no` by
// bench/instructions.ts (`--http`): after BENCH_WARMUP responses it switches callgrind's
// instrumentation on, after BENCH_REQUESTS more off, so the count covers those requests only.

const warmup = Number(process.env.BENCH_WARMUP);
const requests = Number(process.env.BENCH_REQUESTS);
let finished = 0;
const callgrind = (state: 'on' | 'off') =>
  execFileSync('callgrind_control', ['-i', state, String(process.pid)], { stdio: 'ignore' });

subscribe('http.server.response.finish', () => {
  finished += 1;
  if (finished === warmup) callgrind('on');
  else if (finished === warmup + requests) callgrind('off');
});
