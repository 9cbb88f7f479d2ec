import { randomUUID } from 'node:crypto';

/**
 * Resolves a binding expression: `%Setting%` from app settings, `{name}` from trigger metadata
 * (route params, blob path parts, query), `{rand-guid}` and `{DateTime}`. Unknown names are an error
 * naming the expression, as the host reports them.
 */
export function resolveBindingExpression(
  template: string,
  settings: Record<string, string | undefined>,
  metadata: Record<string, unknown> = {},
): string {
  const withSettings = resolveSettings(template, settings);
  const lower = new Map(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]));
  return withSettings.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    if (name === 'rand-guid') return randomUUID();
    if (name === 'DateTime') return new Date().toISOString();
    const value = lower.get(name.toLowerCase());
    if (value === undefined || value === null) throw new Error(`Binding expression '${template}': no value for '{${name}}'.`);
    return String(value);
  });
}

/** Resolves only `%Setting%` references (trigger paths keep their `{name}` patterns). */
export function resolveSettings(template: string, settings: Record<string, string | undefined>): string {
  return template.replace(/%([^%]+)%/g, (_, name: string) => {
    const value = settings[name];
    if (value === undefined) throw new Error(`Binding expression '${template}': app setting '${name}' is not set.`);
    return value;
  });
}

/** Matches a blob trigger path pattern (`landing/{dataset}/{name}`) against a `container/blob` path. */
export function matchBlobPath(pattern: string, blobPath: string): Record<string, string> | undefined {
  const names: string[] = [];
  const regex = pattern
    .split(/(\{[^{}]+\})/)
    .map((part) => {
      const m = /^\{([^{}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '(.+?)';
    })
    .join('');
  const match = new RegExp(`^${regex}$`).exec(blobPath);
  if (!match) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, match[i + 1]]));
}
