import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Signed checkpoints in the transparency-log checkpoint format (C2SP tlog-checkpoint) wrapped in
 * a signed note (C2SP signed-note), as Go's sumdb, Sigstore's Rekor and Trillian publish them:
 *
 *     <origin>
 *     <tree size>
 *     <root hash, base64>
 *     time <ISO-8601 UTC>            (extension lines, covered by the signature)
 *     frontier <start> <size> <base64 subtree hash>
 *
 *     — <key name> <base64(4-byte key id || Ed25519 signature)>
 *
 * The frontier lines (the complete subtrees the root is made of) let a verifier say which range
 * of entries a rewrite touched, not only that the root differs.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  time: string;
  frontier: { start: number; size: number; hash: Buffer }[];
}

export interface SignedCheckpoint {
  checkpoint: Checkpoint;
  /** The signed body (everything before the blank line, with its final newline). */
  body: string;
  signatures: { name: string; keyId: Buffer; signature: Buffer }[];
  text: string;
}

const ed25519Alg = 0x01;

export class CheckpointError extends Error {}

export function checkpointBody(c: Checkpoint): string {
  const lines = [c.origin, String(c.size), c.root.toString('base64'), `time ${c.time}`, ...c.frontier.map((f) => `frontier ${f.start} ${f.size} ${f.hash.toString('base64')}`)];
  return lines.join('\n') + '\n';
}

/** The raw 32-byte Ed25519 public key of a key pair's public (or private) half. */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new CheckpointError('the key is not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** The signed-note key id: the first 4 bytes of SHA-256(name || "\n" || 0x01 || public key). */
export function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name).update('\n').update(Buffer.from([ed25519Alg])).update(publicKey).digest().subarray(0, 4);
}

/** The verifier key as one line, `<name>+<key id hex>+<base64(0x01 || key)>` (Go's note.Verifier text). */
export function verifierKeyText(name: string, key: KeyObject): string {
  const raw = rawPublicKey(key);
  return `${name}+${keyIdOf(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ed25519Alg]), raw]).toString('base64')}`;
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  key: KeyObject;
}

/** Reads a verifier key line (or an SPKI PEM public key, which then takes `fallbackName`). */
export function parseVerifierKey(text: string, fallbackName?: string): VerifierKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const key = createPublicKey(trimmed);
    if (key.asymmetricKeyType !== 'ed25519') throw new CheckpointError(`the PEM key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519`);
    if (!fallbackName) throw new CheckpointError('a PEM public key carries no name; use the .pub verifier key line that `uf log keygen` writes');
    return { name: fallbackName, keyId: keyIdOf(fallbackName, rawPublicKey(key)), key };
  }
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(trimmed);
  if (!match) throw new CheckpointError('expected a verifier key line NAME+KEYID+BASE64KEY (as written by `uf log keygen`)');
  const bytes = Buffer.from(match[3]!, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ed25519Alg) throw new CheckpointError('the verifier key is not an Ed25519 key (algorithm byte 0x01 and 32 key bytes)');
  const raw = bytes.subarray(1);
  const keyId = keyIdOf(match[1]!, raw);
  if (keyId.toString('hex') !== match[2]) throw new CheckpointError(`the verifier key's id ${match[2]} does not match its name and key (expected ${keyId.toString('hex')})`);
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { name: match[1]!, keyId, key };
}

export function readPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new CheckpointError(`the private key is ${key.asymmetricKeyType ?? 'of an unknown type'}, not Ed25519`);
  return key;
}

export function signCheckpoint(c: Checkpoint, name: string, privateKey: KeyObject): SignedCheckpoint {
  if (/[\s+]/.test(name) || name === '') throw new CheckpointError(`key name '${name}' must be non-empty without spaces or '+'`);
  const body = checkpointBody(c);
  const keyId = keyIdOf(name, rawPublicKey(privateKey));
  const signature = sign(null, Buffer.from(body), privateKey);
  const text = `${body}\n— ${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
  return { checkpoint: c, body, signatures: [{ name, keyId, signature }], text };
}

/** Parses a signed checkpoint; throws CheckpointError naming the line that is wrong. */
export function parseCheckpoint(text: string): SignedCheckpoint {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new CheckpointError('no blank line between the checkpoint and its signatures');
  const body = text.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError('a checkpoint needs at least 3 lines: origin, tree size, root hash');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (!/^\d{1,15}$/.test(sizeText)) throw new CheckpointError(`line 2: tree size '${sizeText}' is not a decimal number`);
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32) throw new CheckpointError('line 3: the root hash is not 32 bytes of base64');
  let time = '';
  const frontier: Checkpoint['frontier'] = [];
  extensions.forEach((line, i) => {
    const timeMatch = /^time (\S+)$/.exec(line);
    if (timeMatch) time = timeMatch[1]!;
    const part = /^frontier (\d+) (\d+) (\S+)$/.exec(line);
    if (part) {
      const hash = Buffer.from(part[3]!, 'base64');
      if (hash.length !== 32) throw new CheckpointError(`line ${i + 4}: the frontier hash is not 32 bytes of base64`);
      frontier.push({ start: Number(part[1]), size: Number(part[2]), hash });
    }
  });
  const signatures: SignedCheckpoint['signatures'] = [];
  for (const line of text.slice(split + 2).split('\n')) {
    if (line === '') continue;
    const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new CheckpointError(`signature line '${line.slice(0, 40)}' is not '— NAME BASE64'`);
    const bytes = Buffer.from(match[2]!, 'base64');
    if (bytes.length !== 4 + 64) throw new CheckpointError(`the signature by ${match[1]} is not a 4-byte key id and a 64-byte Ed25519 signature`);
    signatures.push({ name: match[1]!, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) });
  }
  if (signatures.length === 0) throw new CheckpointError('the checkpoint carries no signature');
  return { checkpoint: { origin, size: Number(sizeText), root, time, frontier }, body, signatures, text };
}

/** True when one of the checkpoint's signatures is by `key` and verifies over its body. */
export function checkSignature(signed: SignedCheckpoint, key: VerifierKey): { ok: true } | { ok: false; problem: string } {
  const mine = signed.signatures.filter((s) => s.name === key.name && s.keyId.equals(key.keyId));
  if (mine.length === 0) return { ok: false, problem: `no signature by key ${key.name}+${key.keyId.toString('hex')} (signed by ${signed.signatures.map((s) => s.name).join(', ')})` };
  const good = mine.some((s) => verify(null, Buffer.from(signed.body), key.key, s.signature));
  return good ? { ok: true } : { ok: false, problem: `the signature by ${key.name} does not verify: the checkpoint was altered or signed by another key` };
}
