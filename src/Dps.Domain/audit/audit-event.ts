import { Result, ok, err } from '../result';
import { isJsonObject } from '../json-object';
import { parseIsoInstant } from '../iso-time';
import { JsonValue, canonicalJson } from './canonical-json';

/** One decision, as the audit trail keeps it: who did what, when, where, with which outcome and why. */
export interface AuditEvent {
  /** Deterministic id chosen by the emitter, so a redelivered event can be recognised. */
  id: string;
  who: string;
  what: string;
  /** ISO timestamp in UTC (ending in Z). */
  when: string;
  where: { function: string; instanceId?: string };
  outcome: string;
  why: string;
  /** What the decision is about: a list of ids, or named ids such as { dataset, model }. */
  subjects: string[] | Record<string, string>;
  details?: JsonValue;
}

const FIELDS = ['id', 'who', 'what', 'when', 'where', 'outcome', 'why', 'subjects', 'details'];
const TEXT_FIELDS = ['id', 'who', 'what', 'outcome', 'why'] as const;

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function checkWhere(where: unknown): string | undefined {
  if (where === undefined) return 'event.where is missing';
  if (!isJsonObject(where)) return 'event.where must be an object { function, instanceId? }';
  const extra = Object.keys(where).find((k) => k !== 'function' && k !== 'instanceId');
  if (extra !== undefined) return `event.where.${extra} is not a field (fields: function, instanceId)`;
  if (!isText(where.function)) return 'event.where.function must be a non-empty string';
  if (where.instanceId !== undefined && !isText(where.instanceId)) return 'event.where.instanceId must be a non-empty string when present';
  return undefined;
}

function checkSubjects(subjects: unknown): string | undefined {
  if (subjects === undefined) return 'event.subjects is missing';
  const values = Array.isArray(subjects) ? subjects : isJsonObject(subjects) ? Object.values(subjects) : undefined;
  if (values === undefined) return 'event.subjects must be a list of ids or an object of named ids';
  if (values.length === 0) return 'event.subjects must name at least one subject';
  return values.every(isText) ? undefined : 'event.subjects must hold non-empty strings only';
}

/** Checks an audit event; the error names the first missing or invalid field and the rule. */
export function validateAuditEvent(value: unknown): Result<AuditEvent, string> {
  if (!isJsonObject(value)) return err('event must be an object');
  const extra = Object.keys(value).find((k) => !FIELDS.includes(k));
  if (extra !== undefined) return err(`event.${extra} is not an audit event field (fields: ${FIELDS.join(', ')})`);
  for (const field of TEXT_FIELDS) {
    if (value[field] === undefined) return err(`event.${field} is missing`);
    if (!isText(value[field])) return err(`event.${field} must be a non-empty string`);
  }
  const when = value.when;
  if (when === undefined) return err('event.when is missing');
  if (typeof when !== 'string' || !when.endsWith('Z') || !parseIsoInstant(when).ok) {
    return err(`event.when must be an ISO timestamp in UTC ending in Z, got ${JSON.stringify(when)}`);
  }
  const problem = checkWhere(value.where) ?? checkSubjects(value.subjects);
  if (problem) return err(problem);
  if (value.details !== undefined) {
    const details = canonicalJson(value.details);
    if (!details.ok) return err(`event.details must be plain JSON: ${details.error}`);
  }
  return ok(value as unknown as AuditEvent);
}
