import { createHash } from 'node:crypto';

/**
 * The operation log as a Merkle tree with RFC 6962 (and RFC 9162) hashing: leaves are
 * SHA-256(0x00 || entry bytes), interior nodes SHA-256(0x01 || left || right), and a tree of n
 * leaves splits at k, the largest power of two below n. Proofs and their checks follow the RFC's
 * algorithms, so any Certificate Transparency verifier can check what this file produces.
 */

export const emptyRoot = createHash('sha256').digest();

export function leafHash(bytes: Uint8Array | string): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(bytes).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * A tree over leaf hashes. Complete power-of-two blocks are hashed once, bottom up, so the hash
 * of any range the RFC's recursion asks for costs O(log n) and a proof O(log² n).
 */
export class MerkleTree {
  /** levels[l][i]: the hash of leaves [i·2^l, (i+1)·2^l), for complete blocks only. */
  private readonly levels: Buffer[][];

  constructor(leaves: readonly Buffer[]) {
    this.levels = [[...leaves]];
    for (let level = this.levels[0]!; level.length > 1; ) {
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
      this.levels.push(up);
      level = up;
    }
  }

  get size(): number {
    return this.levels[0]!.length;
  }

  leaf(index: number): Buffer {
    this.check(index + 1, 'leaf index');
    return this.levels[0]![index]!;
  }

  /** MTH(D[0:size]); the whole tree by default. */
  root(size = this.size): Buffer {
    this.check(size, 'tree size');
    return size === 0 ? emptyRoot : this.range(0, size);
  }

  /** PATH(index, D[0:size]): the audit path of one leaf (0-based) in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.size): Buffer[] {
    this.check(size, 'tree size');
    if (index < 0 || index >= size) throw new RangeError(`leaf index ${index} is outside a tree of ${size} leaves`);
    const path: Buffer[] = [];
    const walk = (m: number, lo: number, hi: number): void => {
      if (hi - lo === 1) return;
      const k = splitPoint(hi - lo);
      if (m < k) {
        walk(m, lo, lo + k);
        path.push(this.range(lo + k, hi));
      } else {
        walk(m - k, lo + k, hi);
        path.push(this.range(lo, lo + k));
      }
    };
    walk(index, 0, size);
    return path;
  }

  /** PROOF(m, D[0:n]): what proves the tree of m leaves is a prefix of the tree of n leaves. */
  consistencyProof(m: number, n = this.size): Buffer[] {
    this.check(n, 'tree size');
    if (m < 0 || m > n) throw new RangeError(`cannot prove size ${m} consistent with the smaller size ${n}`);
    if (m === 0 || m === n) return [];
    const proof: Buffer[] = [];
    const sub = (mm: number, lo: number, hi: number, complete: boolean): void => {
      if (mm === hi - lo) {
        if (!complete) proof.push(this.range(lo, hi));
        return;
      }
      const k = splitPoint(hi - lo);
      if (mm <= k) {
        sub(mm, lo, lo + k, complete);
        proof.push(this.range(lo + k, hi));
      } else {
        sub(mm - k, lo + k, hi, false);
        proof.push(this.range(lo, lo + k));
      }
    };
    sub(m, 0, n, true);
    return proof;
  }

  /**
   * The complete subtrees whose hashes make up the root of `size` leaves, left to right (the
   * tree's frontier). A checkpoint that carries them lets a verifier narrow a rewrite down to one.
   */
  frontier(size = this.size): { start: number; size: number; hash: Buffer }[] {
    this.check(size, 'tree size');
    const parts: { start: number; size: number; hash: Buffer }[] = [];
    let start = 0;
    for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
      if (size & bit) {
        parts.push({ start, size: bit, hash: this.range(start, start + bit) });
        start += bit;
      }
    }
    return parts;
  }

  /** MTH(D[lo:hi]) for 0 <= lo < hi <= size, from the stored complete blocks. */
  private range(lo: number, hi: number): Buffer {
    const width = hi - lo;
    if ((width & (width - 1)) === 0 && lo % width === 0) return this.levels[Math.log2(width)]![lo / width]!;
    const k = splitPoint(width);
    return nodeHash(this.range(lo, lo + k), this.range(lo + k, hi));
  }

  private check(size: number, what: string): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size) throw new RangeError(`${what} ${size} is outside a tree of ${this.size} leaves`);
  }
}

/** RFC 9162 §2.1.3.2: does `path` prove the leaf at `index` is in the tree of `size` with `root`? */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (m, mRoot) is a prefix of the tree (n, nRoot)? */
export function verifyConsistency(m: number, n: number, mRoot: Uint8Array, nRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || m > n) return false;
  if (m === n) return proof.length === 0 && Buffer.from(mRoot).equals(nRoot);
  if (m === 0) return proof.length === 0 && Buffer.from(mRoot).equals(emptyRoot);
  const path = (m & (m - 1)) === 0 ? [mRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(mRoot) && sr.equals(nRoot);
}
