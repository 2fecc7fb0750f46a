import { runInventoryImporterContract } from '../inventory-importer.contract.js';
import { cycloneDxImporter } from './index.js';

runInventoryImporterContract({
  importer: cycloneDxImporter,
  fileName: 'payments.production.cdx.json',
  sampleComponents: [
    { ecosystem: 'npm', name: 'express', version: '4.18.2', direct: true, scope: 'runtime' },
    { ecosystem: 'npm', name: 'qs', version: '6.11.0', direct: false, scope: 'runtime' },
    { ecosystem: 'Maven', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', direct: true, scope: 'runtime' },
    { ecosystem: 'npm', name: 'mocha', version: '10.2.0', direct: true, scope: 'dev' },
  ],
});
