/**
 * Keeps the last `limit` bytes of a stream (the end is where a failing test or build says what
 * went wrong), counting what it let go. Memory stays at `limit` plus one chunk however much is
 * written: whole chunks are dropped from the front as soon as the rest covers the limit, and the
 * cut inside the first kept chunk is made only when the text is read.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private droppedBytes = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    for (let first = this.chunks[0]; first !== undefined && this.size - first.length >= this.limit; first = this.chunks[0]) {
      this.chunks.shift();
      this.size -= first.length;
      this.droppedBytes += first.length;
    }
  }

  /** Bytes written that the kept text does not hold. */
  get dropped(): number {
    return this.cut().dropped;
  }

  /** The kept end as text, marked `…[cut N bytes]` at the start when anything was let go. */
  text(): string {
    const { kept, dropped } = this.cut();
    return dropped === 0 ? kept : `${cutMarker(dropped)}${kept}`;
  }

  private cut(): { kept: string; dropped: number } {
    const all = Buffer.concat(this.chunks);
    let start = Math.max(0, all.length - this.limit);
    // A cut inside a UTF-8 character would show as a replacement glyph: start at the next whole one.
    if (this.droppedBytes > 0 || start > 0) while (start < all.length && isContinuationByte(all[start] ?? 0)) start += 1;
    return { kept: all.subarray(start).toString('utf8'), dropped: this.droppedBytes + start };
  }
}

/** The mark put before kept output when its start was dropped. */
export function cutMarker(droppedBytes: number): string {
  return `…[cut ${droppedBytes} bytes]\n`;
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}
