import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startStack, type Stack } from './helpers.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const mib = 1024 * 1024;

/** A body of `size` pseudo-random bytes, produced in 1 MiB chunks as it is read. */
function generatedBody(size: number): { stream: Readable; sha256: Promise<string> } {
  const hash = createHash('sha256');
  let left = size;
  let seed = 7;
  const stream = new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const chunk = Buffer.alloc(Math.min(mib, left));
      for (let i = 0; i < chunk.length; i += 4) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        chunk.writeUInt32LE(seed, i);
      }
      left -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: new Promise((resolve) => stream.on('end', () => resolve(hash.digest('hex')))) };
}

describe('streaming', () => {
  it('streams a 32 MiB upload to the upstream and its echo back, byte for byte', async () => {
    const body = generatedBody(32 * mib);
    const response = await request(`${stack.proxy.url}/echo`, { method: 'POST', body: body.stream, headers: { 'content-type': 'application/octet-stream' }, dispatcher: client });
    expect(response.statusCode).toBe(200);
    const received = createHash('sha256');
    let length = 0;
    for await (const chunk of response.body) {
      received.update(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    expect(length).toBe(32 * mib);
    expect(received.digest('hex')).toBe(await body.sha256);
  });

  it('streams a 64 MiB download intact', async () => {
    const response = await request(`${stack.proxy.url}/bytes?size=${64 * mib}`, { dispatcher: client });
    let length = 0;
    let ordered = true;
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      for (let i = 0; i < buffer.length; i += 4099) if (buffer[i] !== ((length + i) % (64 * 1024)) % 256) ordered = false;
      length += buffer.length;
    }
    expect(response.statusCode).toBe(200);
    expect(length).toBe(64 * mib);
    expect(ordered).toBe(true);
  });

  it('passes a response on as it comes (the first MiB of a 4 GiB body), and stops the upstream when the client goes', async () => {
    const response = await request(`${stack.proxy.url}/bytes?size=${4 * 1024 * mib}`, { dispatcher: client });
    let length = 0;
    for await (const chunk of response.body) {
      length += (chunk as Buffer).length;
      if (length >= mib) break;
    }
    expect(length).toBeGreaterThanOrEqual(mib);
    await expect.poll(() => stack.proxy.control.stats().variants.stable.inFlight).toBe(0);
  });
});

describe('a client that gives up mid-upload', () => {
  it('is not counted as an upstream failure, and leaves nothing in flight', async () => {
    const before = stack.proxy.control.stats().variants.stable.total.upstreamErrors;
    let sent = 0;
    const body = new Readable({
      read() {
        sent++;
        if (sent <= 4) this.push(Buffer.alloc(256 * 1024, 1));
        else setTimeout(() => this.destroy(new Error('client gave up')), 50);
      },
    });
    await expect(request(`${stack.proxy.url}/echo`, { method: 'POST', body, dispatcher: client }).then((r) => r.body.text())).rejects.toThrow();
    await expect.poll(() => stack.proxy.control.stats().variants.stable.inFlight).toBe(0);
    expect(stack.proxy.control.stats().variants.stable.total.upstreamErrors).toEqual(before);
  });
});

describe('WebSocket passthrough', () => {
  it('passes the upgrade and messages both ways to the version the request was routed to', async () => {
    stack.proxy.control.setWeight(100);
    const socket = new WebSocket(`${stack.proxy.url.replace('http', 'ws')}/ws`);
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => {
        socket.send('hello');
        socket.send('x'.repeat(70_000));
      });
      socket.on('message', (data: Buffer) => {
        messages.push(data.toString());
        if (messages.length === 2) resolve();
      });
      socket.on('error', reject);
    });
    expect(messages[0]).toBe('v2:hello');
    expect(messages[1]).toBe(`v2:${'x'.repeat(70_000)}`);
    expect(stack.proxy.control.stats().variants.canary.websocketsOpen).toBe(1);
    socket.close();
    await new Promise((resolve) => socket.on('close', resolve));
    await expect.poll(() => stack.proxy.control.stats().variants.canary.websocketsOpen).toBe(0);
    stack.proxy.control.setWeight(0);
  });

  it('relays an upstream that refuses the upgrade', async () => {
    const socket = new WebSocket(`${stack.proxy.url.replace('http', 'ws')}/not-a-socket`);
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });
});
