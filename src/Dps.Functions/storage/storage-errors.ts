/** True for the storage errors (tables and blobs) that mean "someone else changed or created it first" (409, 412). */
export function isWriteConflict(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 409 || status === 412;
}

/** True for a storage "not found" (404). */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}
