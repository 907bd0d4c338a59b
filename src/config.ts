import fs from 'node:fs';
import path from 'node:path';

/** Everything Revista reads from the environment, checked once at start. */
export interface Config {
  port: number;
  host: string;
  /** Root for the embedded database (`db/`) and stored files (`files/`). */
  dataDir: string;
  /** PostgreSQL server; when absent the embedded PGlite database under `dataDir/db` is used. */
  databaseUrl: string | undefined;
  /** Public address of the site, used for absolute links (canonical URLs, feeds, exports). */
  baseUrl: string;
  logLevel: string;
  /** One log line per answered request (ACCESS_LOG, on by default); off when the reverse proxy keeps the access log. */
  accessLog: boolean;
  /** Cache rendered public pages in memory (invalidated on every catalog change). */
  pageCache: boolean;
  /** SMTP server for outgoing mail (`smtp://user:pass@host:587`); without it mail stays in the outbox. */
  smtpUrl: string | undefined;
  /** The From address of outgoing mail. */
  mailFrom: string;
  /** Key for signing cookies and form tokens; when absent one is generated and kept in the database. */
  secretKey: string | undefined;
  /**
   * Which direct peers may tell the client's address and scheme (X-Forwarded-For/-Proto): by default
   * only a proxy on this machine. Not every private address: behind a Docker-style gateway every
   * client arrives from a private address and could then pose as any other, getting fresh
   * per-address throttles with each made-up one.
   */
  trustProxy: string | boolean;
  /**
   * Mail domains refused at registration and for a new address (disposable mailboxes, subdomains
   * included), lower-cased: from DISPOSABLE_EMAIL_DOMAINS (a file, or `off`), else
   * DATA_DIR/disposable-email-domains.txt when it exists, else the short built-in list.
   */
  disposableEmailDomains: readonly string[];
  /** Records per OAI-PMH ListRecords/ListIdentifiers page. */
  oaiPageSize: number;
  /** Crossref's deposit service: the test system unless set to https://doi.crossref.org. */
  crossrefUrl: string;
  /** Whether the server parses, in the background, references written without a parse (imports, SQL). */
  referenceParsing: boolean;
  /** Whether an empty database gets the demo journal on first start (SEED_DEMO=off: an empty site). */
  seedDemo: boolean;
  /** The first administrator, created on the first start (ADMIN_EMAIL, ADMIN_PASSWORD; else a generated password). */
  firstAdministrator: { email: string | undefined; password: string | undefined };
  /** What this process does (SERVICES, default both): `web` serves pages, `worker` runs the job queue. */
  services: Services;
}

export interface Services {
  web: boolean;
  worker: boolean;
}

export const DEFAULT_TRUST_PROXY = 'loopback';

/** The file in DATA_DIR that replaces the built-in list of disposable mail domains. */
export const DISPOSABLE_DOMAINS_FILE = 'disposable-email-domains.txt';

/**
 * A few long-lived disposable mail services, as a start: a site that wants a full list puts one in
 * DATA_DIR/disposable-email-domains.txt (community lists have thousands of lines).
 */
export const BUILT_IN_DISPOSABLE_DOMAINS: readonly string[] = [
  'mailinator.com',
  'guerrillamail.com',
  'sharklasers.com',
  '10minutemail.com',
  'yopmail.com',
  'temp-mail.org',
  'trashmail.com',
  'dispostable.com',
  'maildrop.cc',
  'getnada.com',
];

export class ConfigError extends Error {}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`PORT must be a number between 0 and 65535, got "${value}"`);
  }
  return Number(value);
}

function parseBaseUrl(value: string | undefined, port: number): string {
  const raw = value && value !== '' ? value : `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`BASE_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`BASE_URL must start with http:// or https://, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//.test(value)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return value;
}

function parseSmtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^smtps?:\/\/[^\s]+$/.test(value)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL, like smtp://user:password@mail.example.org:587');
  return value;
}

function parseSecretKey(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 32) throw new ConfigError('SECRET_KEY must be at least 32 characters long (or unset, and Revista keeps a generated one in the database)');
  return value;
}

function parseCrossrefUrl(value: string | undefined): string {
  if (value === undefined || value === '') return 'https://test.crossref.org';
  if (!/^https?:\/\/[^\s/]+(:\d+)?\/?$/.test(value)) throw new ConfigError(`CROSSREF_URL must be the address of a Crossref deposit service, like https://doi.crossref.org, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function parsePageSize(value: string | undefined): number {
  if (value === undefined || value === '') return 100;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1000) throw new ConfigError(`OAI_PAGE_SIZE must be a number from 1 to 1000, got "${value}"`);
  return Number(value);
}

function parseTrustProxy(value: string | undefined): string | boolean {
  if (value === undefined || value === '') return DEFAULT_TRUST_PROXY;
  if (value === 'true' || value === 'false') return value === 'true';
  if (!/^[0-9a-fA-F.:/,\s a-z]+$/.test(value)) throw new ConfigError('TRUST_PROXY must be true, false, or a comma-separated list of addresses, subnets, or the words loopback, linklocal, uniquelocal');
  return value;
}

/** One domain a line; `#` starts a comment; blank lines and a leading `@` or `*.` are ignored. */
export function parseDomainList(text: string, source: string): string[] {
  const domains: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim().toLowerCase().replace(/^(\*\.|@)/, '');
    if (line === '') return;
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(line)) {
      throw new ConfigError(`${source}, line ${index + 1}: "${raw.trim().slice(0, 100)}" is not a mail domain (one domain a line, # for comments)`);
    }
    domains.push(line);
  });
  return domains;
}

function readDomainFile(file: string, source: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${source}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseDomainList(text, file);
}

function loadDisposableDomains(value: string | undefined, dataDir: string): readonly string[] {
  if (value === 'off') return [];
  if (value !== undefined && value !== '') return readDomainFile(path.resolve(value), 'DISPOSABLE_EMAIL_DOMAINS');
  const inDataDir = path.join(dataDir, DISPOSABLE_DOMAINS_FILE);
  return fs.existsSync(inDataDir) ? readDomainFile(inDataDir, 'DATA_DIR') : BUILT_IN_DISPOSABLE_DOMAINS;
}

function parseServices(value: string | undefined): Services {
  if (value === undefined || value.trim() === '') return { web: true, worker: true };
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => n !== 'web' && n !== 'worker');
  if (unknown.length > 0 || names.length === 0) throw new ConfigError(`SERVICES must be web, worker or web,worker, got "${value}"`);
  return { web: names.includes('web'), worker: names.includes('worker') };
}

function parseOnOff(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new ConfigError(`${name} must be on or off, got "${value}"`);
}

/**
 * The process's environment: read here only (a test fails when another file reads it), so every
 * setting Revista takes is in Config, or passed on from here as the CLI's settings are.
 */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = processEnvironment()): Config {
  const port = parsePort(env.PORT, 3000);
  const dataDir = path.resolve(env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data');
  return {
    port,
    host: env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0',
    dataDir,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    baseUrl: parseBaseUrl(env.BASE_URL, port),
    logLevel: env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info',
    accessLog: parseOnOff(env.ACCESS_LOG, 'ACCESS_LOG', true),
    pageCache: env.PAGE_CACHE !== 'off',
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM && env.MAIL_FROM !== '' ? env.MAIL_FROM : `Revista <noreply@${new URL(parseBaseUrl(env.BASE_URL, port)).hostname}>`,
    secretKey: parseSecretKey(env.SECRET_KEY),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    disposableEmailDomains: loadDisposableDomains(env.DISPOSABLE_EMAIL_DOMAINS, dataDir),
    oaiPageSize: parsePageSize(env.OAI_PAGE_SIZE),
    crossrefUrl: parseCrossrefUrl(env.CROSSREF_URL),
    referenceParsing: parseOnOff(env.REFERENCE_PARSING, 'REFERENCE_PARSING', true),
    services: parseServices(env.SERVICES),
    seedDemo: env.SEED_DEMO !== 'off',
    firstAdministrator: { email: env.ADMIN_EMAIL || undefined, password: env.ADMIN_PASSWORD || undefined },
  };
}

/** Shows where the database lives without leaking a password from DATABASE_URL. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded PGlite in ${path.join(config.dataDir, 'db')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
