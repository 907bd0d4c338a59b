import argon2 from 'argon2';
import os from 'node:os';
import { ServiceBusyError } from '../platform/http/index.ts';

/** OWASP's argon2id minimum (19 MiB, 2 passes) raised to 64 MiB / 3 passes, argon2's defaults. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

/**
 * Hashing a password is the most expensive thing a stranger can ask of the server (a fifth of a second
 * of a core and 64 MiB), and sign-ins from many addresses at once dodge every per-address limit. So
 * hashes run a few at a time — one core's worth is left to readers — and only a short queue waits;
 * beyond it the request is refused at once (503, Retry-After) instead of starving every page.
 */
export const HASHES_AT_ONCE = Math.max(1, os.availableParallelism() - 1);
export const HASHES_WAITING = 16;

let running = 0;
const waiting: Array<() => void> = [];

async function gated<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASHES_AT_ONCE) {
    if (waiting.length >= HASHES_WAITING) throw new ServiceBusyError(5);
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line (running stays the same), or is given back.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return gated(() => argon2.hash(password, OPTIONS));
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    // Same work for an account without a password (or none at all), so timing reveals nothing.
    const dummy = await dummyHash;
    await gated(() => argon2.verify(dummy, password)).catch((error: unknown) => {
      if (error instanceof ServiceBusyError) throw error;
      return false;
    });
    return false;
  }
  try {
    return await gated(() => argon2.verify(hash, password));
  } catch (error) {
    if (error instanceof ServiceBusyError) throw error;
    return false;
  }
}

const dummyHash = argon2.hash('revista: no such account', OPTIONS);
