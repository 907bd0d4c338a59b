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
   * only proxies on this machine or a private network, so a client on the internet cannot pose as
   * another address (which would dodge per-address sign-in throttling).
   */
  trustProxy: string | boolean;
  /** Records per OAI-PMH ListRecords/ListIdentifiers page. */
  oaiPageSize: number;
  /** Crossref's deposit service: the test system unless set to https://doi.crossref.org. */
  crossrefUrl: string;
  /** Whether the server parses, in the background, references written without a parse (imports, SQL). */
  referenceParsing: boolean;
}

export const DEFAULT_TRUST_PROXY = 'loopback, linklocal, uniquelocal';

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

function parseOnOff(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new ConfigError(`${name} must be on or off, got "${value}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT, 3000);
  return {
    port,
    host: env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data'),
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    baseUrl: parseBaseUrl(env.BASE_URL, port),
    logLevel: env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info',
    pageCache: env.PAGE_CACHE !== 'off',
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: env.MAIL_FROM && env.MAIL_FROM !== '' ? env.MAIL_FROM : `Revista <noreply@${new URL(parseBaseUrl(env.BASE_URL, port)).hostname}>`,
    secretKey: parseSecretKey(env.SECRET_KEY),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    oaiPageSize: parsePageSize(env.OAI_PAGE_SIZE),
    crossrefUrl: parseCrossrefUrl(env.CROSSREF_URL),
    referenceParsing: parseOnOff(env.REFERENCE_PARSING, 'REFERENCE_PARSING', true),
  };
}

/** Shows where the database lives without leaking a password from DATABASE_URL. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded PGlite in ${path.join(config.dataDir, 'db')}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
