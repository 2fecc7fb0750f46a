import './upgrade.css';
import { api, ApiError, must } from '../../api/client';
import { Loading, Problem, StateBadge } from '../../components/common';
import { useLoad } from '../../data';
import { href } from '../../router';
import { RiskChip } from '../board';
import { ChangeRecord } from './approvals';
import { CompatMatrix } from './compat';
import { OperationLog } from './log';
import { ReleaseNotes } from './notes';
import { RiskBreakdown } from './risk';
import { Rollouts } from './rollout';
import { aboutUpgrade, type Upgrade } from './types';

/** One upgrade, for release engineers and approvers: why it is risky, what breaks, where its rollout is, who decided what. */
export default function UpgradePage({ id }: { id: string }) {
  const upgrade = useLoad(() => must(api.GET('/api/v1/upgrades/{id}', { params: { path: { id } } })), [id], aboutUpgrade(id));
  if (upgrade.error instanceof ApiError && upgrade.error.status === 404) {
    return (
      <>
        <h1>Upgrade {id}</h1>
        <Problem error={upgrade.error} />
        <p><a href={href({ view: 'board' })}>Back to the pipeline</a></p>
      </>
    );
  }
  if (!upgrade.data) return upgrade.error ? <Problem error={upgrade.error} /> : <Loading what="the upgrade" />;
  const u = upgrade.data;
  return (
    <>
      <Header upgrade={u} />
      <Problem error={upgrade.error} />
      <RiskBreakdown risk={u.risk} />
      <ReleaseNotes id={id} />
      <CompatMatrix id={id} />
      <Rollouts upgradeId={id} />
      <ChangeRecord upgradeId={id} />
      <OperationLog upgradeId={id} />
    </>
  );
}

function Header({ upgrade: u }: { upgrade: Upgrade }) {
  const members = u.members.length > 1 ? u.members : [];
  const kev = u.risk?.factors.some((f) => f.name === 'kev' && f.value === true) ?? false;
  return (
    <header className="upgrade-head card">
      <p className="small muted">
        <a href={href({ view: 'board' })}>Pipeline</a> / {u.id}
      </p>
      <h1>
        {u.name} <span className="muted">{u.fromVersions.join(', ')} → {u.targetVersion}</span>
      </h1>
      <dl className="facts">
        <div><dt>State</dt><dd><StateBadge state={u.state} /></dd></div>
        <div><dt>Change class</dt><dd><span className="badge">{u.changeClass}</span>{u.postReviewRequired && <span className="badge warn">post-hoc review</span>}</dd></div>
        <div><dt>Risk · SSVC</dt><dd><RiskChip risk={u.risk ? { score: u.risk.score, decision: u.risk.decision, kev } : null} />{kev && <span className="badge bad" title="a fixed advisory is in CISA's Known Exploited Vulnerabilities catalog">KEV</span>}</dd></div>
        <div><dt>Services</dt><dd>{u.services.join(', ') || <span className="muted">none</span>}</dd></div>
        <div><dt>Ecosystem</dt><dd><code>{u.purl}</code></dd></div>
        <div><dt>Updated</dt><dd><time dateTime={u.updatedAt} title={u.updatedAt}>{new Date(u.updatedAt).toLocaleString()}</time></dd></div>
      </dl>
      {members.length > 0 && (
        <p className="small">
          Moves {members.length} packages: {members.map((m) => `${m.name} ${m.fromVersions.join(', ')} → ${m.targetVersion}`).join('; ')}
        </p>
      )}
      {u.state === 'done' && (
        <p>
          <a href={href({ view: 'readouts', upgradeId: u.id })}>Read the readout of this upgrade</a>
        </p>
      )}
    </header>
  );
}
