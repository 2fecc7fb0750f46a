import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleTree, emptyRoot, leafHash, verifyConsistency, verifyInclusion } from '../../src/audit/merkle.js';

// RFC 6962 / Certificate Transparency reference data (the leaves and roots every CT library tests with).
const ctLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ctRoots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

// An independent, naive transcription of RFC 6962 §2.1, straight from its recursive definitions.
const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  return sha(Buffer.from([1]), mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}
const proof = (m: number, d: Buffer[]): Buffer[] => (m === 0 || m === d.length ? [] : subproof(m, d, true));

const hex = (b: Buffer): string => b.toString('hex');
const data = Array.from({ length: 20 }, (_, i) => Buffer.from(`entry ${i} ${'x'.repeat(i)}`));
const tree = new MerkleTree(data.map((d) => leafHash(d)));

describe('Merkle tree (RFC 6962)', () => {
  it('has the empty-tree hash SHA-256("") and the reference roots for 1..8 leaves', () => {
    expect(hex(emptyRoot)).toBe(ctRoots[0]);
    expect(hex(new MerkleTree([]).root())).toBe(ctRoots[0]);
    const ct = new MerkleTree(ctLeaves.map((l) => leafHash(l)));
    for (let n = 0; n <= 8; n++) expect(hex(ct.root(n)), `size ${n}`).toBe(ctRoots[n]);
  });

  it('proves the reference inclusion paths of the CT test data', () => {
    const ct = new MerkleTree(ctLeaves.map((l) => leafHash(l)));
    expect(ct.inclusionProof(0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('agrees with the naive definitions for every root, inclusion path and consistency proof up to 20 leaves', () => {
    for (let n = 0; n <= 20; n++) {
      const d = data.slice(0, n);
      expect(hex(tree.root(n))).toBe(hex(mth(d)));
      for (let m = 0; m < n; m++) {
        const p = tree.inclusionProof(m, n);
        expect(p.map(hex), `path ${m} in ${n}`).toEqual(path(m, d).map(hex));
        expect(verifyInclusion(tree.leaf(m), m, n, p, tree.root(n))).toBe(true);
        // The wrong leaf or the wrong index never verifies.
        expect(verifyInclusion(leafHash('forged'), m, n, p, tree.root(n))).toBe(false);
        if (n > 1) expect(verifyInclusion(tree.leaf(m), (m + 1) % n, n, p, tree.root(n))).toBe(false);
      }
      for (let m = 0; m <= n; m++) {
        const c = tree.consistencyProof(m, n);
        expect(c.map(hex), `consistency ${m} -> ${n}`).toEqual(proof(m, d).map(hex));
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), c), `verify ${m} -> ${n}`).toBe(true);
        if (m > 0 && m < n) {
          // A different older root (a rewritten prefix) or a tampered proof element is caught.
          expect(verifyConsistency(m, n, leafHash('other'), tree.root(n), c)).toBe(false);
          const bad = c.map((h, i) => (i === c.length - 1 ? leafHash('tampered') : h));
          expect(verifyConsistency(m, n, tree.root(m), tree.root(n), bad)).toBe(false);
          expect(verifyConsistency(m, n, tree.root(m), tree.root(n), c.slice(0, -1))).toBe(false);
        }
      }
    }
  });

  it('does not prove a rewritten prefix consistent with the new tree', () => {
    const rewritten = new MerkleTree(data.map((d, i) => leafHash(i === 6 ? Buffer.from('rewritten') : d)));
    for (let m = 7; m <= 20; m++) {
      expect(verifyConsistency(m, 20, tree.root(m), rewritten.root(20), rewritten.consistencyProof(m, 20))).toBe(false);
    }
  });

  it('splits the root into its frontier of complete subtrees', () => {
    const parts = tree.frontier(13);
    expect(parts.map((p) => [p.start, p.size])).toEqual([[0, 8], [8, 4], [12, 1]]);
    expect(hex(parts[0]!.hash)).toBe(hex(mth(data.slice(0, 8))));
    expect(hex(parts[2]!.hash)).toBe(hex(mth(data.slice(12, 13))));
    expect(tree.frontier(0)).toEqual([]);
  });
});
