import { z } from 'zod';
import { durationFormat, parseDuration } from '../../core/duration.js';

const durationText = z.string({ error: durationFormat }).refine((value) => parseDuration(value) !== undefined, { message: durationFormat });

/**
 * `audit:` signed checkpoints of the operation log and its retention. `origin` names the log in
 * every checkpoint (and is the signing key's name); `checkpointDir` is where `uf log checkpoint`
 * writes checkpoint files when no --out is given (relative to the config file). Retention prunes
 * the content of entries older than `retention.keep` (`uf log prune`), and only entries a
 * published checkpoint covers, after archiving them with their proofs into `retention.archiveDir`:
 * their hashes stay, so the chain, every checkpoint and every proof keep verifying.
 */
export const auditSchema = z
  .object({
    origin: z.string().regex(/^[^\s+]+$/, 'a name without spaces or +, e.g. factory.example.com/log').default('upgrade-factory'),
    checkpointDir: z.string().min(1).default('.uf/checkpoints'),
    retention: z
      .object({
        /** Entries younger than this are never pruned; `never` keeps everything. */
        keep: z.union([z.literal('never'), durationText]).default('never'),
        archiveDir: z.string().min(1).default('.uf/log-archive'),
      })
      .strict()
      .default({ keep: 'never', archiveDir: '.uf/log-archive' }),
  })
  .strict()
  .default({ origin: 'upgrade-factory', checkpointDir: '.uf/checkpoints', retention: { keep: 'never', archiveDir: '.uf/log-archive' } });

export type AuditPolicy = z.infer<typeof auditSchema>;
