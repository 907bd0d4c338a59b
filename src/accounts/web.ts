import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { Mailer } from '../mail/index.ts';
import { QueryParameter } from '../platform/web/index.ts';

/** The query of an account link (`?token=…`): the first token counts when a link repeats it. */
export const tokenQuery = Type.Object({ token: Type.Optional(QueryParameter) });

/** What the account routes need, passed in once. */
export interface AccountDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  clock: Clock;
  /** Public address of the site, for links in mail. */
  baseUrl: string;
  https: boolean;
  /** Mail domains refused for an account's address (config `disposableEmailDomains`); the built-in list when absent. */
  disposableEmailDomains?: readonly string[];
}

/** The account routes' dependencies, with what the plugin adds once for all of them. */
export interface AccountContext extends AccountDeps {
  /** Sends mail already in the outbox once the page has been answered (see `deliverAfterReply`). */
  deliverAfterReply(request: FastifyRequest, outboxId: number): void;
  /** True when the address is at a refused (disposable) mail domain or a subdomain of one. */
  isDisposable(email: string): boolean;
}

/**
 * Mail written to the outbox during a request is delivered after the answer has gone, so nobody
 * waits for the SMTP server and the time of an answer says nothing about what was sent. The outbox
 * row is the durable record (written before the answer); the delivery's outcome lands there too.
 * Closing the app waits for deliveries under way.
 */
export function deliverAfterReply(app: FastifyInstance, mailer: Mailer): AccountContext['deliverAfterReply'] {
  const waiting = new WeakMap<FastifyRequest, number[]>();
  const underWay = new Set<Promise<unknown>>();
  app.addHook('onResponse', async (request) => {
    const ids = waiting.get(request);
    if (!ids) return;
    waiting.delete(request);
    for (const id of ids) {
      const delivery = mailer.deliver(id).catch((error: unknown) => request.log.error({ err: error, outboxId: id }, 'mail delivery failed'));
      underWay.add(delivery);
      void delivery.finally(() => underWay.delete(delivery));
    }
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...underWay]);
  });
  return (request, outboxId) => {
    const ids = waiting.get(request) ?? [];
    ids.push(outboxId);
    waiting.set(request, ids);
  };
}

/** The matcher for refused mail domains: the domain itself and any subdomain of it. */
export function disposableDomainCheck(domains: readonly string[]): (email: string) => boolean {
  const refused = new Set(domains.map((d) => d.toLowerCase()));
  return (email) => {
    const labels = (email.split('@').at(-1) ?? '').toLowerCase().split('.');
    for (let i = 0; i < labels.length - 1; i++) if (refused.has(labels.slice(i).join('.'))) return true;
    return false;
  };
}
