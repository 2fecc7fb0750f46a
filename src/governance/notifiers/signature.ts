import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying a payload's signature, Stripe style: `t=UNIX_SECONDS,v1=HEX`. */
export const signatureHeader = 'x-uf-signature';

/** HMAC-SHA256 of `${t}.${body}` with the target's secret: binding the time stops replays of old payloads. */
export function signPayload(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * For receivers: checks an `X-UF-Signature` header against the raw request body (the exact bytes,
 * before any JSON parsing) and the shared secret. Refuses a timestamp further than
 * `toleranceSeconds` (default 300) from `nowSeconds`, so a captured request cannot be replayed
 * later. Several `v1=` values (during a secret rotation) are accepted if any matches.
 */
export function verifySignature(secret: string, header: string | undefined, body: string, options: { nowSeconds: number; toleranceSeconds?: number }): SignatureCheck {
  if (!header) return { ok: false, reason: 'no X-UF-Signature header' };
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const t = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key, value]) => key === 'v1' && value !== undefined).map(([, value]) => value!);
  if (t === undefined || !/^\d+$/.test(t)) return { ok: false, reason: 'the header has no t=UNIX_SECONDS' };
  if (signatures.length === 0) return { ok: false, reason: 'the header has no v1= signature' };
  const timestamp = Number(t);
  if (Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) return { ok: false, reason: 'the timestamp is outside the tolerance (a replay, or a clock far off)' };
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  const match = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return match ? { ok: true, timestamp } : { ok: false, reason: 'no signature matches the body and the secret' };
}

function hmac(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}
