import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Database, MailStatus } from '../db/index.ts';

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
}

/**
 * Writes a mail to the outbox ('stored'), with whatever the caller writes with it when `db` is a
 * transaction; `Mailer.deliver` sends it afterwards. The outbox is the record: a mail stored is never
 * lost, and a failed delivery is visible there.
 */
export async function storeMail(db: Kysely<Database>, mail: OutgoingMail): Promise<number> {
  const row = await db
    .insertInto('mail_outbox')
    .values({ journal_id: mail.journalId ?? null, template: mail.template ?? null, to_address: mail.to, subject: mail.subject, text_body: mail.text, status: 'stored' })
    .returning('id')
    .executeTakeFirstOrThrow();
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

  async function attempt(id: number): Promise<MailStatus> {
    if (!transport) return 'stored';
    const mail = await db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body', 'status']).where('id', '=', id).executeTakeFirst();
    if (!mail || mail.status !== 'stored') return mail?.status ?? 'failed';
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

  function deliver(id: number): Promise<MailStatus> {
    const delivery = attempt(id);
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
  };
}
