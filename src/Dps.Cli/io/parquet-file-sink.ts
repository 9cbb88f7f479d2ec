import { closeSync, openSync, writeSync } from 'node:fs';
import { ByteWriter } from 'hyparquet-writer';

/**
 * A hyparquet-writer sink into a local file: the bytes of each row group are written out when the
 * writer flushes after it, so memory is one row group however large the file.
 */
export class ParquetFileSink extends ByteWriter {
  private readonly fd: number;

  constructor(file: string) {
    super();
    this.fd = openSync(file, 'w');
  }

  /** Called by the Parquet writer after each row group. */
  flush(): void {
    if (this.index > 0) writeSync(this.fd, new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
    closeSync(this.fd);
  }
}
