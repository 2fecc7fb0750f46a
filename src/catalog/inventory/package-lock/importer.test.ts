import { runInventoryImporterContract } from '../inventory-importer.contract.js';
import { packageLockImporter } from './index.js';

runInventoryImporterContract({
  importer: packageLockImporter,
  fileName: 'package-lock.json',
  sampleComponents: [
    { ecosystem: 'npm', name: '@babel/core', version: '7.24.0', direct: true, scope: 'runtime' },
    { ecosystem: 'npm', name: 'lodash', version: '4.17.20', direct: true, scope: 'runtime' },
    { ecosystem: 'npm', name: 'semver', version: '6.3.1', direct: false, scope: 'runtime' },
    { ecosystem: 'npm', name: 'vitest', version: '1.0.4', direct: true, scope: 'dev' },
  ],
});
