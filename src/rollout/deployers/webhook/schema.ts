import { z } from 'zod';
import { isDigest } from '../steps.js';

/**
 * The callback a CD system POSTs when it is done, signed over its raw bytes. `timestamp` (ISO-8601
 * or seconds since the epoch) sits inside the signed body, so it cannot be changed to pass a replay
 * off as fresh.
 *
 *   {"requestId": "dep_…", "status": "succeeded", "digest": "sha256:…", "url": "http://…",
 *    "timestamp": "2026-12-01T03:00:00Z", "callbackId": "run-42", "message": "deployed"}
 */
export const callbackBodySchema = z.object({
  requestId: z.string().min(1).max(200),
  status: z.enum(['succeeded', 'failed']),
  digest: z.string().refine(isDigest, 'a digest such as sha256:<64 hex>').optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]),
  callbackId: z.string().max(200).optional(),
  message: z.string().max(2000).optional(),
});
export type CallbackBody = z.output<typeof callbackBodySchema>;

/** What the deployer POSTs to the CD system for one operation. */
export interface DeployRequestBody {
  requestId: string;
  operation: string;
  service: string;
  upgrade: string;
  attempt: number;
  environment?: string;
  fromVersion: string;
  toVersion: string;
  /** The version this operation runs (fromVersion for the baseline). */
  version: string;
  variant: string;
  /** Where to POST the signed callback, when uf knows its own address. */
  callbackUrl?: string;
}
