import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { Database, MailStatus } from '../db/index.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  journalId?: number | null;
  template?: string | null;
}

export interface Mailer {
  /** 'outbox' when no SMTP server is configured: mail is kept for the site administrator to read. */
  readonly mode: 'smtp' | 'outbox';
  /** Records the mail, then sends it. Never throws for a delivery failure: callers must not reveal it. */
  send(mail: OutgoingMail): Promise<{ id: number; status: MailStatus }>;
  close(): Promise<void>;
}

/** SMTP_URL without its password, for logs and pages. */
export function describeMailer(smtpUrl: string | undefined): string {
  if (!smtpUrl) return 'no SMTP_URL: mail is kept in the outbox, readable by the site administrator at /admin/outbox';
  const url = new URL(smtpUrl);
  return `SMTP at ${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
}

/** Removes credentials that an SMTP library may echo in its error text. */
export function redactSecrets(text: string, smtpUrl: string | undefined): string {
  let out = text.replace(/(smtps?:\/\/)[^@\s/]*@/gi, '$1***@');
  if (smtpUrl) {
    const url = new URL(smtpUrl);
    for (const secret of [url.password, decodeURIComponent(url.password)]) {
      if (secret) out = out.split(secret).join('***');
    }
  }
  return out.slice(0, 1000);
}

export function createMailer(db: Kysely<Database>, options: { smtpUrl?: string; from: string }): Mailer {
  const transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl, { from: options.from }) : undefined;
  return {
    mode: transport ? 'smtp' : 'outbox',
    async send(mail) {
      // Written first, so a mail is never lost when the SMTP server is down.
      const row = await db
        .insertInto('mail_outbox')
        .values({ journal_id: mail.journalId ?? null, template: mail.template ?? null, to_address: mail.to, subject: mail.subject, text_body: mail.text, status: 'stored' })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (!transport) return { id: row.id, status: 'stored' };
      try {
        const info = await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
        await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: new Date(), message_id: info.messageId ?? null }).where('id', '=', row.id).execute();
        return { id: row.id, status: 'sent' };
      } catch (error) {
        const message = redactSecrets((error as Error).message ?? String(error), options.smtpUrl);
        await db.updateTable('mail_outbox').set({ status: 'failed', error: message }).where('id', '=', row.id).execute();
        return { id: row.id, status: 'failed' };
      }
    },
    async close() {
      transport?.close();
    },
  };
}
