import { parseArgs } from 'node:util';
import { StackConfigError } from '../config.ts';
import { ProcessModeError } from './checks.ts';
import { MAX_FLEET } from '../plan/fleet.ts';
import { startPlatform, type RunningPlatform } from './platform.ts';
import type { SupervisorEvent } from './supervisor.ts';

// `npm start [-- --stack NAME] [--port-offset N] [--run-dir DIR]`: the whole platform as
// local processes, in the foreground until Ctrl-C or SIGTERM.

const USAGE = `usage: npm start -- [--stack NAME] [--port-offset N] [--run-dir DIR] [--fleet N]

  --stack NAME       stack file Pulumi.NAME.yaml to run (default: local)
  --port-offset N    add N to every port, to run a second platform beside the first (default: 0)
  --fleet N          add N simulated data planes (a test double for scale: customers cust-001...,
                     prod/dev/qa in turn), served by one simulator process (default: 0, at most ${MAX_FLEET})
  --run-dir DIR      where configs, data and logs go (default: .run); files land in DIR/NAME/
  --help             this text`;

function fail(message: string, code = 2): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      stack: { type: 'string', default: 'local' },
      'port-offset': { type: 'string', default: '0' },
      fleet: { type: 'string', default: '0' },
      'run-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  fail(`${(err as Error).message}\n\n${USAGE}`);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const portOffset = Number(values['port-offset']);
if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 50_000) {
  fail(`--port-offset must be a whole number from 0 to 50000, got ${values['port-offset']}`);
}

const fleet = Number(values.fleet);
if (!Number.isInteger(fleet) || fleet < 0 || fleet > MAX_FLEET) {
  fail(`--fleet must be a whole number from 0 to ${MAX_FLEET}, got ${values.fleet}`);
}

const time = () => new Date().toISOString().slice(11, 19);
function onEvent(event: SupervisorEvent): void {
  if (event.type === 'exited') {
    process.stderr.write(
      `${time()}  ${event.name} exited (${event.signal ?? `code ${event.code}`}); restarting in ${(event.restartInMs / 1000).toFixed(1)} s\n`,
    );
  } else if (event.type === 'started' && platform) {
    process.stderr.write(`${time()}  ${event.name} restarted (pid ${event.pid})\n`);
  }
}

let platform: RunningPlatform | undefined;
const started = Date.now();
process.stderr.write(`starting stack ${values.stack} as local processes...\n`);
try {
  platform = await startPlatform({
    stack: values.stack,
    portOffset,
    fleet,
    ...(values['run-dir'] ? { runDir: values['run-dir'] } : {}),
    onEvent,
  });
} catch (err) {
  if (err instanceof ProcessModeError || err instanceof StackConfigError) fail(err.message, 1);
  throw err;
}

const o = platform.outputs;
const ctl = platform.topology.controlPlane!;
const rows: Array<[string, string]> = [
  ['dashboard', o.dashboardUrl ?? '(not built: npm run build -w @outpost/dashboard)'],
  ['query (Thanos)', ctl.thanos ? o.queryUrl! : '(Thanos off: queries go to Prometheus)'],
  ...ctl.prometheus.map((r): [string, string] => [
    r.name.replace(`${o.stack}-`, ''),
    r.prometheus.url,
  ]),
  ['alertmanager', o.alertmanagerUrl ?? ''],
  ['alert receiver', `${ctl.webhook.url}/alerts`],
  ...o.dataPlanes
    .filter((dp) => !dp.simulated)
    .flatMap((dp): Array<[string, string]> => [
      [`${dp.name} api`, dp.apiUrl],
      [
        `${dp.name} collector`,
        dp.metricsUrl ??
          `push to gateway :${platform.topology.dataPlanes.find((d) => d.id === dp.id)?.pushPort}`,
      ],
    ]),
];
const simulated = o.dataPlanes.filter((dp) => dp.simulated).length;
if (simulated > 0)
  rows.push([
    'simulated planes',
    `${simulated} (fleet simulator ${ctl.fleet.url}/planes/<id>/metrics)`,
  ]);
const width = Math.max(...rows.map(([k]) => k.length));
process.stdout.write(
  `\nstack ${o.stack} is up in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n` +
    rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n') +
    `\n\n  outputs  ${platform.runDir}/outputs.json\n  logs     ${platform.runDir}/logs/\n\n` +
    `Send traffic: npm run loadgen -- --stack ${o.stack}\nStop: Ctrl-C\n`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`\n${time()}  ${signal}: stopping every part...\n`);
  await platform!.stop();
  process.stderr.write(`${time()}  stopped\n`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
