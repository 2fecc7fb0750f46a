import { describe, expect, it } from 'vitest';
import { TailBuffer } from './tail-buffer.js';

describe('TailBuffer', () => {
  it('keeps everything under the limit, unmarked', () => {
    const buffer = new TailBuffer(10);
    buffer.push(Buffer.from('abc'));
    buffer.push(Buffer.from('defghij'));
    expect(buffer.text()).toBe('abcdefghij');
    expect(buffer.dropped).toBe(0);
  });

  it('keeps the last bytes and marks how many were cut', () => {
    const buffer = new TailBuffer(4);
    for (const part of ['hello ', 'wor', 'ld', '!']) buffer.push(Buffer.from(part));
    expect(buffer.text()).toBe('…[cut 8 bytes]\nrld!');
    expect(buffer.dropped).toBe(8);
  });

  it('holds at most the limit plus one chunk however much is pushed', () => {
    const buffer = new TailBuffer(100);
    const chunk = Buffer.alloc(64, 'x');
    for (let i = 0; i < 10_000; i += 1) buffer.push(chunk);
    const held = (buffer as unknown as { size: number }).size;
    expect(held).toBeLessThan(100 + 64);
    expect(buffer.text()).toBe(`…[cut ${640_000 - 100} bytes]\n${'x'.repeat(100)}`);
  });

  it('never starts the kept text inside a UTF-8 character', () => {
    const buffer = new TailBuffer(5);
    buffer.push(Buffer.from('ééé')); // 6 bytes: the cut falls inside the first é
    expect(buffer.text()).toBe('…[cut 2 bytes]\néé');
  });
});
