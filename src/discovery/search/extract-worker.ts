import { parentPort } from 'node:worker_threads';
import { extractFile, type ExtractedFile } from './extract.ts';

/** The worker thread of extract-thread.ts: reads one file's text per message, in order. */
export interface ExtractRequest {
  id: number;
  file: string;
  mimeType: string;
}
export interface ExtractReply {
  id: number;
  result: ExtractedFile;
}

const port = parentPort!;
port.on('message', (request: ExtractRequest) => {
  void extractFile(request.file, request.mimeType)
    .catch((error: unknown): ExtractedFile => ({ text: '', problem: `text extraction failed: ${(error as Error).message}`.slice(0, 500) }))
    .then((result) => port.postMessage({ id: request.id, result } satisfies ExtractReply));
});
