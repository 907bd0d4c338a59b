import net from 'node:net';

/**
 * An HTTP/1.1 request written by hand on a real socket, for what `inject` cannot show: whether the
 * server answers before a body has been sent, and whether it then closes the connection.
 */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the server ended the connection after answering. */
  closed: boolean;
}

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Sent right after the headers; the rest of a declared body is never sent. */
  start?: Buffer | string;
  /** How long to wait for the answer. */
  timeoutMs?: number;
}

/** Sends the head (and `start`), then waits for the answer without sending another byte. */
export function rawRequest(port: number, request: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      socket.destroy();
      reject(new Error(`no answer to ${request.method} ${request.path} within ${request.timeoutMs ?? 10_000} ms: the server is waiting for the body`));
    }, request.timeoutMs ?? 10_000);
    let answer: RawAnswer | undefined;
    const tryParse = (): RawAnswer | undefined => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return undefined;
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? -1);
      const body = text.slice(split + 4);
      if (length >= 0 && Buffer.byteLength(body, 'latin1') < length) return undefined;
      return { status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8'), closed: false };
    };
    const finish = (closed: boolean) => {
      if (settled) return;
      answer ??= tryParse();
      if (!answer) return;
      if (!closed && answer.headers.connection === 'close') return; // wait for the close it announced
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...answer, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      const head = `${request.method} ${request.path} HTTP/1.1\r\nhost: localhost\r\n${Object.entries(request.headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n')}\r\n\r\n`;
      socket.write(head);
      if (request.start !== undefined) socket.write(request.start);
    });
  });
}

/** A multipart body's first parts: fields, then the head of a file part and some of its bytes. */
export function multipartStart(boundary: string, fields: Record<string, string>, file?: { name: string; filename: string; bytes: Buffer }): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: application/xml\r\n\r\n`), file.bytes);
  return Buffer.concat(parts);
}

/** The `cookie` header of a test session. */
export function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
