/** Writers for CLI output: JSON for scripts, aligned plain-text tables for people. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
};

export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/**
 * Progress for long work, on stderr so that stdout stays clean for --json. On a terminal it
 * redraws one line; elsewhere (CI logs) it prints a line at each tenth of the work.
 */
export function progress(output: Output, label: string, total: number): { tick(detail?: string): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let count = 0;
  let lastDecile = -1;
  return {
    tick(detail) {
      count++;
      if (total <= 1) return;
      const text = `${label} ${count}/${total}${detail ? ` ${detail}` : ''}`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${text}`);
        return;
      }
      const decile = Math.floor((count / total) * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        output.err(text);
      }
    },
    done() {
      if (tty && total > 1) process.stderr.write('\r\x1b[2K');
    },
  };
}
