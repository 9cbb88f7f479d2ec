import { describe, expect, it } from 'vitest';
import { RoutingTable, checkRoutingTable, routeRow, routingKey, stableBucket } from '../../../src/Dps.Domain/serving/traffic-router';

const canary = (weight: number): RoutingTable => ({
  model: 'churn',
  mode: 'canary',
  arms: [
    { alias: 'challenger', version: 2, weight },
    { alias: 'champion', version: 1, weight: 100 - weight },
  ],
});
const keys = Array.from({ length: 20_000 }, (_, i) => routingKey(`customer-${i}`, 'req'));

describe('routeRow', () => {
  it('splits traffic by weight', () => {
    const table = canary(25);
    const onChallenger = keys.filter((k) => routeRow(table, k).serve.alias === 'challenger').length / keys.length;
    // 20,000 Bernoulli(0.25) draws: 4 standard deviations is about 0.012.
    expect(Math.abs(onChallenger - 0.25)).toBeLessThan(0.012);
  });

  it('is sticky: a key always gets the same version, and a challenger entity stays there as weights grow', () => {
    for (const key of keys.slice(0, 500)) expect(routeRow(canary(25), key)).toEqual(routeRow(canary(25), key));
    const at5 = keys.filter((k) => routeRow(canary(5), k).serve.alias === 'challenger');
    expect(at5.length).toBeGreaterThan(0);
    for (const weight of [25, 50, 100]) for (const key of at5) expect(routeRow(canary(weight), key).serve.version).toBe(2);
    expect(keys.every((k) => routeRow(canary(0), k).serve.alias === 'champion')).toBe(true);
  });

  it('keeps rows without an entity of one request together', () => {
    expect(routingKey(undefined, 'r-1')).toBe(routingKey(undefined, 'r-1'));
    expect(routingKey(undefined, 'r-1')).not.toBe(routingKey('r-1', 'x'));
  });

  it('in shadow mode the champion answers and a share of rows is mirrored to the challenger', () => {
    const table: RoutingTable = { model: 'churn', mode: 'shadow', arms: [{ alias: 'champion', version: 1, weight: 100 }], mirror: { alias: 'challenger', version: 2, mirrorPercent: 40 } };
    const routes = keys.map((k) => routeRow(table, k));
    expect(routes.every((r) => r.serve.alias === 'champion')).toBe(true);
    const mirrored = routes.filter((r) => r.shadow?.version === 2).length / keys.length;
    expect(Math.abs(mirrored - 0.4)).toBeLessThan(0.015);
  });

  it('A/B splits over three arms by their weights', () => {
    const table: RoutingTable = { model: 'churn', mode: 'ab', arms: [{ alias: 'a', version: 1, weight: 50 }, { alias: 'b', version: 2, weight: 30 }, { alias: 'c', version: 3, weight: 20 }] };
    const counts: Record<string, number> = {};
    for (const k of keys) counts[routeRow(table, k).serve.alias] = (counts[routeRow(table, k).serve.alias] ?? 0) + 1;
    expect(Math.abs(counts.a / keys.length - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(counts.b / keys.length - 0.3)).toBeLessThan(0.015);
    expect(Math.abs(counts.c / keys.length - 0.2)).toBeLessThan(0.015);
  });

  it('stableBucket depends on the model too and stays in [0, 100)', () => {
    const buckets = keys.map((k) => stableBucket('churn', k));
    expect(buckets.every((b) => b >= 0 && b < 100)).toBe(true);
    expect(keys.filter((k) => Math.floor(stableBucket('churn', k)) === Math.floor(stableBucket('fraud', k))).length).toBeLessThan(keys.length * 0.05);
  });
});

describe('checkRoutingTable', () => {
  it('refuses weights that do not add up, duplicate arms, single-arm A/B and misplaced mirrors', () => {
    expect(checkRoutingTable(canary(30)).ok).toBe(true);
    expect(checkRoutingTable({ ...canary(30), arms: [{ alias: 'a', version: 1, weight: 60 }, { alias: 'b', version: 2, weight: 30 }] })).toEqual({ ok: false, error: 'arm weights add up to 90, not 100' });
    expect(checkRoutingTable({ ...canary(30), arms: [{ alias: 'a', version: 1, weight: 50 }, { alias: 'a', version: 2, weight: 50 }] }).ok).toBe(false);
    expect(checkRoutingTable({ model: 'm', mode: 'ab', arms: [{ alias: 'a', version: 1, weight: 100 }, { alias: 'b', version: 2, weight: 0 }] }).ok).toBe(false);
    expect(checkRoutingTable({ ...canary(30), mirror: { alias: 'x', version: 3, mirrorPercent: 10 } }).ok).toBe(false);
    expect(checkRoutingTable({ ...canary(30), arms: [{ alias: 'a', version: 1, weight: 130 }, { alias: 'b', version: 2, weight: -30 }] }).ok).toBe(false);
  });
});
