import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { Result, err, ok } from '../../Dps.Domain/result';

function tooLarge(size: string, limit: number, setting: string, hint: string): HttpResponseInit {
  return { status: 413, headers: { Connection: 'close' }, jsonBody: { error: `the request body (${size}) is larger than ${limit} bytes, the limit of this route (setting ${setting}); ${hint}` } };
}

/**
 * Reads a request body of at most `limit` bytes, or answers 413 naming the limit and its setting: at
 * once for a declared Content-Length over it, else as soon as the streamed body passes it.
 */
export async function readBodyWithin(request: HttpRequest, limit: number, setting: string, hint: string): Promise<Result<Buffer, HttpResponseInit>> {
  const declared = Number(request.headers.get('content-length'));
  if (declared > limit) return err(tooLarge(`${declared} bytes`, limit, setting, hint));
  if (!request.body) return ok(Buffer.alloc(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.length;
    if (size > limit) {
      await reader.cancel();
      return err(tooLarge(`more than ${limit} bytes`, limit, setting, hint));
    }
    chunks.push(next.value);
  }
  return ok(Buffer.concat(chunks));
}
