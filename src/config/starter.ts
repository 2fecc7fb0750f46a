/** The commented factory.yaml that `uf init` writes. A test checks that it loads as is. */
export const starterConfig = `# Upgrade Factory configuration. Reference: README.md, section "Configuration".
version: 1

# A name for this factory, shown in the API and the dashboard.
name: my-factory

# Where state lives. The default is a SQLite file next to this config.
# Set UF_DATABASE_URL=postgres://user@host:5432/db to use PostgreSQL instead (several machines).
store:
  path: .uf/factory.db

# Address of \`uf serve\` (REST API, OpenAPI document at /openapi.json).
server:
  host: 127.0.0.1
  port: 7070

# Environments that inventories are imported for, in promotion order.
environments: [staging, production]

# Backstage catalog-info.yaml files that describe your services (the service map).
# Factory facts come from annotations: upgrade-factory.io/tier, upgrade-factory.io/critical-paths,
# upgrade-factory.io/traffic-share, upgrade-factory.io/downtime-cost-per-hour.
catalog: []
#  - catalog/catalog-info.yaml

# What each service runs, per environment: CycloneDX JSON, SPDX 2.3 JSON or npm package-lock.
inventories: []
#  - service: payments
#    environment: production
#    file: inventories/payments.production.cdx.json

policy:
  # An upgrade moves exactly one component; bundling unrelated upgrades is refused.
  maxComponentsPerUpgrade: 1
  # No production canary without a recorded rollback drill for the service within this many days.
  rollbackDrillMaxAgeDays: 30
`;
