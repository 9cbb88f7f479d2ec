import { Result, ok, err } from '../result';
import { isJsonObject } from '../json-object';
import { OffHoursResource } from './resource-decision';


function parseResource(value: unknown, where: string): Result<OffHoursResource, string> {
  if (!isJsonObject(value)) return err(`${where} must be an object`);
  for (const field of ['id', 'type'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') return err(`${where}.${field} must be a non-empty string`);
  }
  if (value.state !== 'running' && value.state !== 'stopped') return err(`${where}.state must be 'running' or 'stopped'`);
  const tags = value.tags ?? {};
  if (!isJsonObject(tags)) return err(`${where}.tags must be an object of strings`);
  const bad = Object.keys(tags).find((k) => typeof tags[k] !== 'string');
  if (bad !== undefined) return err(`${where}.tags.${bad} must be a string (Azure tag values are strings)`);
  return ok({ id: value.id as string, type: value.type as string, state: value.state, tags: tags as Record<string, string> });
}

/** Checks parsed inventory JSON `{"resources": [{id, type, state, tags}]}`; the error names the field. */
export function parseInventory(json: unknown): Result<OffHoursResource[], string> {
  if (!isJsonObject(json) || !Array.isArray(json.resources)) return err('resources must be an array');
  const resources: OffHoursResource[] = [];
  for (const [i, value] of json.resources.entries()) {
    const resource = parseResource(value, `resources[${i}]`);
    if (!resource.ok) return resource;
    resources.push(resource.value);
  }
  return ok(resources);
}
