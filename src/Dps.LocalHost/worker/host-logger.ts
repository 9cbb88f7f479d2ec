/** One finished invocation, as the host reports it. */
export interface InvocationLogEntry {
  functionName: string;
  invocationId: string;
  instanceId?: string;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  trigger: string;
  error?: string;
}

/** Where the local host writes: one structured line per invocation, plus host and user messages. */
export interface HostLogger {
  invocation(entry: InvocationLogEntry): void;
  host(message: string): void;
  user(functionName: string, level: string, message: string): void;
}

/** Formats an invocation as one `key=value` line that reads well in a terminal and greps well. */
export function formatInvocation(entry: InvocationLogEntry, at: Date): string {
  const parts = [
    at.toISOString(),
    entry.outcome === 'succeeded' ? 'OK  ' : 'FAIL',
    `fn=${entry.functionName}`,
    `trigger=${entry.trigger}`,
    `id=${entry.invocationId.slice(0, 8)}`,
    `instance=${entry.instanceId ?? '-'}`,
    `ms=${entry.durationMs.toFixed(1)}`,
  ];
  if (entry.error) parts.push(`error=${JSON.stringify(entry.error.split('\n')[0])}`);
  return parts.join(' ');
}

/** A logger that writes to a stream; without `invocations` / `userLogs` only failures and errors are written. */
export function createStreamLogger(
  write: (line: string) => void,
  options: { invocations?: boolean; userLogs?: boolean } = {},
): HostLogger {
  const { invocations = true, userLogs = true } = options;
  return {
    invocation: (entry) => {
      if (invocations || entry.outcome === 'failed') write(formatInvocation(entry, new Date()) + '\n');
    },
    host: (message) => write(`[host] ${message}\n`),
    user: (functionName, level, message) => {
      if (userLogs || level === 'error' || level === 'critical') write(`  [${functionName}] ${level}: ${message}\n`);
    },
  };
}

/** A logger that keeps everything in memory; tests read it. */
export function createMemoryLogger(): HostLogger & { lines: string[]; entries: InvocationLogEntry[] } {
  const lines: string[] = [];
  const entries: InvocationLogEntry[] = [];
  return {
    lines,
    entries,
    invocation: (entry) => {
      entries.push(entry);
      lines.push(formatInvocation(entry, new Date()));
    },
    host: (message) => lines.push(`[host] ${message}`),
    user: (functionName, level, message) => lines.push(`[${functionName}] ${level}: ${message}`),
  };
}
