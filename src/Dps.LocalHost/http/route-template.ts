/** A compiled ASP.NET-style route template: `datasets/{dataset}/ingest`, `{id:int?}`, `{*rest}`. */
export interface RouteMatcher {
  template: string;
  match(path: string): Record<string, string> | undefined;
}

const CONSTRAINTS: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  alpha: /^[a-z]+$/i,
  double: /^-?\d+(\.\d+)?$/,
};

/** Decodes one percent-encoded path segment; malformed encoding is a 400 naming the segment. */
export function decodePathSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw Object.assign(new Error(`The URL path segment '${raw}' has malformed percent-encoding.`), { status: 400 });
  }
}

/** Compiles a route template into a matcher; parameter names keep their case. */
export function compileRoute(template: string): RouteMatcher {
  const segments = template.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s.length > 0);
  const names: { name: string; constraint?: RegExp }[] = [];
  let pattern = '^';
  for (const segment of segments) {
    const param = /^\{(\*)?([A-Za-z_][\w]*)(?::([a-z]+))?(\?)?\}$/.exec(segment);
    if (!param) {
      pattern += '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const [, catchAll, name, constraint, optional] = param;
    names.push({ name, constraint: constraint ? CONSTRAINTS[constraint] : undefined });
    if (catchAll) pattern += '(?:/(.*))?';
    else if (optional) pattern += '(?:/([^/]+))?';
    else pattern += '/([^/]+)';
  }
  const regex = new RegExp(pattern + '/?$', 'i');
  return {
    template,
    match(path: string) {
      const m = regex.exec(path === '' ? '/' : path.startsWith('/') ? path : '/' + path);
      if (!m) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) {
        const raw = m[i + 1];
        if (raw === undefined) continue;
        const value = decodePathSegment(raw);
        if (names[i].constraint && !names[i].constraint!.test(value)) return undefined;
        params[names[i].name] = value;
      }
      return params;
    },
  };
}
