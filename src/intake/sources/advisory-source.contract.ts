/**
 * The shared suite every AdvisorySource passes (like Hono's `runTest({ newRouter })`), and the
 * test fixtures the adapters' own tests share: a zip builder and a loopback HTTP server.
 */
import { createWriteStream } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { UfError } from '../../core/errors.js';
import { contentHash } from '../osv/content-hash.js';
import type { AdvisorySource, ReadOptions, SourceEvent } from './types.js';

/** Three valid records (one withdrawn) and one the OSV schema rejects (no `modified`). */
export const contractRecords = {
  valid: [
    { id: 'GHSA-contract-0001', modified: '2024-01-01T00:00:00Z', aliases: ['CVE-2024-0001'], affected: [{ package: { ecosystem: 'npm', name: 'a' }, versions: ['1.0.0'] }] },
    { id: 'PYSEC-2024-0002', modified: '2024-01-02T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'B' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }] },
    { id: 'GHSA-contract-0003', modified: '2024-01-03T00:00:00Z', withdrawn: '2024-01-04T00:00:00Z', aliases: ['CVE-2024-0003'] },
  ],
  broken: { id: 'GHSA-contract-0004', summary: 'no modified timestamp' },
} as const;

/** Builds the source under test holding these records in its own medium (an array, files, entries…). */
export type SourceFactory = (records: readonly unknown[]) => Promise<AdvisorySource>;

export async function collect(source: AdvisorySource, options?: ReadOptions): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  for await (const event of source.read(options)) events.push(event);
  return events;
}

export function advisoriesOf(events: readonly SourceEvent[]) {
  return events.flatMap((event) => (event.type === 'advisory' ? [event.advisory] : []));
}

export function errorsOf(events: readonly SourceEvent[]): UfError[] {
  return events.flatMap((event) => (event.type === 'error' ? [event.error] : []));
}

export function runAdvisorySourceContract(label: string, makeSource: SourceFactory): void {
  describe(`${label} passes the AdvisorySource contract`, () => {
    const records = [contractRecords.valid[0], contractRecords.broken, contractRecords.valid[1], contractRecords.valid[2]];

    it('yields every valid record with the hash of its content, and the invalid one as an error', async () => {
      const source = await makeSource(records);
      const events = await collect(source);
      const advisories = advisoriesOf(events);
      expect(advisories.map((a) => a.id).sort()).toEqual(contractRecords.valid.map((r) => r.id).sort());
      for (const record of contractRecords.valid) {
        expect(advisories.find((a) => a.id === record.id)?.contentHash).toBe(contentHash(record));
      }
      const errors = errorsOf(events);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(UfError);
      expect(errors[0]).toMatchObject({ code: 'import_invalid', location: { record: 'GHSA-contract-0004', path: 'modified' } });
      expect(errors[0]?.location?.file).toBeTruthy();
      for (const event of events) expect(event.source).toBe(source.name);
    });

    it('yields a withdrawn record as withdrawn, with its aliases', async () => {
      const advisories = advisoriesOf(await collect(await makeSource(records)));
      expect(advisories.find((a) => a.id === 'GHSA-contract-0003')).toMatchObject({
        withdrawn: '2024-01-04T00:00:00Z',
        aliases: ['CVE-2024-0003'],
      });
    });

    it('reports progress that only grows and ends at its total', async () => {
      const calls: [number, number | undefined][] = [];
      await collect(await makeSource(records), { onProgress: (done, total) => calls.push([done, total]) });
      expect(calls.length).toBeGreaterThan(0);
      calls.forEach(([done], index) => expect(done).toBeGreaterThanOrEqual(calls[index - 1]?.[0] ?? 0));
      const [lastDone, lastTotal] = calls.at(-1) ?? [0, undefined];
      if (lastTotal !== undefined) expect(lastDone).toBe(lastTotal);
    });

    it('stops with the abort reason when the signal is aborted', async () => {
      const source = await makeSource(records);
      const controller = new AbortController();
      const reason = new Error('stop now');
      controller.abort(reason);
      await expect(collect(source, { signal: controller.signal })).rejects.toBe(reason);
    });

    it('can be read again, also after a reader stopped early, with the same result', async () => {
      const source = await makeSource(records);
      for await (const _event of source.read()) break;
      const first = await collect(source);
      const second = await collect(source);
      expect(advisoriesOf(second).map((a) => a.contentHash)).toEqual(advisoriesOf(first).map((a) => a.contentHash));
      expect(advisoriesOf(second)).toHaveLength(3);
    });
  });
}

/** Writes a zip archive of these entries (deflated), built with yazl, the companion of yauzl. */
export async function writeZip(file: string, entries: readonly { name: string; data: string | Buffer }[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.data), entry.name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request's path and headers, in order. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port; the handler answers each request. */
export async function startServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
