import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, post, sampleRows, startShopApp, tableRows } from './fixtures/serving-fixture';

let app: App;

beforeAll(async () => {
  app = await startShopApp();
}, 120_000);
afterAll(async () => {
  await app?.host.stop();
});

describe('online features', () => {
  it('scores entities from the online store exactly as their accepted rows sent inline', async () => {
    const training = sampleRows(800, 1).slice(0, 4);
    const ids = training.map((r) => r.customer_id);
    const online = await post(app, 'models/shop/predict', { entities: ids });
    expect(online.status, JSON.stringify(online.body)).toBe(200);
    expect(online.body.predictions.map((p: any) => p.entity)).toEqual(ids);
    const offline = await post(app, 'models/shop/predict', { rows: training });
    expect(online.body.predictions.map((p: any) => p.probability)).toEqual(offline.body.predictions.map((p: any) => p.probability));
    const missing = await post(app, 'models/shop/predict', { entities: [ids[0], 'no-such-customer'] });
    expect(missing.status).toBe(404);
    expect(missing.body.problems[0]).toMatchObject({ rule: 'entity', row: 1 });
    expect(missing.body.error).toContain('"no-such-customer"');
  });
});

describe('predict', () => {
  it('scores JSON rows with the champion: class, probabilities, entity, and contributions on request', async () => {
    const rows = sampleRows(5, 7);
    const { status, body } = await post(app, 'models/shop/predict?explain=true', { rows });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ model: 'shop', requestId: expect.any(String) });
    expect(body.predictions).toHaveLength(5);
    body.predictions.forEach((p: any, i: number) => {
      expect(p).toMatchObject({ version: 1, alias: 'champion', entity: rows[i].customer_id });
      const [negative, positive] = Object.keys(p.probabilities);
      expect(p.probability).toBeGreaterThanOrEqual(0);
      expect(p.probability).toBeLessThanOrEqual(1);
      expect(p.probabilities[positive]).toBe(p.probability);
      expect(p.probabilities[negative] + p.probabilities[positive]).toBeCloseTo(1, 9);
      expect(p.prediction).toBe(p.probability >= 0.5 ? positive : negative);
      expect(Object.keys(p.contributions)).toEqual(expect.arrayContaining(['age', 'plan', 'tenure_months']));
      expect(Object.keys(p.contributions)).not.toContain('email');
    });
    const plain = await post(app, 'models/shop/predict', { rows });
    expect(plain.body.predictions[0].contributions).toBeUndefined();
    expect(plain.body.predictions.map((p: any) => p.probability)).toEqual(body.predictions.map((p: any) => p.probability));
  });

  it('reads CSV and JSON Lines bodies the same way as JSON', async () => {
    const rows = sampleRows(3, 8);
    const names = Object.keys(rows[0]);
    const csv = [names.join(','), ...rows.map((r) => names.map((n) => r[n]).join(','))].join('\n');
    const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
    const [a, b, c] = await Promise.all([post(app, 'models/shop/predict', { rows }), post(app, 'models/shop/predict', csv), post(app, 'models/shop/predict', jsonl)]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    const probabilities = (r: typeof a) => r.body.predictions.map((p: any) => p.probability);
    expect(probabilities(b)).toEqual(probabilities(a));
    expect(probabilities(c)).toEqual(probabilities(a));
  });

  it('pins a version or an alias, and refuses unknown ones', async () => {
    const rows = sampleRows(2, 9);
    expect((await post(app, 'models/shop/predict?version=1', { rows })).body.predictions[0]).toMatchObject({ version: 1, alias: 'champion' });
    expect((await post(app, 'models/shop/predict?alias=champion', { rows })).body.predictions[0]).toMatchObject({ version: 1, alias: 'champion' });
    const version = await post(app, 'models/shop/predict?version=7', { rows });
    expect(version.status).toBe(404);
    expect(version.body.error).toContain("no version 7 of model 'shop'");
    const alias = await post(app, 'models/shop/predict?alias=nope', { rows });
    expect(alias.status).toBe(404);
    expect(alias.body.error).toContain("has no alias 'nope'");
    const model = await post(app, 'models/unknown/predict', { rows });
    expect(model.status).toBe(404);
    expect(model.body.error).toContain("no model 'unknown'");
    expect((await post(app, 'models/shop/predict?version=x', { rows })).status).toBe(400);
  });

  it('refuses bad bodies with the row, column and rule, and records nothing', async () => {
    const before = await tableRows(app, 'feedback');
    const good = sampleRows(2, 10);
    const empty = await post(app, 'models/shop/predict', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toContain('the body is empty');
    const none = await post(app, 'models/shop/predict', { rows: [] });
    expect(none.status).toBe(400);
    expect(none.body.problems[0].rule).toBe('row-count');
    const many = await post(app, 'models/shop/predict', { rows: Array.from({ length: 10_001 }, () => good[0]) });
    expect(many.status).toBe(400);
    expect(many.body.error).toMatch(/10,?001/);
    expect(many.body.problems[0].rule).toBe('row-count');
    const typed = await post(app, 'models/shop/predict', { rows: [good[0], { ...good[1], age: 'old' }] });
    expect(typed.status).toBe(400);
    expect(typed.body.problems[0]).toMatchObject({ rule: 'type', row: 1, column: 'age' });
    expect(typed.body.error).toContain('row 1, column "age"');
    const unknown = await post(app, 'models/shop/predict', { rows: [{ ...good[0], colour: 'red' }] });
    expect(unknown.body.problems[0]).toMatchObject({ rule: 'unknown-column', row: 0, column: 'colour' });
    const { plan: _, ...withoutPlan } = good[0];
    const missing = await post(app, 'models/shop/predict', { rows: [withoutPlan] });
    expect(missing.body.problems[0]).toMatchObject({ rule: 'missing-column', row: 0, column: 'plan' });
    const broken = await post(app, 'models/shop/predict', '{"rows": [');
    expect(broken.status).toBe(400);
    expect(await tableRows(app, 'feedback')).toBe(before);
  });
});
