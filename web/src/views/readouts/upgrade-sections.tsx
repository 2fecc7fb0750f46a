import { RiskOverTime, P95BeforeAfter } from './charts';
import { costHeadline, day, endOfLifeText, epssText, kevText, metricChange, number, sectionTitles } from './format';
import type { AvoidedCost, UpgradeReadout } from './types';

type Level = 2 | 3;

function H({ level, children }: { level: Level; children: string }) {
  return level === 2 ? <h2>{children}</h2> : <h3>{children}</h3>;
}

/** Each thing the readout could not fill, said so in place of a figure. */
export function Missing({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="missing-list">
      {items.map((m) => <li key={m} className="missing">Not known: {m}.</li>)}
    </ul>
  );
}

export function StatusLine({ r }: { r: UpgradeReadout }) {
  const u = r.upgrade;
  return (
    <p className="muted">
      Generated {r.generatedAt}. State: {u.state}
      {u.completedAt ? `, completed ${day(u.completedAt)}` : ''}. Change class: {u.changeClass}. Created {day(u.createdAt)}.
    </p>
  );
}

/** The readout of one upgrade, section by section, with the HTML readout's charts under theirs. */
export function UpgradeSections({ r, level }: { r: UpgradeReadout; level: Level }) {
  const a = r.whyNow.assessment;
  const eol = endOfLifeText(r.whyNow.endOfLife);
  const rr = r.riskReduced;
  const bm = r.businessMetrics;
  return (
    <>
      <section className="readout-section">
        <H level={level}>{sectionTitles.whatChanged}</H>
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Package</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
            <tbody>
              {r.whatChanged.versions.map((v) => <tr key={v.name}><th scope="row">{v.name}</th><td>{v.from.join(', ')}</td><td>{v.to}</td></tr>)}
            </tbody>
          </table>
        </div>
        <p>Services: {r.whatChanged.services.join(', ') || 'none listed'}.</p>
        {r.whatChanged.rolloutServices.length > 0 && <p>Rollouts: {r.whatChanged.rolloutServices.map((x) => `${x.service} (${x.state}, attempt ${x.attempt})`).join(', ')}.</p>}
      </section>

      <section className="readout-section">
        <H level={level}>{sectionTitles.whyNow}</H>
        {a && (
          <>
            <p>Risk assessment {a.id} ({day(a.at)}): score {a.score}/100, SSVC decision {a.decision}, change class {a.changeClass}.</p>
            <p>Decision: {a.decisionReason}</p>
          </>
        )}
        {r.whyNow.advisories.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Advisory</th><th scope="col">Severity</th><th scope="col">EPSS</th><th scope="col">CISA KEV</th></tr></thead>
              <tbody>
                {r.whyNow.advisories.map((x) => <tr key={x.label}><th scope="row">{x.label}</th><td>{x.severity}</td><td>{epssText(x.epss)}</td><td>{kevText(x.kev)}</td></tr>)}
              </tbody>
            </table>
          </div>
        )}
        {eol && <p>Version in use: {eol}.</p>}
        <Missing items={r.whyNow.missing} />
      </section>

      <section className="readout-section">
        <H level={level}>{sectionTitles.riskReduced}</H>
        <RiskOverTime readouts={[r]} />
        <ul>
          <li className={rr.before ? undefined : 'missing'}>{rr.before ? `Risk score before: ${rr.before.score}/100 (${rr.before.source}).` : 'Not known: risk score before: no risk assessment is stored.'}</li>
          <li className={rr.after ? undefined : 'missing'}>{rr.after ? `Risk score after: ${rr.after.score}/100 (${rr.after.source}).` : `Not known: risk score after: ${rr.afterMissing ?? 'not computed'}.`}</li>
          <li>Findings of the advisories it fixes, on its services: {rr.findings.total}, open now: {rr.findings.open}.</li>
        </ul>
      </section>

      <section className="readout-section">
        <H level={level}>{sectionTitles.businessMetrics}</H>
        <P95BeforeAfter readouts={[r]} />
        {bm.windows && <p>Compared: {day(bm.windows.before.from)} to {day(bm.windows.before.to)} before, {day(bm.windows.after.from)} to {day(bm.windows.after.to)} after.</p>}
        {bm.baselines && (
          <>
            <p>From {bm.baselines.source}:</p>
            <div className="table-wrap">
              <table>
                <thead><tr><th scope="col">Service</th><th scope="col">Metric</th><th scope="col">Kind</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Change</th></tr></thead>
                <tbody>
                  {bm.baselines.metrics.map((m) => {
                    const change = metricChange(m);
                    return (
                      <tr key={`${m.service} ${m.metric}`}>
                        <td>{m.service}</td><th scope="row">{m.metric}</th><td>{m.kind}</td>
                        <td>{number(m.before)} {m.unit}</td><td>{number(m.after)} {m.unit}</td>
                        <td><span className={`badge ${change.tone}`}>{change.text}</span></td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
        {bm.incidents && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Service</th><th scope="col">Incidents before</th><th scope="col">Incidents after</th><th scope="col">Source</th></tr></thead>
              <tbody>{bm.incidents.map((i) => <tr key={i.service}><th scope="row">{i.service}</th><td>{i.before}</td><td>{i.after}</td><td>{i.source}</td></tr>)}</tbody>
            </table>
          </div>
        )}
        <Missing items={bm.missing} />
      </section>

      <section className="readout-section">
        <H level={level}>{sectionTitles.economics}</H>
        <Economics cost={rr.avoidedCost} />
      </section>
    </>
  );
}

/** The avoided downtime cost, with every input and its source, or what is missing to compute it. */
export function Economics({ cost }: { cost: AvoidedCost }) {
  return (
    <>
      <p>Avoided downtime cost: <strong>{costHeadline(cost)}</strong>.</p>
      {cost.inputs.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Input</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead>
            <tbody>{cost.inputs.map((i) => <tr key={`${i.name} ${i.source}`}><th scope="row">{i.name}</th><td>{i.value}</td><td>{i.source}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      {cost.status === 'unknown' && (
        <ul className="missing-list">{cost.missing.map((m) => <li key={m} className="missing">Missing: {m}.</li>)}</ul>
      )}
    </>
  );
}
