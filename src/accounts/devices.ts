import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../db/index.ts';
import { newToken } from './tokens.ts';

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
 * signed in to an account gets a signed, long-lived cookie naming that account. Wrong passwords from
 * it are throttled per device, apart from strangers' attempts, so nobody can lock the owner out of
 * their own browser. The cookie also carries a digest of the password hash: after a password change
 * (or a reset) every earlier device is a stranger again.
 */
export const DEVICE_COOKIE = 'revista_device';
const DEVICE_LIFETIME_S = 365 * 24 * 3600;

export interface KnownDevice {
  /** Random, per browser: the device's own throttle key. */
  id: string;
}

function passwordStamp(passwordHash: string | null): string {
  return createHash('sha256').update(passwordHash ?? '').digest('base64url').slice(0, 16);
}

/** The device this request comes from, when it signed in to `user` before with the password still in force. */
export function knownDevice(request: FastifyRequest, user: Pick<User, 'id' | 'password_hash'> | undefined): KnownDevice | undefined {
  const raw = request.cookies[DEVICE_COOKIE];
  if (!user || !raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const [userId, id, stamp] = unsigned.value.split('.');
  if (userId !== String(user.id) || !id || stamp !== passwordStamp(user.password_hash)) return undefined;
  return { id };
}

/** After a successful sign-in: the browser is (still) a known device of this account. */
export function rememberDevice(reply: FastifyReply, options: { secure: boolean }, user: Pick<User, 'id' | 'password_hash'>, device: KnownDevice | undefined): void {
  const value = `${user.id}.${device?.id ?? newToken()}.${passwordStamp(user.password_hash)}`;
  reply.setCookie(DEVICE_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: true, maxAge: DEVICE_LIFETIME_S });
}
