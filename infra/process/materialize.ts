import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT_PATTERN } from '../plan/paths.ts';
import type { Container, EnvValue, Plan, Workload } from '../plan/types.ts';
import { commandOf } from './binaries.ts';
import type { CredentialValues } from './credentials.ts';
import type { ChildSpec } from './supervisor.ts';

/** A process to start, and the URL that says it is ready (its readiness probe). */
export interface ProcessSpec extends Omit<ChildSpec, 'logFile'> {
  workload: string;
  readyUrl: string | null;
}

/**
 * Lays every workload of a process-mode plan out under `runDir`: `<runDir>/<workload>/` stands
 * for the container's ROOT (/outpost), so its config files, secrets (owner-only) and data land
 * where its args point; shared volumes are one folder linked into each workload. Returns the
 * processes to start, with exactly the plan's args and env (ROOT mapped, secrets filled in).
 */
export function materialize(plan: Plan, runDir: string, secrets: CredentialValues): ProcessSpec[] {
  if (plan.platform !== 'process')
    throw new Error(`a ${plan.platform} plan is not run as processes`);
  return plan.workloads.flatMap((w) => {
    if (w.replicas !== 1) throw new Error(`${w.name}: process mode runs one replica per workload`);
    const root = join(runDir, w.name);
    mkdirSync(root, { recursive: true }); // its working directory, even with nothing in it
    const local = (text: string) => text.replace(ROOT_PATTERN, root);
    for (const v of w.volumes) {
      const mount = w.containers.flatMap((c) => c.mounts).find((m) => m.volume === v.name);
      if (!mount) continue;
      const path = local(mount.path);
      if (v.kind === 'shared') {
        const shared = join(runDir, 'volumes', v.name);
        mkdirSync(shared, { recursive: true });
        mkdirSync(dirname(path), { recursive: true });
        if (!existsSync(path)) symlinkSync(shared, path);
      } else {
        mkdirSync(path, { recursive: true });
      }
    }
    return w.containers.map((c) => {
      writeFiles(c, local, secrets);
      const { command, args } = commandOf(c.program);
      const probe = c.readiness;
      return {
        workload: w.name,
        name: w.containers.length > 1 ? `${w.name}-${c.name}` : w.name,
        command,
        args: [...args, ...c.args.map(local)],
        env: Object.fromEntries(
          Object.entries(c.env).map(([k, v]) => [k, envValue(v, w, secrets, local)]),
        ),
        cwd: root,
        readyUrl: probe
          ? `${(probe.scheme ?? 'HTTP').toLowerCase()}://127.0.0.1:${probe.port}${probe.path}`
          : null,
      };
    });
  });
}

function writeFiles(
  c: Container,
  local: (text: string) => string,
  secrets: CredentialValues,
): void {
  for (const f of c.files) {
    const path = local(f.path);
    mkdirSync(dirname(path), { recursive: true });
    if ('content' in f) {
      writeFileSync(path, local(f.content));
    } else {
      writeFileSync(path, secretValue(secrets, f.secret.credential, f.secret.key), { mode: 0o600 });
      chmodSync(path, 0o600);
    }
  }
}

function envValue(
  v: EnvValue,
  w: Workload,
  secrets: CredentialValues,
  local: (t: string) => string,
): string {
  if (typeof v === 'string') return local(v);
  if ('secret' in v) return secretValue(secrets, v.secret.credential, v.secret.key);
  return v.pod === 'name' ? w.name : '127.0.0.1';
}

function secretValue(secrets: CredentialValues, id: string, key: 'value' | 'crt' | 'key'): string {
  const value = secrets.get(id)?.[key];
  if (value === undefined)
    throw new Error(`credential ${id} has no ${key}: the plan references what it does not declare`);
  return value;
}
