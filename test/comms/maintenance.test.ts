import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { maintenanceFeed, noteTemplates } from '../../src/app/notifications.js';
import { buildRoot, type AppRoot } from '../../src/app/root.js';
import type { UfError } from '../../src/core/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { fixedClock } from '../../src/core/clock.js';
import { maintenanceNote } from '../../src/governance/maintenance/note.js';
import { renderHtml, renderMarkdown } from '../../src/governance/maintenance/render.js';
import { createToken } from '../../src/store/repos/tokens.js';
import { upgradeAtCompat } from '../helpers/upgrades.js';

describe('maintenance notes and their Atom feed, served over HTTP', () => {
  let dir: string;
  let root: AppRoot;
  let app: FastifyInstance;
  let base: string;
  let viewer: string;
  let upgradeId: string;
  let internalUpgrade: string;
  const clock = fixedClock('2026-12-01T09:00:00.000Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-maint-'));
    writeFileSync(
      join(dir, 'factory.yaml'),
      [
        'version: 1',
        'name: shop & co',
        'maintenance:',
        '  services:',
        '    checkout: { displayName: "Checkout <script>alert(1)</script> & Pay", sla: { availability: 99.95, period: 30d } }',
        '    ledger: { customerFacing: false }',
        '  feed: { title: "Shop <status>" }',
        '',
      ].join('\n'),
    );
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }), env: {} });
    upgradeId = await upgradeAtCompat(root.store, { clock, service: 'checkout' });
    internalUpgrade = await upgradeAtCompat(root.store, { clock, service: 'ledger', name: 'left-pad' });
    viewer = (await createToken(root.store, { name: 'status-page', role: 'viewer', actor: 'user:setup' })).secret;
    app = await buildServer({ store: root.store, config: root.loaded.config, loaded: root.loaded, root });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await root?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, token = viewer) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('renders the note with the SLA impact, escaped in Markdown and HTML', async () => {
    const note = await maintenanceNote(root.store.db, root.loaded.config.maintenance, upgradeId);
    expect(note.services.map((s) => s.service)).toEqual(['checkout']);
    // 0.05% of 30 days is 21m36s; the default backout time (15m) is 69.4% of it.
    expect(note.services[0]!.slaImpact).toContain('SLA 99.95% over 30d allows 21m36s of downtime');
    expect(note.services[0]!.slaImpact).toContain('(15m until a rollback completes) would use 69.4% of it');
    const html = renderHtml(note);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Checkout &lt;script&gt;alert(1)&lt;/script&gt; &amp; Pay');
    expect(renderMarkdown(note)).toContain('Checkout \\<script\\>alert\\(1\\)\\</script\\> & Pay');
    await expect(maintenanceNote(root.store.db, root.loaded.config.maintenance, internalUpgrade)).rejects.toThrow(/touches no customer-facing service/);
  });

  it('serves a valid Atom feed with stable entry ids to a viewer token, and nothing without a token', async () => {
    const response = await get('/api/v1/maintenance/feed.atom');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const feed = await response.text();
    expect(feed.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(feed).toContain('<id>urn:upgrade-factory:shop%20%26%20co:maintenance</id>');
    expect(feed).toContain('<title>Shop &lt;status&gt;</title>');
    const entries = feed.match(/<entry>/g) ?? [];
    expect(entries.length).toBe(1); // ledger is not customer-facing
    const updated = /<feed[^]*?<updated>([^<]+)<\/updated>/.exec(feed)?.[1];
    expect(updated).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Raw markup never appears inside the XML, only its escaped form (twice escaped inside the HTML content).
    expect(feed).not.toContain('<script>');
    expect(feed).toContain('&amp;lt;script&amp;gt;');
    const ids = (text: string) => [...text.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1]);
    clock.advance(3_600_000);
    const again = await (await get('/api/v1/maintenance/feed.atom')).text();
    expect(ids(again)).toEqual(ids(feed));
    expect(ids(feed)[0]).toMatch(/^urn:upgrade-factory:shop%20%26%20co:maintenance:chg_\w+$/);
    expect((await fetch(`${base}/api/v1/maintenance/feed.atom`)).status).toBe(401);
  });

  it('serves the HTML note and the (empty) delivery log to every role', async () => {
    const html = await get(`/api/v1/maintenance/notes/${upgradeId}?format=html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<h1>Planned maintenance: Checkout &lt;script&gt;');
    expect((await get(`/api/v1/maintenance/notes/${internalUpgrade}`)).status).toBe(404);
    const log = await get('/api/v1/notifications/deliveries?limit=5');
    expect(log.status).toBe(200);
    expect(await log.json()).toEqual({ items: [] });
  });
});

describe('maintenance notes from the factory own templates', () => {
  let dir: string;
  let root: AppRoot;
  let upgradeId: string;
  const clock = fixedClock('2026-12-01T09:00:00.000Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-maint-tpl-'));
    writeFileSync(join(dir, 'note.md.mustache'), ['## {{title}}', 'Wartung von {{start}} bis {{end}}.', '{{#services}}', '* {{name}} ({{service}}){{^sla}}: kein SLA hinterlegt{{/sla}}', '{{/services}}', 'Ref {{reference}} / {{upgrade}}', ''].join('\n'));
    writeFileSync(join(dir, 'note.html.mustache'), ['<html><body>', '<h1 class="status">{{title}}</h1>', '<p>{{#services}}{{name}} {{/services}}</p>', '</body></html>', ''].join('\n'));
    writeFileSync(
      join(dir, 'factory.yaml'),
      ['version: 1', 'maintenance:', '  services:', '    checkout: { displayName: "Kasse <b>" }', '  templates: { markdown: note.md.mustache, html: note.html.mustache }', ''].join('\n'),
    );
    root = await buildRoot(loadConfig(join(dir, 'factory.yaml')), { clock, logger: pino({ level: 'silent' }), env: {} });
    upgradeId = await upgradeAtCompat(root.store, { clock, service: 'checkout' });
  });
  afterAll(async () => {
    await root?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the Markdown, the HTML and the feed entry in the template wording, values escaped per format', async () => {
    const templates = noteTemplates(root.loaded);
    expect(templates.sources.markdown).toBe(join(dir, 'note.md.mustache'));
    const note = await maintenanceNote(root.store.db, root.loaded.config.maintenance, upgradeId);
    const markdown = renderMarkdown(note, templates);
    expect(markdown).toContain('## Planned maintenance: Kasse \\<b\\>');
    expect(markdown).toContain(`Wartung von ${note.plannedStart} bis ${note.plannedEnd}.`);
    expect(markdown).toContain('* Kasse \\<b\\> (checkout): kein SLA hinterlegt');
    // Underscores are Markdown emphasis: ids come out escaped, and render as written.
    expect(markdown).toContain(`Ref ${note.changeId.replace('_', '\\_')} / ${upgradeId.replace('_', '\\_')}`);
    expect(renderHtml(note, templates)).toContain('<h1 class="status">Planned maintenance: Kasse &lt;b&gt;</h1>');
    const feed = await maintenanceFeed(root);
    expect(feed).toContain('&lt;h1 class=&quot;status&quot;&gt;');
    expect(feed).not.toContain('We are upgrading');
  });

  it('refuses a template file that is missing or not Mustache, naming the key and the file', () => {
    writeFileSync(join(dir, 'broken.mustache'), 'Hello {{#services}}{{name}}\n');
    const broken = { ...root.loaded, config: { ...root.loaded.config, maintenance: { ...root.loaded.config.maintenance, templates: { html: 'broken.mustache' } } } };
    expect(() => noteTemplates(broken)).toThrow(/not a valid Mustache template: Unclosed section "services"/);
    try {
      noteTemplates(broken);
    } catch (error) {
      expect((error as UfError).describe()).toContain(`${join(dir, 'broken.mustache')}: maintenance.templates.html`);
    }
    const missing = { ...broken, config: { ...broken.config, maintenance: { ...broken.config.maintenance, templates: { markdown: 'nope.mustache' } } } };
    expect(() => noteTemplates(missing)).toThrow(/cannot read the markdown template \(ENOENT\)/);
  });
});
