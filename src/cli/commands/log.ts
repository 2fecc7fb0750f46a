import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { canonicalEntry, hashEntry, type LogEntry } from '../../audit/chain.js';
import { CheckpointError, checkSignature, parseCheckpoint, parseVerifierKey, readPrivateKey, verifierKeyText, type SignedCheckpoint } from '../../audit/checkpoint.js';
import { csvHeader, formatEntry, formatProvenCsv, formatProvenJsonl, provenCsvHeader, type ExportFormat } from '../../audit/export.js';
import { leafHash, verifyInclusion } from '../../audit/merkle.js';
import { parseDuration } from '../../core/duration.js';
import { UfError } from '../../core/errors.js';
import { exportColumns, exportPeriod, type ExportWhat } from '../../store/repos/audit-export.js';
import { checkAgainstCheckpoint, loadTree, proveEntry, publishCheckpoint, type InclusionProof } from '../../store/repos/log-proofs.js';
import { prunableEntries, pruneEntries } from '../../store/repos/log-retention.js';
import { readLog, verifyLog } from '../../store/repos/operation-log.js';
import { verifyStateRows } from '../../store/repos/state-seals.js';
import { currentActor, resolvePath, withStore, type GlobalOptions } from '../context.js';
import { action, type CliRuntime } from '../main.js';
import { printJson } from '../output.js';

export function registerLog(program: Command, runtime: CliRuntime): void {
  const log = program.command('log').description('the operation log: hash chain, Merkle proofs, signed checkpoints, exports');
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const say = (text: string): void => runtime.output.out(text);

  log
    .command('verify')
    .description('check the hash chain and the state rows it seals; with --checkpoint, prove the log still holds all the checkpoint covered; with --proof, check an inclusion proof. Exit 1 naming what is broken')
    .option('--checkpoint <file>', 'a signed checkpoint (from uf log checkpoint)')
    .option('--public-key <file>', 'the verifier key (.pub from uf log keygen) the checkpoint must be signed with')
    .option('--proof <file>', 'an inclusion proof (from uf log prove) to check')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, async (options: { checkpoint?: string; publicKey?: string; proof?: string; json?: boolean }) => {
        if (options.checkpoint !== undefined && options.publicKey === undefined) throw new UfError('usage', '--checkpoint needs --public-key FILE: a checkpoint is only as good as its signature');
        const signed = options.checkpoint !== undefined ? readSignedCheckpoint(options.checkpoint, options.publicKey!) : undefined;
        if (signed && !signed.signatureOk) return report(options.json, { ok: false, signature: signed.signature }, `BAD SIGNATURE: ${options.checkpoint}: ${signed.signature}`);
        if (options.proof !== undefined) return verifyProofFile(options.proof, signed?.parsed, options.json);
        return withStore(global(), async (store) => {
          const chain = await verifyLog(store.db);
          const state = await verifyStateRows(store.db);
          const against = signed ? await checkAgainstCheckpoint(store.db, signed.parsed.checkpoint) : undefined;
          const ok = chain.ok && state.ok && (against?.ok ?? true);
          if (options.json) {
            printJson(runtime.output, { ...chain, ok, chainOk: chain.ok, state, ...(against ? { checkpoint: against } : {}) });
            return ok ? 0 : 1;
          }
          if (chain.ok) say(`ok: ${chain.entries} entries, chain intact (head ${chain.head?.hash.slice(0, 16) ?? 'empty'})`);
          else say(`BROKEN at entry ${chain.firstBroken!.seq}: ${chain.firstBroken!.detail}`);
          if (state.ok) say(`ok: ${state.checked} state rows match their log entries${state.unsealed ? ` (${state.unsealed} written before seals, not compared)` : ''}`);
          for (const finding of state.findings) say(`STATE ${finding.problem.toUpperCase()}: ${finding.detail}`);
          if (against) say(against.ok ? `ok: checkpoint of ${against.checkpointSize} entries is consistent with the log (${against.logSize} entries)` : `CHECKPOINT ${against.problem!.toUpperCase()}: ${against.detail}`);
          return ok ? 0 : 1;
        }, 'read');
      }),
    );

  log
    .command('keygen')
    .description('write an Ed25519 key pair for signing checkpoints: KEY.pem (private, mode 0600; keep it out of the database and the repository) and KEY.pub (verifier key)')
    .requiredOption('--out <dir>', 'directory for the key files')
    .option('--name <name>', 'the key name (use the log origin from audit.origin)', 'upgrade-factory')
    .option('--file <base>', 'base name of the files', 'log-key')
    .action(
      action(runtime, (options: { out: string; name: string; file: string }) => {
        if (!/^[^\s+]+$/.test(options.name)) throw new UfError('usage', `--name '${options.name}' must have no spaces or '+'`);
        const privatePath = join(options.out, `${options.file}.pem`);
        const publicPath = join(options.out, `${options.file}.pub`);
        for (const path of [privatePath, publicPath]) if (existsSync(path)) throw new UfError('usage', `${path} exists: refusing to overwrite a key`);
        mkdirSync(options.out, { recursive: true, mode: 0o700 });
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        writeFileSync(privatePath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
        writeFileSync(publicPath, verifierKeyText(options.name, publicKey) + '\n', { mode: 0o644, flag: 'wx' });
        say(`wrote ${privatePath} (private, mode 0600) and ${publicPath} (verifier key)`);
        return Promise.resolve(0);
      }),
    );

  log
    .command('checkpoint')
    .description('sign the log\'s current tree size and root with the private key, record the checkpoint, write it to a file and print it')
    .requiredOption('--key <file>', 'the private key (from uf log keygen)')
    .option('--out <file>', 'where to write the checkpoint (default: audit.checkpointDir/checkpoint-SIZE.txt)')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { key: string; out?: string; json?: boolean }) =>
        withStore(global(), async (store, loaded) => {
          const privateKey = readKeyFile(options.key, (text) => readPrivateKey(text));
          const origin = loaded.config.audit.origin;
          const pub = parseVerifierKey(verifierKeyText(origin, privateKey));
          const { signed, record } = await publishCheckpoint(store, { origin, keyName: pub.name, privateKey, actor: currentActor(), writtenTo: null });
          const out = options.out ?? join(resolvePath(loaded, loaded.config.audit.checkpointDir), `checkpoint-${record.treeSize}.txt`);
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, signed.text);
          if (options.json) printJson(runtime.output, { ...record, writtenTo: out });
          else runtime.output.out(`${signed.text}\nwritten to ${out}`);
          return 0;
        }),
      ),
    );

  log
    .command('prove')
    .description('print an inclusion proof (JSON) for entry SEQ in the current tree, or in a checkpoint\'s tree')
    .argument('<seq>', 'the entry')
    .option('--checkpoint <file>', 'prove against this checkpoint\'s tree size and root (embedded in the proof)')
    .action(
      action(runtime, (seqText: string, options: { checkpoint?: string }) => {
        const seq = Number(seqText);
        if (!Number.isInteger(seq) || seq < 1) throw new UfError('usage', `SEQ '${seqText}' is not an entry number (1, 2, ...)`);
        const checkpoint = options.checkpoint !== undefined ? parseCheckpointFile(options.checkpoint) : undefined;
        return withStore(global(), async (store) => {
          const proof = await proveEntry(store.db, seq, checkpoint?.checkpoint.size);
          if (!proof) throw new UfError('not_found', `no entry ${seq} in the log${checkpoint ? ` within the checkpoint's ${checkpoint.checkpoint.size} entries` : ''}`);
          if (checkpoint && proof.rootHash !== checkpoint.checkpoint.root.toString('hex')) {
            say(`CHECKPOINT MISMATCH: the log's first ${checkpoint.checkpoint.size} entries no longer hash to the checkpoint's root; run uf log verify --checkpoint`);
            return 1;
          }
          printJson(runtime.output, checkpoint ? { ...proof, checkpoint: checkpoint.text } : proof);
          return 0;
        }, 'read');
      }),
    );

  log
    .command('export')
    .description('write the log, approvals or change records (of a period) as JSON lines or CSV to stdout, with proofs')
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .option('--subject <id>', 'only entries about this subject (an upgrade id, a service/environment); no proofs')
    .option('--from <iso>', 'start of the period (inclusive)')
    .option('--to <iso>', 'end of the period (exclusive)')
    .option('--what <kind>', 'log, approvals or changes', 'log')
    .action(
      action(runtime, (options: { format: string; subject?: string; from?: string; to?: string; what: string }) => {
        if (options.format !== 'jsonl' && options.format !== 'csv') throw new UfError('usage', `--format must be jsonl or csv, not '${options.format}'`);
        if (!['log', 'approvals', 'changes'].includes(options.what)) throw new UfError('usage', `--what must be log, approvals or changes, not '${options.what}'`);
        const format: ExportFormat = options.format;
        const period = options.from !== undefined || options.to !== undefined || options.what !== 'log';
        if (period && options.subject !== undefined) throw new UfError('usage', '--subject cannot be combined with --from/--to/--what');
        const from = options.from !== undefined ? instant(options.from, '--from') : '0000-01-01T00:00:00.000Z';
        const to = options.to !== undefined ? instant(options.to, '--to') : '9999-12-31T23:59:59.999Z';
        if (to <= from) throw new UfError('usage', `--to (${to}) must be after --from (${from})`);
        return withStore(global(), async (store) => {
          if (period) {
            const what = options.what as ExportWhat;
            const { header, rows } = await exportPeriod(store.db, { from, to, what });
            // CSV has no room for a header object: the proof header goes to stderr as JSON, and
            // each row carries its entry and inclusion proof.
            if (format === 'jsonl') await write(JSON.stringify(header) + '\n');
            else {
              runtime.output.err(JSON.stringify(header));
              await write(provenCsvHeader(exportColumns[what]));
            }
            for await (const row of rows) await write(format === 'jsonl' ? formatProvenJsonl(row) : formatProvenCsv(row, exportColumns[what]));
            return 0;
          }
          if (format === 'csv') await write(csvHeader());
          let entries = 0;
          for await (const entry of readLog(store.db, options.subject !== undefined ? { subject: options.subject } : {})) {
            entries++;
            await write(formatEntry(entry, format));
          }
          // An unknown subject is not the same answer as "nothing happened": say so (exit 1, not found).
          if (options.subject !== undefined && entries === 0) throw new UfError('not_found', `--subject: no log entries about '${options.subject}'`);
          return 0;
        }, 'read');
      }),
    );

  log
    .command('prune')
    .description('retention: archive entries older than audit.retention.keep (with proofs) into audit.retention.archiveDir, then drop their actor, reason and evidence reference; hashes stay, so every proof still verifies')
    .option('--json', 'machine-readable output')
    .action(
      action(runtime, (options: { json?: boolean }) =>
        withStore(global(), async (store, loaded) => {
          const { keep, archiveDir } = loaded.config.audit.retention;
          if (keep === 'never') throw new UfError('usage', 'audit.retention.keep is never: nothing is pruned (set it, e.g. 400d)', { path: 'audit.retention.keep' });
          const before = new Date(store.clock.now().getTime() - parseDuration(keep)!).toISOString();
          const { entries, coveredBy } = await prunableEntries(store, before);
          let archive: string | null = null;
          if (entries.length > 0) {
            const { tree } = await loadTree(store.db);
            archive = join(resolvePath(loaded, archiveDir), `log-${entries[0]!.seq}-${entries.at(-1)!.seq}.jsonl`);
            mkdirSync(dirname(archive), { recursive: true });
            const header = { type: 'archive', treeSize: tree.size, rootHash: tree.root().toString('hex'), before, coveredByCheckpointOfSize: coveredBy };
            const lines = entries.map((e) => JSON.stringify({ entry: e, leafIndex: e.seq - 1, inclusionProof: tree.inclusionProof(e.seq - 1).map((h) => h.toString('hex')) }));
            writeFileSync(archive, [JSON.stringify(header), ...lines].join('\n') + '\n', { flag: 'wx' });
          }
          const pruned = await pruneEntries(store, entries);
          if (options.json) printJson(runtime.output, { pruned, before, archive });
          else say(pruned ? `pruned ${pruned} entries older than ${before}; archived to ${archive}` : `nothing to prune (entries older than ${before} covered by the latest checkpoint of ${coveredBy} entries)`);
          return 0;
        }),
      ),
    );

  function report(json: boolean | undefined, value: object, text: string): Promise<number> {
    if (json) printJson(runtime.output, value);
    else say(text);
    return Promise.resolve(1);
  }

  /** Checks a proof file; anchored to a signed checkpoint when given, else to the current log's root. */
  async function verifyProofFile(file: string, signed: SignedCheckpoint | undefined, json: boolean | undefined): Promise<number> {
    const proof = readProof(file);
    const leaf = proof.entry.pruned ? Buffer.from(proof.entry.pruned.leafHash, 'hex') : leafHash(canonicalEntry(proof.entry));
    const problems: string[] = [];
    if (!proof.entry.pruned && hashEntry(proof.entry) !== proof.entry.hash) problems.push(`entry ${proof.entry.seq} does not match its own hash: its content was changed`);
    if (leaf.toString('hex') !== proof.leafHash) problems.push(`entry ${proof.entry.seq}'s leaf hash is not the one the proof names`);
    const path = proof.path.map((h) => Buffer.from(h, 'hex'));
    if (!verifyInclusion(leaf, proof.leafIndex, proof.treeSize, path, Buffer.from(proof.rootHash, 'hex'))) problems.push(`the audit path does not lead from entry ${proof.entry.seq} to root ${proof.rootHash.slice(0, 16)}… of size ${proof.treeSize}`);
    let anchor: string;
    if (signed) {
      anchor = `checkpoint of ${signed.checkpoint.size} entries signed by ${signed.signatures[0]!.name}`;
      if (signed.checkpoint.size !== proof.treeSize || signed.checkpoint.root.toString('hex') !== proof.rootHash) problems.push(`the proof's tree (size ${proof.treeSize}) is not the checkpoint's (size ${signed.checkpoint.size}, root ${signed.checkpoint.root.toString('hex').slice(0, 16)}…)`);
    } else {
      anchor = 'the current log';
      await withStore(global(), async (store) => {
        const { tree } = await loadTree(store.db);
        if (proof.treeSize > tree.size) problems.push(`the proof is for a tree of ${proof.treeSize} entries; the log holds ${tree.size}`);
        else if (tree.root(proof.treeSize).toString('hex') !== proof.rootHash) problems.push(`the log's first ${proof.treeSize} entries no longer hash to the proof's root`);
      }, 'read');
    }
    const ok = problems.length === 0;
    if (json) printJson(runtime.output, { ok, seq: proof.entry.seq, treeSize: proof.treeSize, anchor, problems });
    else if (ok) say(`ok: entry ${proof.entry.seq} is in the tree of ${proof.treeSize} entries (root ${proof.rootHash.slice(0, 16)}…), anchored to ${anchor}`);
    else for (const problem of problems) say(`PROOF FAILED: ${problem}`);
    return ok ? 0 : 1;
  }
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
}

function instant(text: string, option: string): string {
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) throw new UfError('usage', `${option} '${text}' is not an ISO-8601 date or time such as 2026-01-01 or 2026-01-01T00:00:00Z`);
  return date.toISOString();
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UfError('usage', `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file });
  }
}

function readKeyFile<T>(file: string, parse: (text: string) => T): T {
  const text = readText(file, 'key file');
  try {
    return parse(text);
  } catch (error) {
    // Never echo the key's content: only what is wrong with it.
    throw new UfError('parse_error', `${file}: not an Ed25519 private key in PEM (${error instanceof CheckpointError ? error.message : 'unreadable PEM'})`, { file });
  }
}

function parseCheckpointFile(file: string): SignedCheckpoint {
  try {
    return parseCheckpoint(readText(file, 'checkpoint'));
  } catch (error) {
    if (error instanceof CheckpointError) throw new UfError('parse_error', error.message, { file });
    throw error;
  }
}

function readSignedCheckpoint(file: string, keyFile: string): { parsed: SignedCheckpoint; signatureOk: boolean; signature: string } {
  const parsed = parseCheckpointFile(file);
  let key;
  try {
    key = parseVerifierKey(readText(keyFile, 'public key'), parsed.checkpoint.origin);
  } catch (error) {
    if (error instanceof CheckpointError) throw new UfError('parse_error', error.message, { file: keyFile });
    throw new UfError('parse_error', `not a verifier key or an Ed25519 public key: ${(error as Error).message}`, { file: keyFile });
  }
  const checked = checkSignature(parsed, key);
  return { parsed, signatureOk: checked.ok, signature: checked.ok ? 'ok' : checked.problem };
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const proofSchema = z.object({
  entry: z.object({
    seq: z.number().int().min(1),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string(),
    reason: z.string(),
    evidenceRef: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
    seal: z.string().optional(),
    pruned: z.object({ at: z.string(), leafHash: hex64 }).optional(),
  }),
  leafIndex: z.number().int().min(0),
  treeSize: z.number().int().min(1),
  rootHash: hex64,
  leafHash: hex64,
  path: z.array(hex64),
  checkpoint: z.string().optional(),
});

function readProof(file: string): InclusionProof {
  let json: unknown;
  try {
    json = JSON.parse(readText(file, 'proof'));
  } catch (error) {
    if (error instanceof UfError) throw error;
    throw new UfError('parse_error', `not JSON: ${(error as Error).message}`, { file });
  }
  const parsed = proofSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UfError('parse_error', `not an inclusion proof from uf log prove: ${issue.message}`, { file, path: issue.path.join('.') });
  }
  const { seal, pruned, ...entry } = parsed.data.entry;
  const logEntry: LogEntry = { ...entry, ...(seal !== undefined ? { seal } : {}), ...(pruned ? { pruned } : {}) };
  return { ...parsed.data, entry: logEntry };
}
