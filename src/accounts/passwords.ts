import argon2 from 'argon2';

/** OWASP's argon2id minimum (19 MiB, 2 passes) raised to 64 MiB / 3 passes, argon2's defaults. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    // Same work for an account without a password (or none at all), so timing reveals nothing.
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

const dummyHash = argon2.hash('revista: no such account', OPTIONS);
