/** Formats one CSV line (no line break), quoting only fields that need it (RFC 4180). */
export function formatCsvRow(fields: readonly string[], delimiter = ','): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (i > 0) line += delimiter;
    const needsQuotes = f.includes(delimiter) || f.includes('"') || f.includes('\n') || f.includes('\r');
    line += needsQuotes ? `"${f.replaceAll('"', '""')}"` : f;
  }
  return line;
}
