import { runDemo } from './timeline.ts';

// npm run demo:timeline [-- --compressed]: runs the demo of docs/demo-script.md against a fresh
// platform (stack local as shipped, real time: about 20 minutes) and prints when each alert
// fired, resolved and reached the receiver, counted from the fault injection: the figures the
// demo script quotes.

const compressed = process.argv.includes('--compressed');
const started = Date.now();
const log = (line: string) =>
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s  ${line}\n`);
const timeline = await runDemo({ compressed, log });
const fmt = (s: number | undefined) => (s === undefined ? '-' : `${Math.round(s)} s`);
process.stdout.write(
  `\ndemo timeline (${compressed ? 'compressed' : 'stack local as shipped'}), seconds from the fault injection\n\n` +
    `  firing before the incident: ${timeline.beforeIncident.join(', ') || 'nothing'}\n` +
    `  faults cleared at: ${fmt(timeline.cleared)}\n\n` +
    `  ${'alert'.padEnd(44)} ${'firing'.padStart(7)} ${'notified'.padStart(9)} ${'resolved'.padStart(9)} ${'notified'.padStart(9)}\n` +
    Object.entries(timeline.alerts)
      .map(
        ([key, a]) =>
          `  ${key.padEnd(44)} ${fmt(a.firing).padStart(7)} ${fmt(a.notified).padStart(9)} ${fmt(a.resolved).padStart(9)} ${fmt(a.notifiedResolved).padStart(9)}`,
      )
      .join('\n') +
    `\n\n  qa-load-test exit codes: healthy ${timeline.qaLoadTest.healthy}, with a fault ${timeline.qaLoadTest.faulted}\n` +
    `\n${JSON.stringify(timeline)}\n`,
);
