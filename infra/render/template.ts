import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

/** config/ at the repository root, where the rule templates live. */
export const CONFIG_DIR = fileURLToPath(new URL('../../config/', import.meta.url));

/**
 * Loads a YAML template from config/ and fills `{{name}}` placeholders inside its string
 * values (never in the YAML text itself: the document is parsed first, so values cannot break
 * its structure). Prometheus's own `{{ $labels.x }}` templates have spaces and are left alone.
 * An unknown placeholder is an error, so a typo cannot ship.
 */
export function loadTemplate(
  relativePath: string,
  values: Record<string, string | number>,
): unknown {
  const doc = parse(readFileSync(`${CONFIG_DIR}${relativePath}`, 'utf8')) as unknown;
  return fill(doc, values, relativePath);
}

function fill(node: unknown, values: Record<string, string | number>, source: string): unknown {
  if (typeof node === 'string') {
    return node.replace(/\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g, (_, key: string) => {
      if (!(key in values)) throw new Error(`${source}: unknown placeholder {{${key}}}`);
      return String(values[key]);
    });
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, values, source));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, values, source)]));
  }
  return node;
}

/** YAML text with a header saying where it came from (rendered files are never hand-edited). */
export function toYaml(doc: unknown, header: string): string {
  return `# ${header}\n# Rendered by infra/render; do not edit: change the stack config or the template.\n${stringify(doc, { lineWidth: 0 })}`;
}
