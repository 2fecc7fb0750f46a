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

# An upgrade always moves exactly one component: the planner never bundles unrelated ones
# (packages released together, such as Spring Framework's modules, are one component).
policy:
  # No production canary without a recorded rollback drill for the service within this many days.
  rollbackDrillMaxAgeDays: 30

# Intake: advisories and release notes are read on this schedule by \`uf serve\`, and now by \`uf intake run\`.
intake:
  schedule: "0 3 * * *"        # cron: daily at 03:00
  advisories: []               # OSV files, folders, all.zip exports or https URLs
  #  - https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip
  # kev: https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json
  # epss: https://epss.empiricalsecurity.com/epss_scores-current.csv.gz
  releaseNotes: []             # - { ecosystem: npm, name: express, file: notes/express.History.md }
  endOfLife: []                # - { ecosystem: npm, name: node, product: nodejs, file: eol/nodejs.json }
  target: minimal-fix          # or newest-allowed
  allowMajor: false
  # A source that yields nothing, mostly invalid entries, or far fewer than last time has failed:
  # its stored data is kept and the run exits 2 naming it.
  sourceHealth: { maxInvalidRatio: 0.1, minRetainedRatio: 0.5 }
  releaseGroups: []            # - { name: acme, ecosystem: npm, prefixes: ["@acme/"] }  (built-in: spring, jackson, babel, ...)

# Risk weights and thresholds: every key has a default; see README.md, "Risk score".
# risk:
#   weights: { exploitability: 65, blastRadius: 40, reversibility: 20, endOfLife: 10 }

# The traffic router in front of each service: kind builtin (\`uf serve\` runs it in-process, the same
# as \`uf proxy\`), haproxy or nginx (uf drives a running one); the other keys are that kind's settings.
traffic:
  routers: []
  #  - { kind: builtin, service: checkout, listen: "0.0.0.0:8080", stable: "http://10.0.0.1:8080", canary: "http://10.0.0.2:8080", canaryWeight: 0, sticky: "cookie:session" }
  #  - { kind: haproxy, service: shop, runtimeApi: /run/haproxy/admin.sock, backend: shop, servers: { stable: stable, canary: canary }, routeMap: /etc/haproxy/uf-shop.map }
  #  - { kind: nginx, service: blog, blockName: blog, stable: "10.0.0.1:8080", canary: "10.0.0.2:8080", statusListen: "127.0.0.1:8099",
  #      includeFile: /etc/nginx/uf/blog.conf, nginx: { config: /etc/nginx/nginx.conf, pidFile: /run/nginx.pid } }
`;
