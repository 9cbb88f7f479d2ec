/** The parts of an Azure SDK RestError (or a Node system error) that say what failed. */
interface ErrorFields {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  stack?: unknown;
  request?: { method?: unknown; url?: unknown };
}

/** A request URL without its query (a SAS token or other secret must not reach the log). */
function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

/**
 * One `key=value` line naming what failed: the error's name, code and HTTP status, the storage request
 * it came from (method and URL without the query) and its first message line.
 */
export function describeRejection(reason: unknown): string {
  if (typeof reason !== 'object' || reason === null) return `error=${JSON.stringify(String(reason))}`;
  const e = reason as ErrorFields;
  const parts: string[] = [];
  if (typeof e.name === 'string') parts.push(`name=${e.name}`);
  if (typeof e.code === 'string' || typeof e.code === 'number') parts.push(`code=${e.code}`);
  if (typeof e.statusCode === 'number') parts.push(`status=${e.statusCode}`);
  const { method, url } = e.request ?? {};
  if (typeof url === 'string') parts.push(`request=${JSON.stringify(`${typeof method === 'string' ? method + ' ' : ''}${withoutQuery(url)}`)}`);
  const message = typeof e.message === 'string' ? e.message.split('\n')[0] : String(reason);
  parts.push(`error=${JSON.stringify(message || '(no message)')}`);
  return parts.join(' ');
}

/** What the guard reports: each line as it is logged, and the lines so far. */
export interface RejectionGuard {
  readonly lines: readonly string[];
  /** Stops listening (the host's stop). */
  uninstall(): void;
}

/**
 * The host's last resort for a promise rejection nothing handled: instead of Node ending the process (its
 * default since Node 15), it is logged as one error line, with the stack only when `debug`, and the host
 * keeps serving. Whatever was waiting on the lost promise fails or times out on its own path; the cause is
 * a bug to fix where the promise was dropped.
 */
export function guardUnhandledRejections(report: (line: string) => void, debug: boolean): RejectionGuard {
  const lines: string[] = [];
  const listener = (reason: unknown): void => {
    const line = `error: unhandled rejection, the host keeps running: ${describeRejection(reason)}`;
    lines.push(line);
    const stack = (reason as ErrorFields | null)?.stack;
    report(debug && typeof stack === 'string' ? `${line}\n${stack}` : line);
  };
  process.on('unhandledRejection', listener);
  return {
    lines,
    uninstall: () => {
      process.off('unhandledRejection', listener);
    },
  };
}
