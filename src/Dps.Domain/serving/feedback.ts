import type { Task } from '../ml/feature-pipeline';
import { isJsonObject } from '../json-object';
import { Result, err, ok } from '../result';
import { MAX_ENTITY_LENGTH, MAX_ROWS_PER_REQUEST } from './scoring-limits';

/** Most labels one feedback body may carry. */
export const MAX_FEEDBACK_LABELS = MAX_ROWS_PER_REQUEST;

/** A delayed ground-truth label for one scored row, or for an entity's latest prediction. */
export type FeedbackLabel =
  | { kind: 'row'; requestId: string; row: number; label: string | number | boolean }
  | { kind: 'entity'; entity: string; label: string | number | boolean };

/** Why a feedback body was refused: the field (`labels[3].row`) and the rule. */
export interface FeedbackError {
  field: string;
  message: string;
}

/** A prediction as stored for joining (from its telemetry event). */
export interface StoredPrediction {
  requestId: string;
  row: number;
  entity?: string;
  version: number;
  alias: string;
  /** The probability (binary), class index (multiclass, in the champion's classes) or value (regression) the version produced. */
  score: number;
  at: string;
  shadow?: boolean;
}

/** A prediction with its ground truth: what the online metric of a version is computed from. */
export interface LabelledOutcome {
  version: number;
  alias: string;
  requestId: string;
  row: number;
  score: number;
  /** 1/0 for binary (positive class or not), the class index for multiclass, the value for regression. */
  label: number;
  shadow?: boolean;
}

/** A label that found no prediction, or one its model cannot read. */
export interface UnmatchedLabel {
  index: number;
  reason: string;
}

const fail = (field: string, message: string): Result<never, FeedbackError> => err({ field, message });

/** Reads `{"labels":[{"requestId","row","label"}]}` or `{"labels":[{"entity","label"}]}` (kinds may be mixed). */
export function parseFeedback(body: unknown): Result<FeedbackLabel[], FeedbackError> {
  if (!isJsonObject(body)) return fail('body', 'must be a JSON object {"labels":[...]}');
  const extra = Object.keys(body).find((k) => k !== 'labels');
  if (extra !== undefined) return fail(extra, 'is not a field of a feedback body; send {"labels":[...]}');
  const labels = body.labels;
  if (!Array.isArray(labels)) return fail('labels', 'must be an array');
  if (labels.length === 0) return fail('labels', 'is empty; send at least one label');
  if (labels.length > MAX_FEEDBACK_LABELS) return fail('labels', `holds ${labels.length} labels, more than the limit of ${MAX_FEEDBACK_LABELS}`);
  const out: FeedbackLabel[] = [];
  for (let i = 0; i < labels.length; i++) {
    const item = labels[i];
    const at = `labels[${i}]`;
    if (!isJsonObject(item)) return fail(at, 'must be an object {"requestId","row","label"} or {"entity","label"}');
    const unknown = Object.keys(item).find((k) => !['requestId', 'row', 'entity', 'label'].includes(k));
    if (unknown !== undefined) return fail(`${at}.${unknown}`, 'is not a field of a label');
    const label = item.label;
    if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') return fail(`${at}.label`, 'is required: the true value (text, number or boolean)');
    if (typeof label === 'number' && !Number.isFinite(label)) return fail(`${at}.label`, 'must be a finite number');
    if (item.entity !== undefined) {
      if (item.requestId !== undefined || item.row !== undefined) return fail(at, 'names an entity and a request row; send one of them');
      if (typeof item.entity !== 'string' || item.entity === '' || item.entity.length > MAX_ENTITY_LENGTH) return fail(`${at}.entity`, `must be text of 1 to ${MAX_ENTITY_LENGTH} characters`);
      out.push({ kind: 'entity', entity: item.entity, label });
      continue;
    }
    if (typeof item.requestId !== 'string' || item.requestId === '') return fail(`${at}.requestId`, 'is required (the requestId of the predict answer), or send "entity"');
    if (!Number.isInteger(item.row) || (item.row as number) < 0) return fail(`${at}.row`, "must be the row's 0-based index in its request");
    out.push({ kind: 'row', requestId: item.requestId, row: item.row as number, label });
  }
  return ok(out);
}

/** How labels are read: the positive class (binary) or the class list whose indexes scores use (multiclass). */
export interface LabelClasses {
  positiveClass?: string;
  classes?: readonly string[];
}

/** The label as the metric reads it: 1/0 for binary against the positive class, the class index for multiclass, the number for regression. */
export function outcomeLabel(task: Task, label: string | number | boolean, classes: LabelClasses = {}): Result<number> {
  if (task === 'binary') return ok(String(label) === classes.positiveClass ? 1 : 0);
  if (task === 'multiclass') {
    const index = (classes.classes ?? []).indexOf(String(label));
    return index >= 0 ? ok(index) : err(`label ${JSON.stringify(label)} is not one of the model's classes (${(classes.classes ?? []).join(', ')})`);
  }
  const n = typeof label === 'number' ? label : Number(label);
  return typeof label !== 'boolean' && Number.isFinite(n) ? ok(n) : err(`label ${JSON.stringify(label)} is not a number`);
}

/**
 * Joins labels to stored predictions: by request id and row, or by entity to that entity's latest
 * predictions (one per version, so a mirrored challenger score is labelled with its champion's row).
 */
export function joinFeedback(labels: FeedbackLabel[], predictions: StoredPrediction[], task: Task, classes: LabelClasses = {}): { outcomes: LabelledOutcome[]; unmatched: UnmatchedLabel[] } {
  const byRow = new Map<string, StoredPrediction[]>();
  const latestByEntity = new Map<string, StoredPrediction>();
  for (const p of predictions) {
    const key = `${p.requestId}\u0000${p.row}`;
    byRow.set(key, [...(byRow.get(key) ?? []), p]);
    const latest = p.entity !== undefined ? latestByEntity.get(p.entity) : undefined;
    if (p.entity !== undefined && !p.shadow && (!latest || p.at > latest.at)) latestByEntity.set(p.entity, p);
  }
  const outcomes: LabelledOutcome[] = [];
  const unmatched: UnmatchedLabel[] = [];
  labels.forEach((l, index) => {
    const label = outcomeLabel(task, l.label, classes);
    if (!label.ok) {
      unmatched.push({ index, reason: label.error });
      return;
    }
    let matched: StoredPrediction[] | undefined;
    if (l.kind === 'row') matched = byRow.get(`${l.requestId}\u0000${l.row}`);
    else {
      const latest = latestByEntity.get(l.entity);
      matched = latest && byRow.get(`${latest.requestId}\u0000${latest.row}`);
    }
    if (!matched || matched.length === 0) {
      unmatched.push({ index, reason: l.kind === 'row' ? `no prediction for request ${l.requestId} row ${l.row}` : `no prediction for entity ${l.entity}` });
      return;
    }
    for (const p of matched) {
      const outcome: LabelledOutcome = { version: p.version, alias: p.alias, requestId: p.requestId, row: p.row, score: p.score, label: label.value };
      if (p.shadow) outcome.shadow = true;
      outcomes.push(outcome);
    }
  });
  return { outcomes, unmatched };
}
