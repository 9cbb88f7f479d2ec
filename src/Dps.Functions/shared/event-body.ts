/**
 * An Event Hubs message as a value: the host hands JSON bodies over parsed, others as a Buffer or text;
 * text that is not JSON stays text, for the caller's validation to reject with what it saw.
 */
export function decodeEventBody(message: unknown): unknown {
  const text = Buffer.isBuffer(message) ? message.toString('utf8') : message;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
