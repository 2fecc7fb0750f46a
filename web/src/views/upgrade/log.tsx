import { useState } from 'react';
import { api, ApiError, must } from '../../api/client';
import { Empty, Loading, Problem, Section } from '../../components/common';
import { useLoad } from '../../data';
import { aboutUpgrade, type ChainCheck, type LogEntry } from './types';

const shownAtFirst = 40;

/** Every operation-log entry about this upgrade, its change record and its rollouts, and whether the chain holds. */
export function OperationLog({ upgradeId }: { upgradeId: string }) {
  const entries = useLoad(() => entriesAbout(upgradeId), [upgradeId], aboutUpgrade(upgradeId));
  const chain = useLoad(() => must(api.GET('/api/v1/log/verify')), [], aboutUpgrade(upgradeId));
  const [all, setAll] = useState(false);
  const list = entries.data ?? [];
  const shown = all ? list : list.slice(0, shownAtFirst);
  return (
    <Section title="Operation log" actions={<ChainStatus check={chain.data} error={chain.error} />}>
      <Problem error={entries.error} />
      {!entries.data && !entries.error && <Loading what="the operation log" />}
      {entries.data && list.length === 0 && <Empty>No entry about this upgrade yet.</Empty>}
      {list.length > 0 && (
        <>
          <p className="small muted">{list.length} entries about this upgrade, its change record and its rollouts; newest first.</p>
          <div className="table-wrap">
            <table className="log">
              <thead>
                <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Decision</th></tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.seq}>
                    <td className="num nowrap">{e.seq}</td>
                    <td className="nowrap"><time dateTime={e.at} title={e.at}>{new Date(e.at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' })}</time></td>
                    <td>{e.actor}</td>
                    <td><code>{e.action}</code>{e.subject !== upgradeId && <div className="small muted">{e.subject}</div>}</td>
                    <td className="small">{e.reason}{e.evidenceRef && <div className="muted">evidence {e.evidenceRef}</div>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.length > shownAtFirst && (
            <button type="button" onClick={() => setAll(!all)} aria-expanded={all}>
              {all ? `Show the newest ${shownAtFirst}` : `Show all ${list.length} entries`}
            </button>
          )}
        </>
      )}
    </Section>
  );
}

function ChainStatus({ check, error }: { check: ChainCheck | undefined; error: Error | undefined }) {
  if (error) return <span className="badge bad" data-testid="chain-status">chain not checked: {error.message}</span>;
  if (!check) return <span className="badge muted" data-testid="chain-status">checking the chain…</span>;
  if (check.ok) {
    return (
      <span className="badge good" data-testid="chain-status" title={check.head ? `head ${check.head.hash}` : undefined}>
        chain verified: {check.entries} entries{check.head ? ` up to #${check.head.seq}` : ''}
      </span>
    );
  }
  const b = check.firstBroken;
  return (
    <span className="badge bad" data-testid="chain-status" role="alert">
      chain broken{b ? ` at #${b.seq}: ${b.problem}: ${b.detail}` : ''}
    </span>
  );
}

/** The log is filtered by subject: the upgrade's own, its change record's and each of its rollouts'. */
async function entriesAbout(upgradeId: string): Promise<LogEntry[]> {
  const [rollouts, change] = await Promise.all([
    must(api.GET('/api/v1/rollouts', { params: { query: { upgrade: upgradeId } } })),
    must(api.GET('/api/v1/changes/{id}', { params: { path: { id: upgradeId } } })).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }),
  ]);
  const subjects = [upgradeId, ...(change ? [change.id] : []), ...rollouts.items.map((r) => r.id)];
  const lists = await Promise.all(subjects.map(bySubject));
  return lists.flat().sort((a, b) => b.seq - a.seq);
}

async function bySubject(subject: string): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  let after: number | null = 0;
  // Bounded, like allPages: 20 pages of 200 is far more than one upgrade writes.
  for (let page = 0; page < 20 && after !== null; page++) {
    const result: { entries: LogEntry[]; next: number | null } = await must(api.GET('/api/v1/log', { params: { query: { subject, limit: '200', after: String(after) } } }));
    entries.push(...result.entries);
    after = result.next;
  }
  return entries;
}
