import type { InvocationContext } from '@azure/functions';

/** What a log line is about; every field is optional, absent ones are left out of the line. */
export interface LogSubject {
  /** The orchestration instance the work belongs to (a pipeline, a rollout). */
  instanceId?: string;
  dataset?: string;
  model?: string;
  version?: number;
}

/** A logger whose every line is one JSON object carrying the invocation and the subject. */
export interface StructuredLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** The same logger with more subject fields (e.g. the model once it is registered). */
  with(subject: LogSubject): StructuredLogger;
}

type Level = 'info' | 'warn' | 'error';

/**
 * A structured logger over the invocation's own log methods, so lines reach the host's log stream and
 * Application Insights `traces` correlated with the invocation (`parse_json(message)` in KQL reads
 * them): `{"level","message","invocationId","function","instanceId","dataset","model","version",...}`.
 */
export function structuredLog(context: Pick<InvocationContext, 'invocationId' | 'functionName' | 'log' | 'warn' | 'error'>, subject: LogSubject = {}): StructuredLogger {
  const line = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    const text = JSON.stringify({ level, message, invocationId: context.invocationId, function: context.functionName, ...subject, ...fields });
    if (level === 'error') context.error(text);
    else if (level === 'warn') context.warn(text);
    else context.log(text);
  };
  return {
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
    with: (more) => structuredLog(context, { ...subject, ...more }),
  };
}
