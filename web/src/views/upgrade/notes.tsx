import { api, must } from '../../api/client';
import { Loading, Problem, Section } from '../../components/common';
import { useLoad } from '../../data';
import type { Notes } from './types';

type Kind = 'breaking' | 'migrations' | 'deprecations' | 'securityFixes';
const kinds: { key: Kind; title: string }[] = [
  { key: 'breaking', title: 'Breaking changes' },
  { key: 'migrations', title: 'Migrations' },
  { key: 'deprecations', title: 'Deprecations' },
  { key: 'securityFixes', title: 'Security fixes' },
];

/** The parsed release notes between the running and the target version, breaking changes and migrations first. */
export function ReleaseNotes({ id }: { id: string }) {
  const notes = useLoad(() => must(api.GET('/api/v1/upgrades/{id}/notes', { params: { path: { id } } })), [id], (e) => e.upgradeId === id && e.type === 'upgrade.transitioned');
  return (
    <Section title="Release notes">
      <Problem error={notes.error} />
      {!notes.data && !notes.error && <Loading what="release notes" />}
      {notes.data && <NotesBody notes={notes.data} />}
    </Section>
  );
}

function NotesBody({ notes }: { notes: Notes }) {
  return (
    <>
      <Acknowledgement notes={notes} />
      {notes.status !== 'known' && (
        <p className={notes.status === 'unknown' ? 'warn-text' : ''}>
          Notes are {notes.status}{notes.unknownBecause ? `: ${notes.unknownBecause}` : ''}.
        </p>
      )}
      {notes.releases !== null && <p className="small muted">{notes.releases} release(s) between {notes.fromVersions.join(', ')} and {notes.targetVersion}.</p>}
      {notes.yanked && notes.yanked.length > 0 && <p className="warn-text">Yanked versions in range: {notes.yanked.join(', ')}</p>}
      {kinds.map(({ key, title }) => {
        const items = notes[key];
        if (items === null) return <p key={key} className="small muted">{title}: unknown (no notes).</p>;
        if (items.length === 0) return <p key={key} className="small muted">{title}: none listed.</p>;
        return (
          <div key={key}>
            <h3>{title} <span className="count">{items.length}</span></h3>
            <ul className="notes">
              {items.map((c, i) => (
                <li key={`${c.version}-${i}`}>
                  <span className="badge">{c.version}</span> {c.text}
                  {c.refs.length > 0 && <span className="small muted"> ({c.refs.join(', ')})</span>}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </>
  );
}

function Acknowledgement({ notes }: { notes: Notes }) {
  const ack = notes.acknowledged;
  if (!ack) return <p><span className="badge warn">not acknowledged</span> <span className="small muted">an owner of one of its services acknowledges them before the compat stage</span></p>;
  return (
    <p>
      <span className={`badge ${ack.current ? 'good' : 'warn'}`}>{ack.current ? 'acknowledged' : 'acknowledged an older version of the notes'}</span>{' '}
      <span className="small">
        by {ack.actor} ({ack.standing}), <time dateTime={ack.at}>{new Date(ack.at).toLocaleString()}</time>
      </span>
    </p>
  );
}
