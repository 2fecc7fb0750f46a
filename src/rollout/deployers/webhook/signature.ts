import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a callback is signed in: `X-UF-Signature: sha256=<hex of HMAC-SHA256(secret, raw body)>`. */
export const signatureHeader = 'x-uf-signature';

/** The header value for `rawBody` signed with `secret`, as a CD system computes it. */
export function signCallback(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Whether `header` is the signature of `rawBody` under `secret`. The bytes are compared in constant
 * time, so an attacker learns nothing from how long a wrong guess takes.
 */
export function verifySignature(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
