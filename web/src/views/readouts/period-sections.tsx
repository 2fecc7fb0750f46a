import { DoraCharts, P95BeforeAfter, RiskOverTime } from './charts';
import { costHeadline, day, endOfLifeText, epssText, kevText, metricChange, money, sectionTitles, upgradeTitle } from './format';
import type { PeriodReadout } from './types';
import { Missing, StatusLine, UpgradeSections } from './upgrade-sections';
import { href } from '../../router';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The readout of a period: totals over its upgrades, the HTML readout's charts, then each upgrade. */
export function PeriodSections({ p }: { p: PeriodReadout }) {
  const t = p.totals;
  const cost = t.avoidedCost;
  const advisories = p.upgrades.flatMap((r) => r.whyNow.advisories.map((a) => ({ id: r.upgrade.id, ...a })));
  const deltas = p.upgrades.flatMap((r) => (r.businessMetrics.baselines?.metrics ?? []).map((m) => ({ id: r.upgrade.id, m })));
  const perUpgradeMissing = [...new Set(p.upgrades.flatMap((r) => r.businessMetrics.missing))];
  // Upgrades are named by package (their ids are long and mean little to a reader); each links to its own readout.
  const names = new Map(p.upgrades.map((r) => [r.upgrade.id, r.upgrade.name]));
  const named = (ids: string[]) => ids.map((id) => names.get(id) ?? id).join(', ');
  const link = (id: string) => <a href={href({ view: 'readouts', upgradeId: id })} title={id}>{names.get(id) ?? id}</a>;
  return (
    <>
      <p className="muted">Generated {p.generatedAt}. Period {day(p.period.from)} to {day(p.period.to)} (end exclusive).</p>
      <section className="readout-section">
        <h2>{sectionTitles.whatChanged}</h2>
        <p>{plural(t.done, 'upgrade')} done, {t.rolledBack} rolled back, {p.upgrades.length - t.done - t.rolledBack} verifying.</p>
        {p.upgrades.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Upgrade</th><th scope="col">Package</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Services</th><th scope="col">State</th></tr></thead>
              <tbody>
                {p.upgrades.flatMap((r) => r.whatChanged.versions.map((v) => (
                  <tr key={`${r.upgrade.id} ${v.name}`}>
                    <td>{link(r.upgrade.id)}</td>
                    <th scope="row">{v.name}</th><td>{v.from.join(', ')}</td><td>{v.to}</td><td>{r.whatChanged.services.join(', ')}</td><td>{r.upgrade.state}</td>
                  </tr>
                )))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="readout-section">
        <h2>{sectionTitles.whyNow}</h2>
        <p>{plural(t.advisoriesFixed, 'advisory', 'advisories')} fixed by completed upgrades, {t.kevFixed} of them listed in CISA KEV.</p>
        {advisories.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Upgrade</th><th scope="col">Advisory</th><th scope="col">Severity</th><th scope="col">EPSS</th><th scope="col">CISA KEV</th></tr></thead>
              <tbody>{advisories.map((a) => <tr key={`${a.id} ${a.label}`}><td>{link(a.id)}</td><th scope="row">{a.label}</th><td>{a.severity}</td><td>{epssText(a.epss)}</td><td>{kevText(a.kev)}</td></tr>)}</tbody>
            </table>
          </div>
        )}
        <ul>
          {p.upgrades.flatMap((r) => {
            const text = endOfLifeText(r.whyNow.endOfLife);
            return text ? [<li key={r.upgrade.id}>{r.upgrade.name}: {text}.</li>] : [];
          })}
        </ul>
      </section>
      <section className="readout-section">
        <h2>{sectionTitles.riskReduced}</h2>
        <RiskOverTime readouts={p.upgrades} />
        <p>
          Risk points removed by completed upgrades: {t.riskPointsRemoved}
          {t.riskUnknownFor.length > 0 ? ` (not counted, risk after unknown: ${named(t.riskUnknownFor)})` : ''}.
        </p>
        {p.upgrades.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Upgrade</th><th scope="col">Risk before</th><th scope="col">Risk after</th><th scope="col">Avoided cost</th></tr></thead>
              <tbody>{p.upgrades.map((r) => <tr key={r.upgrade.id}><th scope="row">{link(r.upgrade.id)}</th><td>{r.riskReduced.before?.score ?? 'unknown'}</td><td>{r.riskReduced.after?.score ?? 'unknown'}</td><td>{costHeadline(r.riskReduced.avoidedCost)}</td></tr>)}</tbody>
            </table>
          </div>
        )}
      </section>
      <section className="readout-section">
        <h2>{sectionTitles.businessMetrics}</h2>
        <P95BeforeAfter readouts={p.upgrades} />
        {p.dora ? (
          <>
            <p>DORA, from {p.dora.source}:</p>
            <DoraCharts points={p.dora.points} caption="DORA" />
          </>
        ) : null}
        {deltas.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Upgrade</th><th scope="col">Service</th><th scope="col">Metric</th><th scope="col">Change</th></tr></thead>
              <tbody>{deltas.map(({ id, m }) => <tr key={`${id} ${m.service} ${m.metric}`}><td>{link(id)}</td><td>{m.service}</td><th scope="row">{m.metric}</th><td>{metricChange(m).text}</td></tr>)}</tbody>
            </table>
          </div>
        )}
        <Missing items={[...p.missing, ...perUpgradeMissing]} />
      </section>
      <section className="readout-section">
        <h2>{sectionTitles.economics}</h2>
        <p>
          {cost.amount !== undefined
            ? `Avoided downtime cost: ${money(cost.amount, cost.currency)} over ${plural(cost.known, 'upgrade')} (each expected over the 30 days after its assessment; inputs per upgrade below).`
            : cost.unknownFor.length > 0
              ? `Avoided downtime cost: unknown: inputs missing for ${named(cost.unknownFor)} (see each upgrade below).`
              : 'Avoided downtime cost: no completed upgrade fixed an advisory in this period.'}
        </p>
      </section>
      {p.upgrades.map((r) => (
          <details key={r.upgrade.id} className="card readout-upgrade">
            <summary>
              <h2>Upgrade {upgradeTitle(r)} <span className="muted small">({r.upgrade.id})</span></h2>
            </summary>
            <StatusLine r={r} />
            <UpgradeSections r={r} level={3} />
          </details>
      ))}
    </>
  );
}
