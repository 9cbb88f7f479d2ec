import { describe, expect, it } from 'vitest';
import { StoredPrediction, joinFeedback, outcomeLabel, parseFeedback } from '../../../src/Dps.Domain/serving/feedback';

describe('parseFeedback', () => {
  it('reads labels by request row and by entity', () => {
    expect(parseFeedback({ labels: [{ requestId: 'r-1', row: 0, label: 'yes' }, { entity: 'c-7', label: 3.5 }] })).toEqual({
      ok: true,
      value: [
        { kind: 'row', requestId: 'r-1', row: 0, label: 'yes' },
        { kind: 'entity', entity: 'c-7', label: 3.5 },
      ],
    });
  });

  it('names the field that breaks a rule', () => {
    const cases: Array<[unknown, string]> = [
      [[], 'body'],
      [{ labels: [], extra: 1 }, 'extra'],
      [{ labels: {} }, 'labels'],
      [{ labels: [] }, 'labels'],
      [{ labels: [{ requestId: 'r', row: 0, label: 1 }, 5] }, 'labels[1]'],
      [{ labels: [{ requestId: 'r', row: 0 }] }, 'labels[0].label'],
      [{ labels: [{ requestId: 'r', row: -1, label: 1 }] }, 'labels[0].row'],
      [{ labels: [{ requestId: 'r', row: 1.5, label: 1 }] }, 'labels[0].row'],
      [{ labels: [{ row: 1, label: 1 }] }, 'labels[0].requestId'],
      [{ labels: [{ entity: '', label: 1 }] }, 'labels[0].entity'],
      [{ labels: [{ entity: 'a', row: 1, label: 1 }] }, 'labels[0]'],
      [{ labels: [{ entity: 'a', label: 1, colour: 'x' }] }, 'labels[0].colour'],
    ];
    for (const [body, field] of cases) {
      const result = parseFeedback(body);
      expect(result.ok ? 'accepted' : result.error.field).toBe(field);
    }
  });
});

describe('joinFeedback', () => {
  const predictions: StoredPrediction[] = [
    { requestId: 'r-1', row: 0, entity: 'c-7', version: 1, alias: 'champion', score: 0.8, at: '2026-01-01T00:00:00Z' },
    { requestId: 'r-1', row: 0, entity: 'c-7', version: 2, alias: 'challenger', score: 0.6, at: '2026-01-01T00:00:00Z', shadow: true },
    { requestId: 'r-1', row: 1, version: 2, alias: 'challenger', score: 0.3, at: '2026-01-01T00:00:00Z' },
    { requestId: 'r-2', row: 0, entity: 'c-7', version: 2, alias: 'challenger', score: 0.1, at: '2026-01-02T00:00:00Z' },
  ];

  it('joins by request row (a mirrored score too) and by entity to its latest prediction', () => {
    const { outcomes, unmatched } = joinFeedback(
      [
        { kind: 'row', requestId: 'r-1', row: 0, label: 'yes' },
        { kind: 'row', requestId: 'r-1', row: 1, label: 'no' },
        { kind: 'entity', entity: 'c-7', label: 'yes' },
        { kind: 'row', requestId: 'r-9', row: 0, label: 'yes' },
        { kind: 'entity', entity: 'nobody', label: 'yes' },
      ],
      predictions,
      'binary',
      { positiveClass: 'yes' },
    );
    expect(outcomes).toEqual([
      { version: 1, alias: 'champion', requestId: 'r-1', row: 0, score: 0.8, label: 1 },
      { version: 2, alias: 'challenger', requestId: 'r-1', row: 0, score: 0.6, label: 1, shadow: true },
      { version: 2, alias: 'challenger', requestId: 'r-1', row: 1, score: 0.3, label: 0 },
      { version: 2, alias: 'challenger', requestId: 'r-2', row: 0, score: 0.1, label: 1 },
    ]);
    expect(unmatched.map((u) => u.index)).toEqual([3, 4]);
  });

  it('reads regression labels as numbers and refuses ones that are not', () => {
    expect(outcomeLabel('regression', '4.5')).toEqual({ ok: true, value: 4.5 });
    expect(outcomeLabel('regression', 'many').ok).toBe(false);
    expect(outcomeLabel('regression', true).ok).toBe(false);
    expect(outcomeLabel('binary', true, { positiveClass: 'true' })).toEqual({ ok: true, value: 1 });
  });

  it('reads multiclass labels as the index in the class list and refuses unknown classes', () => {
    const classes = { classes: ['bronze', 'gold', 'silver'] };
    expect(outcomeLabel('multiclass', 'silver', classes)).toEqual({ ok: true, value: 2 });
    const unknown = outcomeLabel('multiclass', 'platinum', classes);
    expect(unknown.ok ? 'read' : unknown.error).toContain('not one of the model\'s classes (bronze, gold, silver)');
  });
});
