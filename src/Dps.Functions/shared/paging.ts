import type { TableClient, TableEntityResult } from '@azure/data-tables';
import type { Result } from '../../Dps.Domain/result';

/** One page of a list answer: `{items, continuationToken}`, the token absent on the last page. */
export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

/** The largest page a list endpoint gives. */
export const MAX_PAGE_SIZE = 200;

/** `?top=` as a page size in [1, MAX_PAGE_SIZE], `fallback` when absent; anything else is an error naming it. */
export function pageSize(raw: string | null, fallback: number): Result<number, string> {
  if (raw === null || raw === '') return { ok: true, value: fallback };
  const top = Number(raw);
  return Number.isInteger(top) && top >= 1 && top <= MAX_PAGE_SIZE
    ? { ok: true, value: top }
    : { ok: false, error: `top must be a whole number from 1 to ${MAX_PAGE_SIZE}, got '${raw}'` };
}

/** Thrown for a continuation token the API did not give out; list endpoints answer it as a 400. */
export class BadContinuationToken extends Error {
  constructor(token: string) {
    super(`continuationToken '${token.slice(0, 40)}' is not one this list gave out: start again without it`);
  }
}

/**
 * One server-side page of a table query (Azure Tables pages by partition and row key): at most `top`
 * rows, and the service's token for the next page. A token the service refuses is a BadContinuationToken.
 */
export async function tablePage<T extends object>(table: TableClient, filter: string, top: number, token: string | undefined): Promise<Page<TableEntityResult<T>>> {
  const pages = table.listEntities<T>({ queryOptions: { filter } }).byPage({ maxPageSize: top, continuationToken: token });
  try {
    const first = await pages.next();
    const page = first.done ? [] : first.value;
    return { items: [...page], continuationToken: (page as { continuationToken?: string }).continuationToken ?? null };
  } catch (error) {
    if (token !== undefined && /continuation|invalid|base64|JSON/i.test((error as Error).message)) throw new BadContinuationToken(token);
    throw error;
  }
}
