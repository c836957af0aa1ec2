import { writeFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { setStrictMocks, settle } from './mocks.ts';

// Runs the Pulumi program of one stack under strict mocks, in a process of its own (module
// state must not leak between stacks), and writes what it made: the stack outputs (secrets
// unwrapped) and every resource. Used by the mock tests to run prod, dev and prod again with
// each stack reading the other's real outputs, and by the engine comparison.
//   node infra/pulumi/run-mock.ts <stack> <out.json> [referenced.json] [config.json]

const [stack, out, referencedFile, configFile] = process.argv.slice(2);
if (!stack || !out) {
  process.stderr.write(
    'usage: node infra/pulumi/run-mock.ts <stack> <out.json> [referenced.json] [config.json]\n',
  );
  process.exit(2);
}
const read = async (file?: string) =>
  file
    ? (JSON.parse(
        await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8')),
      ) as Record<string, never>)
    : {};
const recorded = setStrictMocks(stack, await read(referencedFile), await read(configFile));
const program = (await import('../index.ts')) as Record<string, unknown>;
await settle();
const outputs: Record<string, unknown> = {};
const secret: Record<string, boolean> = {};
for (const [key, value] of Object.entries(program)) {
  const output: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<unknown>);
  outputs[key] = await new Promise((r) => output.apply(r));
  secret[key] = await (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}
await settle();
writeFileSync(out, JSON.stringify({ outputs, secret, resources: recorded }, null, 2));
