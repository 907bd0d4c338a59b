import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUILT_IN_DISPOSABLE_DOMAINS, ConfigError, describeDatabase, DISPOSABLE_DOMAINS_FILE, loadConfig } from './config.ts';

const SRC = import.meta.dirname;

describe('configuration from the environment', () => {
  it('has defaults for the two-command start', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.baseUrl, 'http://localhost:3000');
  });

  it('reads PORT, DATA_DIR, DATABASE_URL and BASE_URL', () => {
    const config = loadConfig({ PORT: '8080', DATA_DIR: '/srv/revista', DATABASE_URL: 'postgres://u:secret@db:5432/revista', BASE_URL: 'https://journals.example.org/' });
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, '/srv/revista');
    assert.equal(config.databaseUrl, 'postgres://u:secret@db:5432/revista');
    assert.equal(config.baseUrl, 'https://journals.example.org');
  });

  it('refuses values that cannot work, saying which', () => {
    assert.throws(() => loadConfig({ PORT: '70000' }), ConfigError);
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must be a postgres/);
    assert.throws(() => loadConfig({ BASE_URL: 'ftp://x' }), /BASE_URL must start with http/);
    assert.throws(() => loadConfig({ BASE_URL: 'not a url' }), /BASE_URL must be an absolute/);
  });

  it('never shows the database password when describing where data lives', () => {
    const text = describeDatabase({ databaseUrl: 'postgres://u:secret@db:5433/revista', dataDir: '/d' });
    assert.equal(text, 'PostgreSQL at db:5433/revista');
    assert.equal(describeDatabase({ databaseUrl: undefined, dataDir: '/d' }), 'embedded PGlite in /d/db');
  });

  it('reads mail, secret and proxy settings, and refuses bad ones with a clear message', () => {
    const config = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.org:587', SECRET_KEY: 'x'.repeat(40), TRUST_PROXY: '10.0.0.1, loopback' });
    assert.equal(config.smtpUrl, 'smtp://u:p@mail.example.org:587');
    assert.equal(config.trustProxy, '10.0.0.1, loopback');
    // Only a proxy on this machine by default: behind a Docker-style gateway every client comes from a private address.
    assert.equal(loadConfig({}).trustProxy, 'loopback');
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.match(loadConfig({}).mailFrom, /^Revista <noreply@localhost>$/);
    assert.throws(() => loadConfig({ SMTP_URL: 'mail.example.org' }), (e: unknown) => e instanceof ConfigError && /SMTP_URL must be an smtp:\/\//.test(e.message));
    assert.throws(() => loadConfig({ SECRET_KEY: 'short' }), (e: unknown) => e instanceof ConfigError && /at least 32 characters/.test(e.message));
    assert.throws(() => loadConfig({ TRUST_PROXY: 'everyone!' }), ConfigError);
  });

  it('parses references in the background unless REFERENCE_PARSING is off, and refuses other words', () => {
    assert.equal(loadConfig({}).referenceParsing, true);
    assert.equal(loadConfig({ REFERENCE_PARSING: 'off' }).referenceParsing, false);
    assert.throws(() => loadConfig({ REFERENCE_PARSING: 'no' }), (e: unknown) => e instanceof ConfigError && /REFERENCE_PARSING must be on or off/.test(e.message));
  });

  it('serves pages and runs jobs unless SERVICES says one of them, and refuses other words', () => {
    assert.deepEqual(loadConfig({}).services, { web: true, worker: true });
    assert.deepEqual(loadConfig({ SERVICES: 'worker' }).services, { web: false, worker: true });
    assert.deepEqual(loadConfig({ SERVICES: ' web , worker ' }).services, { web: true, worker: true });
    assert.deepEqual(loadConfig({ SERVICES: 'web' }).services, { web: true, worker: false });
    assert.throws(() => loadConfig({ SERVICES: 'web,mailer' }), (e: unknown) => e instanceof ConfigError && /SERVICES must be web, worker or web,worker, got "web,mailer"/.test(e.message));
  });

  it('reads the disposable mail domains from DATA_DIR or DISPOSABLE_EMAIL_DOMAINS, or keeps the built-in list', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'revista-config-'));
    try {
      assert.deepEqual(loadConfig({ DATA_DIR: dataDir }).disposableEmailDomains, BUILT_IN_DISPOSABLE_DOMAINS);
      assert.ok(BUILT_IN_DISPOSABLE_DOMAINS.includes('mailinator.com'));
      assert.deepEqual(loadConfig({ DATA_DIR: dataDir, DISPOSABLE_EMAIL_DOMAINS: 'off' }).disposableEmailDomains, []);
      fs.writeFileSync(path.join(dataDir, DISPOSABLE_DOMAINS_FILE), '# our list\nThrowaway.Example\n\n@burner.example  # with a comment\n*.wild.example\n');
      assert.deepEqual(loadConfig({ DATA_DIR: dataDir }).disposableEmailDomains, ['throwaway.example', 'burner.example', 'wild.example']);
      const elsewhere = path.join(dataDir, 'other.txt');
      fs.writeFileSync(elsewhere, 'one.example\nnot a domain\n');
      assert.throws(() => loadConfig({ DATA_DIR: dataDir, DISPOSABLE_EMAIL_DOMAINS: elsewhere }), (e: unknown) => e instanceof ConfigError && /other\.txt, line 2: "not a domain" is not a mail domain/.test(e.message));
      assert.throws(() => loadConfig({ DATA_DIR: dataDir, DISPOSABLE_EMAIL_DOMAINS: path.join(dataDir, 'missing.txt') }), (e: unknown) => e instanceof ConfigError && /DISPOSABLE_EMAIL_DOMAINS: cannot read .*missing\.txt \(ENOENT\)/.test(e.message));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the environment is read in one place', () => {
  it('reads the first administrator and the demo switch into the configuration', () => {
    assert.deepEqual(loadConfig({}).firstAdministrator, { email: undefined, password: undefined });
    assert.equal(loadConfig({}).seedDemo, true);
    const config = loadConfig({ ADMIN_EMAIL: 'boss@example.org', ADMIN_PASSWORD: 'long enough secret', SEED_DEMO: 'off' });
    assert.deepEqual(config.firstAdministrator, { email: 'boss@example.org', password: 'long enough secret' });
    assert.equal(config.seedDemo, false);
    // Set but empty (a compose file's `ADMIN_EMAIL=`): as if unset.
    assert.deepEqual(loadConfig({ ADMIN_EMAIL: '', ADMIN_PASSWORD: '' }).firstAdministrator, { email: undefined, password: undefined });
  });

  it('has no file under src/ but config.ts read process.env (tests aside)', () => {
    const readers: string[] = [];
    const visit = (directory: string) => {
      for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        const file = path.join(directory, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && file !== path.join(SRC, 'config.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          if (/\bprocess\s*(\.\s*env\b|\[\s*['"`]env['"`]\s*\])/.test(text)) readers.push(path.relative(SRC, file));
        }
      }
    };
    visit(SRC);
    assert.deepEqual(readers, [], `read settings through config.ts (Config, or processEnvironment for the CLI), not in: ${readers.join(', ')}`);
  });
});
