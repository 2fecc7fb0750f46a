import { When } from '../../components/common';
import { inZone, localZone } from './range';
import { selected, type Listing } from './types';

/** The windows as factory.yaml states them: cron, duration and zone, and the blackouts with their zone. */
export function Rules({ listing }: { listing: Listing }) {
  if (listing.windows.length === 0 && listing.blackouts.length === 0) {
    return (
      <p className="empty">
        No change windows, deny windows or blackouts are configured, so {listing.defaultAllow ? 'every service may change at any time' : 'no service has a window to change in (defaultAllow is false)'}. Add a{' '}
        <code>windows:</code> section to factory.yaml — <code>allow</code> and <code>deny</code> entries with <code>cron</code>, <code>duration</code>, <code>timeZone</code> and <code>select</code>, and{' '}
        <code>blackouts</code> with <code>from</code>/<code>to</code> — then restart <code>uf serve</code> (README: Governance › Change windows, freezes and conflicts).
      </p>
    );
  }
  return (
    <>
      <p className="small muted">
        {listing.defaultAllow ? 'A service no allow window selects may change at any time' : 'A service no allow window selects may not change (defaultAllow: false)'}; deny windows and blackouts
        beat allow windows. Times are the window's own zone{localZone ? `; yours is ${localZone}` : ''}.
      </p>
      {listing.windows.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Allow and deny windows</caption>
            <thead>
              <tr>
                <th scope="col">Window</th>
                <th scope="col">Opens (cron)</th>
                <th scope="col">For</th>
                <th scope="col">Applies to</th>
                <th scope="col">Next openings</th>
              </tr>
            </thead>
            <tbody>
              {listing.windows.map((w) => (
                <tr key={w.name}>
                  <td>
                    <span className={`badge ${w.kind === 'allow' ? 'good' : 'bad'}`}>{w.kind}</span> {w.name}
                    {w.reason && <div className="small muted">{w.reason}</div>}
                  </td>
                  <td>
                    <code>{w.cron}</code> <span className="small muted">{w.timeZone}</span>
                  </td>
                  <td>{w.duration}</td>
                  <td>{selected(w.select)}</td>
                  <td className="small">
                    {w.nextStarts.map((s) => (
                      <div key={s}>
                        <When at={s} /> {w.timeZone !== localZone && <span className="muted">({inZone(new Date(s), w.timeZone)})</span>}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {listing.blackouts.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Blackouts and freezes</caption>
            <thead>
              <tr>
                <th scope="col">Blackout</th>
                <th scope="col">From – to (its zone)</th>
                <th scope="col">Applies to</th>
              </tr>
            </thead>
            <tbody>
              {listing.blackouts.map((b) => (
                <tr key={b.name}>
                  <td>
                    <span className="badge muted">freeze</span> {b.name} {b.active && <span className="badge bad">in force</span>}
                    {b.reason && <div className="small muted">{b.reason}</div>}
                  </td>
                  <td>
                    {inZone(new Date(b.from), b.timeZone, true)} – {inZone(new Date(b.to), b.timeZone, true)}
                  </td>
                  <td>{selected(b.select)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
