import type { HttpResponseInit } from '@azure/functions';
import { startBatchValidation } from '../../Dps.Domain/data/batch-validator';
import { describeFinding } from '../../Dps.Domain/data/validation-report';
import type { AppDependencies } from '../app-dependencies';
import { badRequest } from '../shared/http-responses';
import { ParquetColumn, ParquetFileError, bufferParquetSource, readParquetFile } from '../storage/parquet-reader';

/** The media type of Apache Parquet (IANA registration). */
export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet';

/**
 * The 400 answer for a Parquet body that cannot be taken, before anything lands: declared Parquet but
 * not Parquet, a footer that cannot be read, or a schema the dataset's stored contract rejects (each
 * finding names the column and rule). Undefined for any other body and for a Parquet body that fits.
 */
export async function parquetBodyProblem(deps: AppDependencies, dataset: string, bytes: Buffer, contentType: string | null): Promise<HttpResponseInit | undefined> {
  const declared = contentType?.split(';')[0].trim().toLowerCase() === PARQUET_MEDIA_TYPE;
  const source = bufferParquetSource(bytes);
  if (!source) {
    return declared ? badRequest(`the body is declared ${PARQUET_MEDIA_TYPE} but is not a Parquet file: it must start and end with the magic bytes 'PAR1' (a truncated upload loses its footer)`) : undefined;
  }
  const shownAs = `http:${dataset}`;
  let columns: ParquetColumn[];
  try {
    columns = (await readParquetFile(source, shownAs)).columns;
  } catch (e) {
    if (e instanceof ParquetFileError) return badRequest(e.message);
    throw e;
  }
  const stored = await deps.dataPlane().contracts.current(dataset);
  if (!stored) return undefined;
  const started = startBatchValidation({ contract: stored.contract, piiSalt: deps.settings.piiSalt, source: shownAs });
  if (!started.ok || started.value.pushParquetSchema(columns)) return undefined;
  const { errors } = started.value.end().report;
  return badRequest(`the Parquet schema does not fit contract revision ${stored.revision} of '${dataset}': ${errors.map(describeFinding).join('; ')}`, { errors });
}
