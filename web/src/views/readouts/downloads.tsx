import { useState } from 'react';
import { ApiError, currentToken } from '../../api/client';
import { Problem } from '../../components/common';

const formats = [
  { format: 'html', label: 'HTML (with charts, prints to PDF)', ext: 'html' },
  { format: 'md', label: 'Markdown', ext: 'md' },
  { format: 'json', label: 'JSON', ext: 'json' },
] as const;

/**
 * The server's own renderings of the readout. The API takes a bearer token, not a cookie, so a
 * plain link would be refused: each button fetches with the token and saves the file.
 */
export function Downloads({ path, name }: { path: string; name: string }) {
  const [error, setError] = useState<Error>();
  const download = async (format: string, ext: string) => {
    setError(undefined);
    try {
      const token = currentToken();
      const response = await fetch(`${path}?format=${format}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
        throw new ApiError(response.status, body.code ?? String(response.status), body.message ?? response.statusText);
      }
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}.${ext}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <div className="downloads">
      <span className="muted small">Download:</span>
      {formats.map((f) => (
        <button key={f.format} type="button" onClick={() => void download(f.format, f.ext)}>
          {f.label}
        </button>
      ))}
      <Problem error={error} />
    </div>
  );
}
