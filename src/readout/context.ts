import type { EconomicsPolicy } from '../config/sections/economics.js';
import type { RiskPolicy } from '../config/sections/risk-policy.js';
import type { Db } from '../store/db.js';
import type { ReadoutSources } from './sources.js';

/** What building a readout needs: the store, the two policies, the verification sources and the time it is made at. */
export interface ReadoutContext {
  db: Db;
  economics: EconomicsPolicy;
  risk: RiskPolicy;
  /** Names the configuration in sources, e.g. `factory.yaml`. */
  policySource: string;
  sources: ReadoutSources;
  now: Date;
}
