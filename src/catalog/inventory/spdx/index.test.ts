import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importSpdx } from './index.js';
import { catchUfError } from '../../../../test/helpers/errors.js';
import { sharedData } from '../../../../test/helpers/shared-data.js';

const spdx = sharedData('sbom/spdx');

function importFile(name: string) {
  const text = readFileSync(spdx.path(name), 'utf8');
  return importSpdx(JSON.parse(text), { file: name, text });
}

describe.skipIf(!spdx.available)(`SPDX 2.3 examples${spdx.skipNote}`, () => {
  it('example 11 (Cargo): the described source package is the subject, its three dependencies are direct', () => {
    const inventory = importFile('example11.sbom.spdx.json');
    expect(inventory).toMatchObject({ format: 'spdx', formatVersion: 'SPDX-2.3', skipped: [] });
    expect(inventory.subject).toEqual({
      name: 'hello-server-src',
      version: '0.1.0',
      purl: 'pkg:deb/debian/libselinux1-dev@3.1-3',
    });
    expect(inventory.components).toEqual([
      { purl: 'pkg:cargo/hyper@0.14', ecosystem: 'crates.io', name: 'hyper', version: '0.14', direct: true, scope: 'runtime' },
      { purl: 'pkg:cargo/tokio@1.19.2', ecosystem: 'crates.io', name: 'tokio', version: '1.19.2', direct: true, scope: 'runtime' },
      {
        purl: 'pkg:cargo/pretty_env_logger@0.4.0',
        ecosystem: 'crates.io',
        name: 'pretty_env_logger',
        version: '0.4.0',
        direct: true,
        scope: 'runtime',
      },
    ]);
  });

  it('example 8 (Maven): no package carries a purl, so all five dependencies are skipped with the reason', () => {
    const inventory = importFile('example8.examplemaven-0.0.1.spdx.json');
    expect(inventory.subject).toEqual({ name: 'examplemaven', version: '0.0.1' });
    expect(inventory.components).toEqual([]);
    expect(inventory.skipped.map((entry) => entry.record)).toEqual([
      'SPDXRef-junit',
      'SPDXRef-log4jslf4jbinding',
      'SPDXRef-log4jslf4jApi',
      'SPDXRef-log4jApi',
      'SPDXRef-log4jImpl',
    ]);
    expect(inventory.skipped[0]?.reason).toMatch(/^no purl/);
  });
});

const purlRef = (purl: string, category = 'PACKAGE-MANAGER') => ({
  externalRefs: [{ referenceCategory: category, referenceType: 'purl', referenceLocator: purl }],
});
const pkg = (id: string, purl?: string) => ({ SPDXID: id, name: id, ...(purl ? purlRef(purl) : {}) });
const rel = (from: string, type: string, to: string) => ({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });

describe('SPDX relationships', () => {
  const doc = {
    spdxVersion: 'SPDX-2.2',
    SPDXID: 'SPDXRef-DOCUMENT',
    packages: [
      pkg('app', 'pkg:npm/app@1.0.0'),
      pkg('lib', 'pkg:npm/lib@1.0.0'),
      pkg('deep', 'pkg:npm/deep@1.0.0'),
      pkg('test-tool', 'pkg:npm/test-tool@1.0.0'),
      pkg('test-helper', 'pkg:npm/test-helper@1.0.0'),
      pkg('opt', 'pkg:npm/opt@1.0.0'),
      pkg('shared', 'pkg:npm/shared@1.0.0'),
      { SPDXID: 'old', name: 'old', ...purlRef('pkg:npm/old@1.0.0', 'PACKAGE_MANAGER') },
    ],
    relationships: [
      rel('SPDXRef-DOCUMENT', 'DESCRIBES', 'app'),
      rel('app', 'DEPENDS_ON', 'lib'),
      rel('deep', 'DEPENDENCY_OF', 'lib'),
      rel('test-tool', 'TEST_DEPENDENCY_OF', 'app'),
      rel('test-tool', 'DEPENDS_ON', 'test-helper'),
      rel('opt', 'OPTIONAL_DEPENDENCY_OF', 'app'),
      rel('test-tool', 'DEPENDS_ON', 'shared'),
      rel('lib', 'STATIC_LINK', 'shared'),
      rel('old', 'DEV_DEPENDENCY_OF', 'app'),
    ],
  };

  it('decides direct from what the described package needs, and dev or optional along the paths', () => {
    const inventory = importSpdx(doc, { file: 'doc.spdx.json' });
    expect(inventory.subject).toEqual({ name: 'app', purl: 'pkg:npm/app@1.0.0' });
    expect(Object.fromEntries(inventory.components.map((c) => [c.name, `${c.direct ? 'direct' : 'transitive'} ${c.scope}`]))).toEqual({
      lib: 'direct runtime',
      deep: 'transitive runtime',
      'test-tool': 'direct dev',
      'test-helper': 'transitive dev',
      opt: 'direct optional',
      shared: 'transitive runtime',
      old: 'direct dev',
    });
  });

  it('without relationships every package is direct and runtime; without a described element the roots are', () => {
    const flat = importSpdx({ ...doc, relationships: [] }, { file: 'doc.spdx.json' });
    expect(flat.subject).toBeUndefined();
    expect(flat.components.every((c) => c.direct && c.scope === 'runtime')).toBe(true);
    const unnamed = importSpdx({ ...doc, relationships: doc.relationships.slice(1) }, { file: 'doc.spdx.json' });
    expect(unnamed.components.filter((c) => c.direct).map((c) => c.name)).toEqual(['app']);
  });

  it('reads documentDescribes as well as DESCRIBES, and ignores purls outside the package-manager category', () => {
    const inventory = importSpdx(
      {
        spdxVersion: 'SPDX-2.3',
        documentDescribes: ['app'],
        packages: [pkg('app'), { SPDXID: 'x', name: 'x', ...purlRef('pkg:npm/x@1.0.0', 'SECURITY') }],
      },
      { file: 'doc.spdx.json' },
    );
    expect(inventory.subject).toEqual({ name: 'app' });
    expect(inventory.skipped).toEqual([{ record: 'x', reason: 'no purl: no PACKAGE-MANAGER external reference of type purl' }]);
  });

  it('refuses other SPDX versions and wrong shapes with the key path', () => {
    const version = catchUfError(() => importSpdx({ spdxVersion: 'SPDX-3.0' }, { file: 'd.json' }));
    expect(version).toMatchObject({ code: 'import_invalid', location: { file: 'd.json', path: 'spdxVersion' } });
    const shape = catchUfError(() => importSpdx({ spdxVersion: 'SPDX-2.3', packages: [{ SPDXID: 'a' }] }, { file: 'd.json' }));
    expect(shape.location?.path).toBe('packages[0].name');
  });
});

