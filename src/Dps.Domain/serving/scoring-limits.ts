/** Fewest rows a scoring request may carry. */
export const MIN_ROWS_PER_REQUEST = 1;
/** Most rows (or entities) a scoring request may carry; larger jobs belong to batch scoring. */
export const MAX_ROWS_PER_REQUEST = 10_000;
/** Largest scoring body accepted, in bytes (10,000 wide rows fit with room to spare). */
export const MAX_SCORING_BODY_BYTES = 32 * 1024 * 1024;
/** Longest entity id (a key value or the `x-dps-entity` header), in characters. */
export const MAX_ENTITY_LENGTH = 256;
/** How many row problems an error lists; the rest are only counted, so a bad 10,000-row file stays readable. */
export const MAX_LISTED_PROBLEMS = 20;
