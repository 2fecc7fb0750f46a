import type { CisaDecision, SsvcAutomatable, SsvcExploitation, SsvcMissionWellbeing, SsvcTechnicalImpact } from './types.js';

/*
 * The CISA coordinator decision table (SSVC "CISA Levels" v1.1.0 over Exploitation v1.1.0,
 * Automatable v2.0.0, Technical Impact v1.0.0 and Mission and Well-Being Impact v1.0.0), one
 * row per line of the upstream CSV, in its order, with `public poc` spelled `public_poc`.
 *
 * Source: https://github.com/CERTCC/SSVC, data/csv/cisa/cisa_coordinator_2_0_3.csv,
 * commit e3b00a25615845960cec9caa1388064739f17728 (2026-07-20).
 * ssvc/cisa-coordinator.test.ts checks every row against that CSV (shared/data/ssvc).
 *
 * Copyright 2025 Carnegie Mellon University.
 * Licensed under a MIT (SEI)-style license (CERTCC/SSVC data/LICENSE):
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software
 * and associated documentation files (the "Software"), to deal in the Software without
 * restriction, including without limitation the rights to use, copy, modify, merge, publish,
 * distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
 * Software is furnished to do so, subject to the following conditions:
 * The above copyright notice and this permission notice shall be included in all copies or
 * substantial portions of the Software.
 * NO WARRANTY. THIS CARNEGIE MELLON UNIVERSITY AND SOFTWARE ENGINEERING INSTITUTE MATERIAL IS
 * FURNISHED ON AN "AS-IS" BASIS. CARNEGIE MELLON UNIVERSITY MAKES NO WARRANTIES OF ANY KIND,
 * EITHER EXPRESSED OR IMPLIED, AS TO ANY MATTER INCLUDING, BUT NOT LIMITED TO, WARRANTY OF
 * FITNESS FOR PURPOSE OR MERCHANTABILITY, EXCLUSIVITY, OR RESULTS OBTAINED FROM USE OF THE
 * MATERIAL. CARNEGIE MELLON UNIVERSITY DOES NOT MAKE ANY WARRANTY OF ANY KIND WITH RESPECT TO
 * FREEDOM FROM PATENT, TRADEMARK, OR COPYRIGHT INFRINGEMENT.
 * [DISTRIBUTION STATEMENT A] This material has been approved for public release and unlimited
 * distribution. DM24-0278
 */
export type CisaCoordinatorRow = readonly [SsvcExploitation, SsvcAutomatable, SsvcTechnicalImpact, SsvcMissionWellbeing, CisaDecision];

export const cisaCoordinatorTable: readonly CisaCoordinatorRow[] = [
  ['none', 'no', 'partial', 'low', 'track'],
  ['none', 'no', 'partial', 'medium', 'track'],
  ['none', 'no', 'partial', 'high', 'track'],
  ['none', 'no', 'total', 'low', 'track'],
  ['none', 'no', 'total', 'medium', 'track'],
  ['none', 'no', 'total', 'high', 'track*'],
  ['none', 'yes', 'partial', 'low', 'track'],
  ['none', 'yes', 'partial', 'medium', 'track'],
  ['none', 'yes', 'partial', 'high', 'attend'],
  ['none', 'yes', 'total', 'low', 'track'],
  ['none', 'yes', 'total', 'medium', 'track'],
  ['none', 'yes', 'total', 'high', 'attend'],
  ['public_poc', 'no', 'partial', 'low', 'track'],
  ['public_poc', 'no', 'partial', 'medium', 'track'],
  ['public_poc', 'no', 'partial', 'high', 'track*'],
  ['public_poc', 'no', 'total', 'low', 'track'],
  ['public_poc', 'no', 'total', 'medium', 'track*'],
  ['public_poc', 'no', 'total', 'high', 'attend'],
  ['public_poc', 'yes', 'partial', 'low', 'track'],
  ['public_poc', 'yes', 'partial', 'medium', 'track'],
  ['public_poc', 'yes', 'partial', 'high', 'attend'],
  ['public_poc', 'yes', 'total', 'low', 'track'],
  ['public_poc', 'yes', 'total', 'medium', 'track*'],
  ['public_poc', 'yes', 'total', 'high', 'attend'],
  ['active', 'no', 'partial', 'low', 'track'],
  ['active', 'no', 'partial', 'medium', 'track'],
  ['active', 'no', 'partial', 'high', 'attend'],
  ['active', 'no', 'total', 'low', 'track'],
  ['active', 'no', 'total', 'medium', 'attend'],
  ['active', 'no', 'total', 'high', 'act'],
  ['active', 'yes', 'partial', 'low', 'attend'],
  ['active', 'yes', 'partial', 'medium', 'attend'],
  ['active', 'yes', 'partial', 'high', 'act'],
  ['active', 'yes', 'total', 'low', 'attend'],
  ['active', 'yes', 'total', 'medium', 'act'],
  ['active', 'yes', 'total', 'high', 'act'],
];
