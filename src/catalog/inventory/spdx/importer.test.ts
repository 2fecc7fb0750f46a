import { runInventoryImporterContract } from '../inventory-importer.contract.js';
import { spdxImporter } from './index.js';

runInventoryImporterContract({
  importer: spdxImporter,
  fileName: 'payments.spdx.json',
  sampleComponents: [
    { ecosystem: 'PyPI', name: 'django', version: '4.2.7', direct: true, scope: 'runtime' },
    { ecosystem: 'PyPI', name: 'sqlparse', version: '0.4.4', direct: false, scope: 'runtime' },
  ],
});
