/** Thrown for requests the Durable HTTP API answers with a 4xx status. */
export class DurableRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Instance ids become table partition keys, which cannot hold these characters. */
export function validateInstanceId(id: string): void {
  if (!id || id.length > 256 || /[\\/#?\u0000-\u001f\u007f-\u009f]/.test(id)) {
    throw new DurableRequestError(400, `Invalid instance id '${id}': use 1-256 characters without / \\ # ? or control characters.`);
  }
}
