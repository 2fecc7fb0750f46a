/** What the open-loop generator (proxy-open-loop.ts) prints, as one JSON line; parsed where it is read. */
import { z } from 'zod';

export const openLoopReportSchema = z.object({
  rate: z.number(),
  /** Requests sent after the warm-up, per second of the measured window. */
  sentRate: z.number(),
  completed: z.number(),
  /** Socket errors and answers other than 200. */
  errors: z.number(),
  /** Requests still queued or unanswered 3 s after the schedule ended. */
  unfinished: z.number(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p99Ms: z.number(),
  p999Ms: z.number(),
  maxMs: z.number(),
  /** The longest a sender's 1 ms timer took to come round: its own stalls, which inflate latencies. */
  maxTickGapMs: z.number(),
});

export type OpenLoopReport = z.infer<typeof openLoopReportSchema>;
