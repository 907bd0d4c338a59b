import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { access, accountsPlugin, accountsRules, SESSION_COOKIE, siteSecret } from './accounts/index.ts';
import { LOCALE_COOKIE } from './i18n/index.ts';
import { adminPlugin, adminRules } from './admin/index.ts';
import { apiPlugin } from './api/index.ts';
import { discoveryPlugin, searchPlugin, similarArticlesBlock } from './discovery/index.ts';
import { createCrossrefClient, type CrossrefClient } from './exports/index.ts';
import { createUsageRecorder, statsRules, sushiRoutes } from './stats/index.ts';
import { catalogRules, findJournal, type ContentChanges } from './catalog/index.ts';
import { systemClock, type Clock } from './clock.ts';
import { DEFAULT_TRUST_PROXY, type Config } from './config.ts';
import type { DatabaseHandle } from './db/index.ts';
import { healthPlugin } from './platform/http/health.ts';
import { createUploadSlots, frameworkErrorOptions, MANAGEMENT_BODY_LIMIT, createResponseCache, lazyRequestLogger, RequestLogs, registerBodyRules, serverWithResponseCache, registerHttpBasics, type UploadSlots } from './platform/http/index.ts';
import { ojsCompatibilityPlugin, ojsLegacyTarget } from './interop/ojs/index.ts';
import { registerRules } from './platform/policy/index.ts';
import { createPageFrame, registerPageFrame } from './platform/web/index.ts';
import { workflowPlugin, workflowRules } from './workflow/index.ts';
import { notificationsPlugin } from './notifications/index.ts';
import { readerPlugin } from './reader/index.ts';
import { createMailer, type Mailer } from './mail/index.ts';
import type { FileStore } from './storage/index.ts';
import { assetsPlugin } from './ui/index.ts';

export interface AppDeps {
  config: Pick<Config, 'baseUrl' | 'pageCache'> & Partial<Pick<Config, 'secretKey' | 'mailFrom' | 'trustProxy' | 'oaiPageSize' | 'crossrefUrl' | 'disposableEmailDomains'>>;
  database: DatabaseHandle;
  files: FileStore;
  changes: ContentChanges;
  /** Outgoing mail; without one, mail is only kept in the outbox. */
  mailer?: Mailer;
  /** Crossref's deposit service; tests pass a client of a local server speaking its protocol. */
  crossref?: CrossrefClient;
  /** The real clock unless a test needs to move time (throttling, link expiry). */
  clock?: Clock;
  /** Fastify's logger settings; tests pass `false`. */
  logger?: FastifyServerOptions['logger'];
  /** One log line per answered request (config `ACCESS_LOG`); on unless turned off. */
  accessLog?: boolean;
  /** How many uploads are read at once, per person and in all (http/bodies.ts); tests pass small ones. */
  uploadSlots?: UploadSlots;
}

/** The whole web application; each capability is one plugin. */
/** Who may do what: every capability's rules, each declared in its own policy.ts (platform/policy). */
export function registerPolicies(): void {
  registerRules(accountsRules, adminRules, catalogRules, statsRules, workflowRules);
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  registerPolicies();
  const https = deps.config.baseUrl.startsWith('https:');
  const trustProxy = deps.config.trustProxy ?? DEFAULT_TRUST_PROXY;
  const accessLog = deps.accessLog !== false;
  // Whole answers to readers without a session, sent before the routes (public pages offer theirs).
  const responses = createResponseCache({ changes: deps.changes, enabled: deps.config.pageCache, trustProxy, sessionCookie: SESSION_COOKIE, localeCookie: LOCALE_COOKIE });
  const app = Fastify({
    serverFactory: serverWithResponseCache(responses),
    logger: deps.logger ?? false,
    genReqId: () => randomUUID(),
    // Requests are logged once, when answered (or not at all with ACCESS_LOG=off), not twice.
    logController: new RequestLogs({ accessLog }),
    childLoggerFactory: lazyRequestLogger,
    trustProxy,
    return503OnClosing: true,
    ...frameworkErrorOptions({ https }),
  });
  const db = deps.database.db;
  const clock = deps.clock ?? systemClock;
  const mailer = deps.mailer ?? createMailer(db, { from: deps.config.mailFrom ?? 'Revista <noreply@localhost>' });
  // The page frame every capability's pages stand in; its error pages answer for the whole app.
  const frame = createPageFrame({ db, changes: deps.changes, baseUrl: deps.config.baseUrl, pageCache: deps.config.pageCache, findJournal: (path) => findJournal(db, path), legacyTarget: (url) => ojsLegacyTarget(db, url), responses });
  registerPageFrame(app, frame);
  registerHttpBasics(app, { https, pages: frame.errorPages });
  await app.register(cookie, { secret: await siteSecret(db, 'cookie-signing', deps.config.secretKey) });
  // After the cookie plugin: its onSend hook writes Set-Cookie, which a kept answer must see.
  responses.attach(app, { accessLog });
  // Each route's own body limit (http/bodies.ts) applies; these are only the parsers' ceilings.
  await app.register(formbody, { bodyLimit: MANAGEMENT_BODY_LIMIT });
  // An image one byte over its limit is kept that long (not refused mid-form), so the form can say so in words.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', throwFileSizeLimit: false, limits: { fileSize: 10 * 1024 * 1024, files: 5, fields: 200 } });
  // Who asks and whether they may (access) is settled before the body rules read anything.
  await app.register(access, { db, clock, secret: await siteSecret(db, 'csrf', deps.config.secretKey), https });
  registerBodyRules(app, deps.uploadSlots ?? createUploadSlots());

  await app.register(assetsPlugin);
  await app.register(healthPlugin, { db: deps.database.db, kind: deps.database.kind });
  await app.register(ojsCompatibilityPlugin, { db, files: deps.files });
  await app.register(accountsPlugin, { db, mailer, clock, baseUrl: deps.config.baseUrl, https, ...(deps.config.disposableEmailDomains ? { disposableEmailDomains: deps.config.disposableEmailDomains } : {}) });
  await app.register(discoveryPlugin, { db, changes: deps.changes, baseUrl: deps.config.baseUrl, secret: await siteSecret(db, 'oai-resumption', deps.config.secretKey), oaiPageSize: deps.config.oaiPageSize ?? 100 });
  const crossrefUrl = deps.config.crossrefUrl ?? 'https://test.crossref.org';
  const crossref = deps.crossref ?? createCrossrefClient({ baseUrl: crossrefUrl });
  await app.register(adminPlugin, { db, files: deps.files, mailer, clock, baseUrl: deps.config.baseUrl, crossref, crossrefUrl });
  const usage = createUsageRecorder(db, { clock });
  // Events still waiting for their group commit are written before the database closes.
  app.addHook('onClose', async () => usage.close());
  await app.register(async (scope) => sushiRoutes(scope, { db, clock }));
  await app.register(readerPlugin, { usage, db: deps.database.db, baseUrl: deps.config.baseUrl, files: deps.files, frame, similarArticles: (ctx, articleId) => similarArticlesBlock(db, ctx, articleId) });
  await app.register(workflowPlugin, { db, files: deps.files, clock, baseUrl: deps.config.baseUrl });
  await app.register(notificationsPlugin, { db, clock });
  await app.register(apiPlugin, { db, clock, baseUrl: deps.config.baseUrl, files: deps.files });
  await app.register(searchPlugin, { db, files: deps.files, changes: deps.changes, frame });
  return app;
}
