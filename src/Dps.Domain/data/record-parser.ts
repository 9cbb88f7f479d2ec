import type { DataFormat } from './contract-types';
import { createCsvParser } from './csv-parser';
import { createJsonLinesParser } from './jsonl-parser';
import type { RecordParser } from './raw-record';

/** The push parser a contract's format asks for. */
export function createRecordParser(format: DataFormat, maxRowBytes?: number): RecordParser {
  if (format.type === 'jsonl') return createJsonLinesParser({ maxRowBytes });
  return createCsvParser({ delimiter: format.delimiter, quote: format.quote, header: format.header, maxRowBytes });
}
