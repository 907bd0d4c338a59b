// The benchmark's baseline: a bare node:http server answering fixed bytes from memory.
// Usage: node bench/baseline-server.mjs BODY_FILE PORT
import http from 'node:http';
import { readFileSync } from 'node:fs';

const [bodyFile, port] = process.argv.slice(2);
const body = readFileSync(bodyFile);
http
  .createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
    response.end(body);
  })
  .listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
