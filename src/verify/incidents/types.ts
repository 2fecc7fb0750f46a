/** Severities, worst first. Every source's scale is mapped onto these (see severity.ts). */
export const severities = ['sev1', 'sev2', 'sev3', 'sev4', 'sev5'] as const;
export type Severity = (typeof severities)[number];

/** How an incident came to be tied to an upgrade. */
export const linkKinds = ['explicit', 'service-window', 'dependency-window'] as const;
export type LinkKind = (typeof linkKinds)[number];

/** An incident as a source reports it, already validated and normalised. */
export interface IncidentInput {
  /** `pagerduty`, `opsgenie`, or the name a file import gives (default `import`). */
  source: string;
  externalId: string;
  title: string;
  service: string | null;
  severity: Severity;
  /** ISO-8601 UTC. */
  startedAt: string;
  resolvedAt: string | null;
  /** An upgrade or change id the incident names itself (`change`/`upgrade` field, `uf-change:` tag). */
  changeRef: string | null;
}

export interface IncidentLink {
  upgradeId: string;
  kind: LinkKind;
  /** Which deployment, which window, which service: shown wherever the link is. */
  reason: string;
}

export interface Incident extends IncidentInput {
  /** `<source>:<externalId>`. */
  id: string;
  /** Whether `service` is a catalog Component; an unknown one is stored as given and flagged. */
  serviceKnown: boolean;
  link: IncidentLink | null;
  /** Why there is no link, when there is none. */
  unlinkedReason: string | null;
  receivedAt: string;
  updatedAt: string;
}
