import { Hash64 } from '../data/hash64';
import { Result, err, ok } from '../result';

/** How traffic is split: `canary` (weights move by step), `shadow` (champion answers, challenger mirrored), `ab` (fixed split). */
export type RoutingMode = 'canary' | 'shadow' | 'ab';

/** A version behind an alias. */
export interface AliasedVersion {
  alias: string;
  version: number;
}

/** A version that answers a share of traffic, in percent. */
export interface RouteArm extends AliasedVersion {
  weight: number;
}

/**
 * A model's routing table. Arms take consecutive slices of the hash range in the order given, so a
 * canary lists the challenger first: as its weight grows its slice only widens, and an entity once on
 * the challenger stays there. In `shadow` mode `mirror` is scored on `mirrorPercent` of the rows too.
 */
export interface RoutingTable {
  model: string;
  mode: RoutingMode;
  arms: RouteArm[];
  mirror?: AliasedVersion & { mirrorPercent: number };
}

/** Where one row goes: the version that answers and, in shadow mode, the one that scores a mirrored copy. */
export interface Route {
  serve: AliasedVersion;
  shadow?: AliasedVersion;
}

/** Checks a table: at least one arm, weights 0..100 summing to 100, aliases and versions unique, a mirror only in shadow mode. */
export function checkRoutingTable(table: RoutingTable): Result<RoutingTable> {
  if (table.arms.length === 0) return err('routing needs at least one arm');
  const total = table.arms.reduce((sum, arm) => sum + arm.weight, 0);
  const bad = table.arms.find((arm) => !Number.isFinite(arm.weight) || arm.weight < 0 || arm.weight > 100);
  if (bad) return err(`arm '${bad.alias}': weight ${bad.weight} is not a percentage 0..100`);
  if (Math.abs(total - 100) > 1e-9) return err(`arm weights add up to ${total}, not 100`);
  const aliases = new Set(table.arms.map((a) => a.alias));
  if (aliases.size !== table.arms.length) return err('an alias appears in two arms');
  if (new Set(table.arms.map((a) => a.version)).size !== table.arms.length) return err('a version appears in two arms');
  if (table.mode === 'ab' && table.arms.filter((a) => a.weight > 0).length < 2) return err('an A/B test needs two or more arms with traffic');
  if (table.mirror && table.mode !== 'shadow') return err(`a mirror only applies in shadow mode, not ${table.mode}`);
  if (table.mirror && !(table.mirror.mirrorPercent >= 0 && table.mirror.mirrorPercent <= 100)) return err(`mirrorPercent ${table.mirror.mirrorPercent} is not a percentage 0..100`);
  return ok(table);
}

const hash = new Hash64();
const words = new Uint32Array(2);

/** A stable position in [0, 100) for a routing key of a model: the same on every instance and every run. */
export function stableBucket(model: string, key: string): number {
  hash.reset();
  hash.add(model);
  hash.add(key);
  hash.finish(words);
  // 53 bits of the 64-bit hash, as a fraction.
  return ((words[0] * 2 ** 21 + (words[1] >>> 11)) / 2 ** 53) * 100;
}

/** The key a row is routed by: its entity when it has one, else the request id (a request's rows then stay together). */
export function routingKey(entity: string | undefined, requestId: string): string {
  return entity !== undefined ? `entity:${entity}` : `request:${requestId}`;
}

/** Routes one row by its key: the arm whose slice holds the key's bucket, and the mirror when its slice does too. */
export function routeRow(table: RoutingTable, key: string): Route {
  const bucket = stableBucket(table.model, key);
  let upper = 0;
  let serve = table.arms[table.arms.length - 1];
  for (const arm of table.arms) {
    upper += arm.weight;
    if (bucket < upper && arm.weight > 0) {
      serve = arm;
      break;
    }
  }
  const route: Route = { serve: { alias: serve.alias, version: serve.version } };
  const mirror = table.mirror;
  // The mirror counts from the top of the range, so which rows are mirrored does not depend on the arms.
  if (mirror && mirror.version !== serve.version && 100 - bucket <= mirror.mirrorPercent) route.shadow = { alias: mirror.alias, version: mirror.version };
  return route;
}
