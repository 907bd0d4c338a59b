import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { equalInConstantTime, hmac, siteSecret } from '../../accounts/index.ts';
import type { Database } from '../../db/index.ts';

/**
 * The accept and decline links of a review request's mail (issue 20). They work without signing in,
 * so each is:
 * - signed (HMAC with a site secret over everything it says),
 * - single-purpose (an accept link cannot decline, and neither opens anything else),
 * - expiring (two weeks after the answer was due: a late yes is still welcome),
 * - spent by use: it carries the request's `link_nonce`, which answering (or a resent request) renews.
 *
 * Opening a link only shows the request; the answer is a POST from that page, so a mail scanner that
 * follows links answers nothing.
 */

export type LinkPurpose = 'accept' | 'decline';

/** How long after the answer's due date a link still works. */
export const LINK_GRACE_MS = 14 * 24 * 3600_000;

export const LINK_SECRET = 'review-links';

export function newLinkNonce(): string {
  return randomBytes(12).toString('base64url');
}

export function linkExpiry(responseDue: Date): Date {
  return new Date(responseDue.getTime() + LINK_GRACE_MS);
}

export function signReviewLink(secret: string, link: { reviewId: number; purpose: LinkPurpose; expiresAt: Date; nonce: string }): string {
  const body = `${link.reviewId}.${link.purpose}.${Math.floor(link.expiresAt.getTime() / 1000)}.${link.nonce}`;
  return `${body}.${hmac(secret, `review-link:${body}`)}`;
}

export type LinkCheck =
  | { ok: true; reviewId: number; purpose: LinkPurpose; nonce: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'expired' };

/** Reads a link's token: whether its signature holds, for which purpose, and whether it is still in time. */
export function readReviewLink(secret: string, token: string, purpose: LinkPurpose, now: Date): LinkCheck {
  if (token.length > 300) return { ok: false, reason: 'invalid' };
  const parts = token.split('.');
  if (parts.length !== 5) return { ok: false, reason: 'invalid' };
  const [id, tokenPurpose, expires, nonce, signature] = parts as [string, string, string, string, string];
  if (!/^\d{1,10}$/.test(id) || !/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{1,40}$/.test(nonce)) return { ok: false, reason: 'invalid' };
  const body = `${id}.${tokenPurpose}.${expires}.${nonce}`;
  if (!equalInConstantTime(signature, hmac(secret, `review-link:${body}`))) return { ok: false, reason: 'invalid' };
  if (tokenPurpose !== purpose) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(Number(expires) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, reviewId: Number(id), purpose, nonce, expiresAt };
}

/** The key the links are signed with: made once and kept in the database, so every process signs alike. */
export function reviewLinkSecret(db: Kysely<Database>): Promise<string> {
  return siteSecret(db, LINK_SECRET);
}

/** The page a link opens: `/{journal}/reviewer/respond/{purpose}?token=…`. */
export function reviewLinkUrl(baseUrl: string, journalPath: string, purpose: LinkPurpose, token: string): string {
  return `${baseUrl}/${encodeURIComponent(journalPath)}/reviewer/respond/${purpose}?token=${encodeURIComponent(token)}`;
}
