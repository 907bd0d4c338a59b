/**
 * A ROR id (https://ror.org/about/faqs: a leading 0, six Crockford base32 characters, and a two-digit
 * ISO/IEC 7064 MOD 97-10 checksum of their value), given bare or as a URL; returns the URL form
 * `https://ror.org/0xxxxxxxx`, or null when the input is not one.
 */
export function normaliseRor(input: string): string | null {
  const match = /^\s*(?:https?:\/\/(?:www\.)?ror\.org\/)?(0[0-9a-hjkmnp-tv-z]{6})(\d{2})\s*$/i.exec(input);
  if (!match) return null;
  const body = match[1]!.toLowerCase();
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let value = 0n;
  for (const char of body) value = value * 32n + BigInt(alphabet.indexOf(char));
  const checksum = 98n - ((value * 100n) % 97n);
  return checksum === BigInt(match[2]!) ? `https://ror.org/${body}${match[2]}` : null;
}
