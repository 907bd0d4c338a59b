import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Database, MailStatus } from '../db/index.ts';
import { enqueue, runJobNow, type JobHandler } from '../platform/jobs/index.ts';

/** The job that sends one stored mail; keyed by the outbox row, so it is sent by one process once. */
export const MAIL_JOB = 'mail.deliver';

export function mailJobKey(outboxId: number): string {
  return `${MAIL_JOB}:${outboxId}`;
}

/** A mail server that is down gets time: tries after about 1 min, 5 min, 25 min and 2 h. */
export function mailRetryDelayMs(attempt: number): number {
  const full = Math.min(60_000 * 5 ** Math.max(0, attempt - 1), 6 * 3600_000);
  return Math.round(full * (0.75 + Math.random() * 0.25));
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  journalId?: number | null;
  /** The template key it was made from, kept in the outbox for the administrator. */
  template?: string | null;
}

export interface Mailer {
  /**
   * Records the mail in the outbox, then sends it when SMTP is configured. Never throws for a
   * delivery failure (status 'failed'): callers must not reveal through an error whether an account
   * exists.
   */
  send(mail: OutgoingMail): Promise<{ id: number; status: MailStatus }>;
  /**
   * Sends a mail already in the outbox (`storeMail`), e.g. after the page was answered, so nobody
   * waits for the SMTP server; the outcome is written to the outbox, never thrown. A mail no longer
   * 'stored' (sent meanwhile) is left alone. Without SMTP it stays in the outbox.
   */
  deliver(id: number): Promise<MailStatus>;
  /** 'outbox' when no SMTP server is configured: mail is kept for the site administrator to read. */
  readonly mode: 'smtp' | 'outbox';
  /** Waits for deliveries under way, then closes the SMTP connection. */
  close(): Promise<void>;
  /** The worker's handler of mail jobs: sends what a request did not, and retries what failed. */
  readonly jobs: JobHandler[];
}

/**
 * Writes a mail to the outbox ('stored') and queues its sending job, with whatever the caller writes
 * with it when `db` is a transaction; `Mailer.deliver` sends it at once, else a worker does. The
 * outbox is the record: a mail stored is never lost, and a failed delivery is visible there.
 */
export async function storeMail(db: Kysely<Database>, mail: OutgoingMail): Promise<number> {
  const row = await db
    .insertInto('mail_outbox')
    .values({ journal_id: mail.journalId ?? null, template: mail.template ?? null, to_address: mail.to, subject: mail.subject, text_body: mail.text, status: 'stored' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueue(db, { kind: MAIL_JOB, payload: { outboxId: row.id }, key: mailJobKey(row.id), maxAttempts: 5 });
  return row.id;
}

/** SMTP_URL without its credentials, for the start log and the administrator's pages. */
export function describeMailer(smtpUrl?: string): string {
  if (!smtpUrl) return 'no SMTP_URL: mail is kept in the outbox, readable by the site administrator at /admin/outbox';
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return 'SMTP_URL is not a valid URL (expected smtp://user:password@host:port or smtps://…)';
  }
  const secure = url.protocol === 'smtps:';
  const port = url.port || (secure ? '465' : '587');
  return `SMTP${secure ? 'S' : ''} at ${url.hostname}:${port}${url.username ? ` as ${decodeURIComponent(url.username)}` : ''}`;
}

/**
 * Removes credentials that an SMTP library may echo in its error text: any `user:password@` in a
 * URL, and the password of SMTP_URL itself, as written, decoded, and in the base64 forms of SMTP AUTH.
 */
export function redactSecrets(text: string, smtpUrl?: string): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@');
  if (smtpUrl) {
    let user = '';
    let password = '';
    try {
      const url = new URL(smtpUrl);
      user = safeDecode(url.username);
      password = safeDecode(url.password);
      for (const secret of [url.password, password]) if (secret) out = out.split(secret).join('***');
    } catch {
      // Not a URL: nothing more to take out than the generic pattern above.
    }
    if (password) {
      for (const encoded of [Buffer.from(password).toString('base64'), Buffer.from(`\0${user}\0${password}`).toString('base64')]) {
        out = out.split(encoded).join('***');
      }
    }
  }
  return out.slice(0, 1000);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export function createMailer(db: Kysely<Database>, options: { smtpUrl?: string; from: string }): Mailer {
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  const underWay = new Set<Promise<MailStatus>>();

  /** One try: the outcome goes to the outbox row ('failed' with the error until a later try sends it). */
  async function attempt(id: number): Promise<MailStatus> {
    if (!transport) return 'stored';
    const mail = await db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body', 'status']).where('id', '=', id).executeTakeFirst();
    if (!mail || mail.status === 'sent') return mail?.status ?? 'failed';
    try {
      const info = await transport.sendMail({ from: options.from, to: mail.to_address, subject: mail.subject, text: mail.text_body });
      await db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: new Date(), message_id: info.messageId ?? null, error: null })
        .where('id', '=', id)
        .execute();
      return 'sent';
    } catch (error) {
      await db
        .updateTable('mail_outbox')
        .set({ status: 'failed', error: redactSecrets(errorText(error), options.smtpUrl) })
        .where('id', '=', id)
        .execute();
      return 'failed';
    }
  }

  const job: JobHandler<{ outboxId: number }> = {
    kind: MAIL_JOB,
    retryDelayMs: mailRetryDelayMs,
    async run(payload) {
      if (!Number.isInteger(payload?.outboxId)) throw new Error(`the job names no mail: ${JSON.stringify(payload)}`);
      if ((await attempt(payload.outboxId)) !== 'failed') return;
      const row = await db.selectFrom('mail_outbox').select('error').where('id', '=', payload.outboxId).executeTakeFirst();
      throw new Error(`mail ${payload.outboxId}: ${row?.error ?? 'not sent'}`);
    },
  };

  async function statusOf(id: number): Promise<MailStatus> {
    return (await db.selectFrom('mail_outbox').select('status').where('id', '=', id).executeTakeFirst())?.status ?? 'failed';
  }

  /** Through the mail's job, so neither a worker nor another process sends it at the same time. */
  async function now(id: number): Promise<MailStatus> {
    if (!transport) return 'stored';
    const ran = await runJobNow(db, mailJobKey(id), job);
    if (ran === undefined && (await statusOf(id)) === 'stored') {
      // Stored before mail had jobs (or its job ran out of tries meanwhile): given one now.
      await enqueue(db, { kind: MAIL_JOB, payload: { outboxId: id }, key: mailJobKey(id), maxAttempts: 5 });
      await runJobNow(db, mailJobKey(id), job);
    }
    return statusOf(id);
  }

  function deliver(id: number): Promise<MailStatus> {
    const delivery = now(id);
    underWay.add(delivery);
    // Settled either way; a rejection (the database gone) still reaches the caller.
    void delivery.catch(() => {}).finally(() => underWay.delete(delivery));
    return delivery;
  }

  return {
    mode: transport ? 'smtp' : 'outbox',
    async send(mail) {
      // Written before the SMTP attempt, so a mail is never lost when the server is down.
      const id = await storeMail(db, mail);
      return { id, status: await deliver(id) };
    },
    deliver,
    async close() {
      await Promise.allSettled([...underWay]);
      transport?.close();
    },
    jobs: [job],
  };
}
