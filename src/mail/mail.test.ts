import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database, DatabaseHandle } from '../db/index.ts';
import { testDatabases } from '../../test/support/databases.ts';
import { freePort } from '../../test/support/ports.ts';
import { startSmtpListener } from '../../test/support/smtp.ts';
import { runJobsUntilIdle } from '../platform/jobs/index.ts';
import {
  builtInTemplates,
  createMailer,
  describeMailer,
  listOutbox,
  loadTemplate,
  mailJobKey,
  MAIL_TEMPLATE_KEYS,
  mailTemplateInfo,
  redactSecrets,
  renderTemplate,
  resetTemplate,
  saveTemplate,
  sendTemplated,
  storeTemplated,
  templateVariablesUsed,
  validateTemplate,
} from './index.ts';

/** The shared SMTP test listener, with each message's envelope and raw text as it came over the wire. */
async function startListener(options: { reject?: boolean } = {}) {
  const listener = await startSmtpListener({ rejectRecipients: options.reject });
  return {
    port: listener.port,
    get received() {
      return listener.received.map((m) => ({ from: m.envelopeFrom, to: m.envelopeTo, raw: m.raw }));
    },
    close: listener.close,
  };
}

/** Headers (unfolded, names lower-cased) and body of a raw message. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n(?=[ \t])/g, '');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

/** RFC 2047 encoded-words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between two of them is dropped. */
function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_whole, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedBytes(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedBytes(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The text body, whatever transfer encoding nodemailer chose for it. */
function decodeBody(message: { headers: Map<string, string>; body: string }): string {
  const encoding = (message.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(message.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedBytes(message.body.replace(/=\r\n/g, ''));
  return Buffer.from(message.body, 'latin1').toString('utf8');
}

async function addJournal(db: Kysely<Database>, path: string): Promise<number> {
  const row = await db
    .insertInto('journals')
    .values({
      path,
      name: { en: `Journal ${path}` },
      acronym: {},
      description: {},
      primary_locale: 'en',
      supported_locales: ['en', 'pl'],
      online_issn: null,
      print_issn: null,
      publisher: null,
      publisher_url: null,
      license_url: null,
      copyright_notice: {},
      contact_name: null,
      contact_email: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const verifyVariables = {
  name: 'Zażółć Gęślą',
  siteName: 'Sprawy Międzynarodowe',
  link: 'https://journals.example.org/sm/user/verify?token=Abc_123-xyz&locale=pl',
  expiresHours: '48',
};

for (const database of await testDatabases()) {
  describe(`mail on ${database.name}`, () => {
    let handle: DatabaseHandle;
    let db: Kysely<Database>;

    before(async () => {
      handle = await database.open();
      db = handle.db;
    });
    after(async () => {
      await handle.close();
    });

    it('sends a templated mail over SMTP and records it as sent', async () => {
      const smtp = await startListener();
      const mailer = createMailer(db, { smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, from: 'Revista <noreply@example.org>' });
      try {
        assert.equal(mailer.mode, 'smtp');
        const result = await sendTemplated(db, mailer, { to: 'anna@example.org', key: 'verify-email', locale: 'pl', journalId: null, variables: verifyVariables });
        assert.equal(result.status, 'sent');
        assert.equal(smtp.received.length, 1);
        const [arrived] = smtp.received;
        assert.deepEqual(arrived!.to, ['anna@example.org']);
        assert.equal(arrived!.from, 'noreply@example.org');
        const message = parseMessage(arrived!.raw);
        assert.equal(decodeHeader(message.headers.get('subject')!), 'Potwierdź adres e-mail w serwisie Sprawy Międzynarodowe');
        const text = decodeBody(message);
        assert.ok(text.includes(verifyVariables.link), `link not in body:\n${text}`);
        assert.match(text, /^Dzień dobry Zażółć Gęślą,/);
        assert.match(text, /przez 48 godz\./);

        const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
        assert.equal(row.status, 'sent');
        assert.equal(row.template, 'verify-email');
        assert.equal(row.to_address, 'anna@example.org');
        assert.equal(row.subject, 'Potwierdź adres e-mail w serwisie Sprawy Międzynarodowe');
        assert.ok(row.message_id, 'SMTP message id recorded');
        assert.equal(message.headers.get('message-id'), row.message_id);
        assert.ok(row.sent_at);
        assert.equal(row.error, null);
      } finally {
        await mailer.close();
        await smtp.close();
      }
    });

    it('stores a mail first and delivers it when asked; closing waits for a delivery under way', async () => {
      let release: () => void = () => {};
      const smtp = await startSmtpListener({ hold: new Promise<void>((resolve) => (release = resolve)) });
      const mailer = createMailer(db, { smtpUrl: smtp.url, from: 'noreply@example.org' });
      try {
        const id = await storeTemplated(db, { to: 'later@example.org', key: 'verify-email', locale: 'en', journalId: null, variables: verifyVariables });
        const stored = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        assert.equal(stored.status, 'stored');
        assert.equal(stored.subject, 'Confirm your email address for Sprawy Międzynarodowe');
        assert.equal(smtp.received.length, 0, 'nothing sent by storing');

        const delivery = mailer.deliver(id);
        const arrived = await smtp.next();
        assert.deepEqual(arrived.envelopeTo, ['later@example.org']);
        let closed = false;
        const closing = mailer.close().then(() => (closed = true));
        await sleep(300);
        assert.equal(closed, false, 'close waits while the SMTP server has not accepted the mail');
        release();
        assert.equal(await delivery, 'sent');
        await closing;
        assert.equal((await db.selectFrom('mail_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'sent');

        const again = createMailer(db, { smtpUrl: smtp.url, from: 'noreply@example.org' });
        assert.equal(await again.deliver(id), 'sent', 'a mail already sent is not sent twice');
        await again.close();
        assert.equal(smtp.received.length, 0);
        const outboxOnly = createMailer(db, { from: 'noreply@example.org' });
        const kept = await storeTemplated(db, { to: 'kept.later@example.org', key: 'verify-email', locale: 'en', journalId: null, variables: verifyVariables });
        assert.equal(await outboxOnly.deliver(kept), 'stored', 'without SMTP it stays in the outbox');
      } finally {
        release();
        await mailer.close();
        await smtp.close();
      }
    });

    it('keeps a mail the SMTP server refuses, as failed, without the password', async () => {
      const smtp = await startListener({ reject: true });
      const mailer = createMailer(db, { smtpUrl: `smtp://mailuser:s3cret-Pa55@127.0.0.1:${smtp.port}?ignoreTLS=true`, from: 'noreply@example.org' });
      try {
        const result = await mailer.send({ to: 'nobody@example.org', subject: 'Hello', text: 'Body', template: 'reset-password' });
        assert.equal(result.status, 'failed');
        const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
        assert.equal(row.status, 'failed');
        assert.equal(row.text_body, 'Body');
        assert.ok(row.error, 'error recorded');
        assert.doesNotMatch(row.error!, /s3cret-Pa55/);
        assert.equal(row.sent_at, null);
      } finally {
        await mailer.close();
        await smtp.close();
      }
    });

    it('keeps a mail as failed when nothing listens on the SMTP port, without the password', async () => {
      const port = await freePort();
      const mailer = createMailer(db, { smtpUrl: `smtp://mailuser:s3cret-Pa55@127.0.0.1:${port}`, from: 'noreply@example.org' });
      try {
        const result = await mailer.send({ to: 'closed@example.org', subject: 'Port closed', text: 'Body' });
        assert.equal(result.status, 'failed');
        const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
        assert.equal(row.status, 'failed');
        assert.match(row.error!, /ECONNREFUSED|connect/i);
        assert.doesNotMatch(row.error!, /s3cret/);
      } finally {
        await mailer.close();
      }
    });

    it('tries a mail that failed again later, through its job, and sends it once', async () => {
      const port = await freePort();
      const down = createMailer(db, { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'noreply@example.org' });
      const result = await down.send({ to: 'retry@example.org', subject: 'Retried', text: 'Body' });
      await down.close();
      assert.equal(result.status, 'failed');
      const job = await db.selectFrom('jobs').selectAll().where('key', '=', mailJobKey(result.id)).executeTakeFirstOrThrow();
      assert.equal(job.state, 'queued', 'queued again for a later try');
      assert.ok(new Date(job.run_at).getTime() > Date.now() + 30_000, 'not before about a minute');
      const smtp = await startSmtpListener();
      // The worker, a minute later, with the mail server back.
      const worker = createMailer(db, { smtpUrl: smtp.url, from: 'noreply@example.org' });
      try {
        const later = { now: () => new Date(Date.now() + 10 * 60_000) };
        const ran = await runJobsUntilIdle(db, worker.jobs, { clock: later });
        assert.ok(ran.done >= 1);
        // Mail stored earlier by this file's tests without SMTP goes too: a worker with SMTP sends what waits.
        assert.ok(smtp.received.some((m) => m.envelopeTo[0] === 'retry@example.org'));
        const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
        assert.equal(row.status, 'sent');
        assert.equal(row.error, null);
        assert.equal(await worker.deliver(result.id), 'sent');
        await runJobsUntilIdle(db, worker.jobs, { clock: later });
        assert.equal(smtp.received.filter((m) => m.envelopeTo[0] === 'retry@example.org').length, 1, 'sent once');
      } finally {
        await worker.close();
        await smtp.close();
      }
    });

    it('without SMTP_URL keeps mail in the outbox, where the administrator finds it', async () => {
      const mailer = createMailer(db, { from: 'noreply@example.org' });
      assert.equal(mailer.mode, 'outbox');
      const result = await sendTemplated(db, mailer, { to: 'kept@example.org', key: 'reset-password', locale: 'en', journalId: null, variables: { ...verifyVariables, name: 'Kept Person' } });
      assert.equal(result.status, 'stored');
      const later = await mailer.send({ to: 'later@example.org', subject: 'Second', text: 'Two' });
      await mailer.close();

      const found = await listOutbox(db, { limit: 10, offset: 0, search: 'KEPT@example' });
      assert.equal(found.total, 1);
      assert.equal(found.mail[0]!.id, result.id);
      assert.equal(found.mail[0]!.status, 'stored');
      assert.equal(found.mail[0]!.subject, 'Set a new password for Sprawy Międzynarodowe');
      assert.match(found.mail[0]!.text_body, /^Dear Kept Person,/);

      const all = await listOutbox(db, { limit: 2, offset: 0 });
      assert.ok(all.total >= 2);
      assert.equal(all.mail.length, 2);
      assert.equal(all.mail[0]!.id, later.id, 'newest first');
      const bySubject = await listOutbox(db, { limit: 10, offset: 0, search: 'set a new PASSWORD' });
      assert.ok(bySubject.mail.some((m) => m.id === result.id));
      const none = await listOutbox(db, { limit: 10, offset: 0, search: '100%_' });
      assert.equal(none.total, 0);
    });

    it('journal override beats site-wide beats built-in; reset removes an override; other locales fall back to en', async () => {
      const journalId = await addJournal(db, 'mail-overrides');
      const otherJournalId = await addJournal(db, 'mail-other');
      const ref = { journalId, key: 'reset-password' as const, locale: 'en' };

      const builtIn = await loadTemplate(db, ref);
      assert.deepEqual({ subject: builtIn.subject, body: builtIn.body }, builtInTemplates.en['reset-password']);
      assert.equal(builtIn.overridden, false);

      await saveTemplate(db, { journalId: null, key: 'reset-password', locale: 'en', subject: 'Site: {{siteName}}', body: 'Site body {{link}}' });
      assert.equal((await loadTemplate(db, ref)).subject, 'Site: {{siteName}}');
      assert.equal((await loadTemplate(db, ref)).source, 'site');

      await saveTemplate(db, { ...ref, subject: 'Journal: {{siteName}}', body: 'Journal body {{link}}' });
      assert.equal((await loadTemplate(db, ref)).subject, 'Journal: {{siteName}}');
      assert.equal((await loadTemplate(db, ref)).source, 'journal');
      assert.equal((await loadTemplate(db, { ...ref, journalId: otherJournalId })).subject, 'Site: {{siteName}}', 'another journal sees the site-wide wording');
      assert.equal((await loadTemplate(db, { ...ref, journalId: null })).subject, 'Site: {{siteName}}');
      assert.equal((await loadTemplate(db, { ...ref, locale: 'pl' })).subject, builtInTemplates.pl['reset-password'].subject, 'overrides are per locale');

      // Saving again replaces (both forms of the call), also for the site-wide row whose journal_id is NULL.
      await saveTemplate(db, ref, { subject: 'Journal v2', body: 'Journal body v2 {{link}}' });
      await saveTemplate(db, { journalId: null, key: 'reset-password', locale: 'en', subject: 'Site v2', body: 'Site body v2' });
      assert.equal((await loadTemplate(db, ref)).subject, 'Journal v2');
      assert.equal((await loadTemplate(db, { ...ref, journalId: null })).subject, 'Site v2');
      const rows = await db.selectFrom('mail_templates').select(['journal_id']).where('key', '=', 'reset-password').where('locale', '=', 'en').execute();
      assert.equal(rows.length, 2);

      const sent = await sendTemplated(db, createMailer(db, { from: 'noreply@example.org' }), { to: 'j@example.org', key: 'reset-password', locale: 'en', journalId, variables: { link: 'https://x.example/r' } });
      const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', sent.id).executeTakeFirstOrThrow();
      assert.equal(row.subject, 'Journal v2');
      assert.equal(row.text_body, 'Journal body v2 https://x.example/r');
      assert.equal(row.journal_id, journalId);

      await resetTemplate(db, ref);
      assert.equal((await loadTemplate(db, ref)).subject, 'Site v2');
      await resetTemplate(db, { ...ref, journalId: null });
      const back = await loadTemplate(db, ref);
      assert.equal(back.subject, builtInTemplates.en['reset-password'].subject);
      assert.equal(back.overridden, false);

      const german = await loadTemplate(db, { journalId, key: 'verify-email', locale: 'de' });
      assert.equal(german.subject, builtInTemplates.en['verify-email'].subject);
      await saveTemplate(db, { journalId, key: 'verify-email', locale: 'de', subject: 'Bitte bestätigen', body: '{{link}}' });
      assert.equal((await loadTemplate(db, { journalId, key: 'verify-email', locale: 'de' })).subject, 'Bitte bestätigen');
    });
  });
}

describe('mail templates', () => {
  it('removes line breaks from the subject (no header injection)', () => {
    const { subject, text } = renderTemplate({ subject: 'Hello {{name}}', body: 'Dear {{name}}' }, { name: 'Eve\r\nBcc: victim@example.org\nX-Evil: 1' });
    assert.doesNotMatch(subject, /[\r\n]/);
    assert.equal(subject, 'Hello Eve Bcc: victim@example.org X-Evil: 1');
    assert.match(text, /\r\n/, 'the body keeps what the value had');
    const { subject: unicode } = renderTemplate({ subject: '{{name}}', body: '' }, { name: 'a\u2028b\u0085c' });
    assert.equal(unicode, 'a b c');
  });

  it('never expands placeholders inside a value, and leaves unknown ones empty', () => {
    const { text } = renderTemplate({ subject: 's', body: '{{link}} / {{name}} / {{ missing }} / {{constructor}}' }, { link: 'https://x.example/?q={{name}}', name: 'Anna' });
    assert.equal(text, 'https://x.example/?q={{name}} / Anna /  / ');
    const { text: dollars } = renderTemplate({ subject: 's', body: '{{name}}' }, { name: "$& $1 $' $`" });
    assert.equal(dollars, "$& $1 $' $`");
  });

  it('reports empty, too long and unknown variables', () => {
    assert.deepEqual(validateTemplate('verify-email', 'Confirm {{siteName}}', 'Hi {{name}}, {{link}} ({{expiresHours}} h)'), []);
    const unknown = validateTemplate('verify-email', 'Confirm', 'Hello {{nmae}}: {{link}}');
    assert.equal(unknown.length, 1);
    assert.match(unknown[0]!, /\{\{nmae\}\}/);
    assert.equal(validateTemplate('role-assigned', '', 'x').length, 1);
    assert.match(validateTemplate('role-assigned', 'x'.repeat(201), 'x')[0]!, /200/);
    assert.deepEqual(validateTemplate('role-assigned', 'x'.repeat(200), '{{journalName}}'), []);
    assert.match(validateTemplate('password-changed', '{{link}}', 'x').join(' '), /\{\{link\}\}.*subject/);
  });

  it('has Polish and English wording for every template, with the same variables, all of them known', () => {
    for (const key of MAIL_TEMPLATE_KEYS) {
      const known = [...mailTemplateInfo[key].variables].sort();
      for (const locale of ['pl', 'en'] as const) {
        const template = builtInTemplates[locale][key];
        assert.ok(template, `${key} in ${locale}`);
        assert.ok(template.subject.trim() && template.body.trim(), `${key} in ${locale} has a subject and a body`);
        assert.deepEqual(validateTemplate(key, template.subject, template.body), [], `${key} in ${locale}`);
        const used = templateVariablesUsed(`${template.subject}\n${template.body}`).sort();
        assert.deepEqual(used, known, `${key} in ${locale} uses every listed variable`);
        assert.ok(mailTemplateInfo[key].description[locale], `${key} described in ${locale}`);
      }
    }
    for (const key of ['verify-email', 'reset-password', 'reset-password-no-account', 'change-email', 'email-changed', 'password-changed', 'account-deletion-requested', 'role-assigned'] as const) {
      assert.ok(MAIL_TEMPLATE_KEYS.includes(key));
    }
  });

  it('describes the mailer and redacts credentials without the password', () => {
    assert.equal(describeMailer(undefined), 'no SMTP_URL: mail is kept in the outbox, readable by the site administrator at /admin/outbox');
    const described = describeMailer('smtps://user:p%40ss@mail.example.org:465');
    assert.equal(described, 'SMTPS at mail.example.org:465 as user');
    assert.doesNotMatch(describeMailer('smtp://user:secret@mail.example.org'), /secret/);
    const smtpUrl = 'smtp://user:p%40ss@mail.example.org:587';
    const leaked = `connect to smtp://user:p%40ss@mail.example.org failed; p@ss; ${Buffer.from('\0user\0p@ss').toString('base64')}`;
    assert.doesNotMatch(redactSecrets(leaked, smtpUrl), /p@ss|p%40ss|AHVzZXIAcEBzcw/);
  });
});
