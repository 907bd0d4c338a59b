import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports.ts';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The message as it came over the wire (latin1), for checks of its encoding. */
  raw: string;
  subject: string;
  text: string;
  from: string;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives, for tests of outgoing mail. With
 * `hold`, each message is kept (and `next()` sees it) but the server answers the sender only once
 * `hold` settles, so a sender still waits for its mail to be accepted until then.
 */
export async function startSmtpListener(options: { rejectRecipients?: boolean; hold?: Promise<unknown> } = {}): Promise<{ url: string; port: number; received: ReceivedMail[]; next(): Promise<ReceivedMail>; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const waiting: Array<(mail: ReceivedMail) => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'test' });
    },
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipients) return callback(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      })
        .then(async (bytes) => ({ bytes, parsed: await simpleParser(bytes) }))
        .then(({ bytes, parsed }) => {
          const mail: ReceivedMail = {
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            raw: bytes.toString('latin1'),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            from: parsed.from?.text ?? '',
          };
          const waiter = waiting.shift();
          if (waiter) waiter(mail);
          else received.push(mail);
          return options.hold;
        })
        .then(() => callback())
        .catch(callback);
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    next() {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no mail arrived within 10 s')), 10_000);
        waiting.push((mail) => {
          clearTimeout(timer);
          resolve(mail);
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
