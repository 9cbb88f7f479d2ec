import net from 'node:net';

/** What a raw HTTP exchange got back: status, headers (lower-case names) and the body text received. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A Content-Length body once all of it arrived. */
function whole(bytes: Buffer, length: number): string | undefined {
  return bytes.length >= length ? bytes.subarray(0, length).toString('utf8') : undefined;
}

/** A chunked body once its last (empty) chunk arrived. */
function dechunk(bytes: Buffer): string | undefined {
  const pieces: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = bytes.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(bytes.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(pieces).toString('utf8');
    if (bytes.length < eol + 2 + size + 2) return undefined;
    pieces.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Sends a request head and then whatever `writeBody` writes, over a plain socket, and resolves with the
 * answer as soon as its head and body (Content-Length or chunked) have arrived — whether or not the request body was
 * sent. A probe can so declare a body it never sends: an answer proves the server did not wait to read it.
 */
export function rawRequest(baseUrl: string, head: string, writeBody?: (socket: net.Socket) => void): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let received = Buffer.alloc(0);
    const done = (answer: RawAnswer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.on('error', (error) => reject(error));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = headers['transfer-encoding'] === 'chunked' ? dechunk(received.subarray(end + 4)) : whole(received.subarray(end + 4), Number(headers['content-length'] ?? 0));
      if (body !== undefined) done({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.on('connect', () => {
      socket.write(head.replace(/\n/g, '\r\n') + '\r\n\r\n');
      writeBody?.(socket);
    });
  });
}
