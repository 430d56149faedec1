import type { AsyncJobsConfig } from '../../config/env.js';
import type { AsyncSentimentPorts } from '../../ports/async-jobs.js';
import type { IngestTarget } from '../../ports/ingest.js';

/** What the asynchronous path is given by the ingest function (and by tests). */
export interface AsyncSentiment {
  ports: AsyncSentimentPorts;
  config: AsyncJobsConfig;
  /** Key-phrase jobs beside the sentiment jobs (`themesEnabled`). */
  themes: boolean;
  now?: () => Date;
  /** Reports one of `COMPREHEND_JOBS.metrics`. */
  metric?: (name: string, value: number) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => void;
  /** Test hook: called after each group's results reached the cache (fault injection kills the worker here). */
  afterFill?: (group: number) => Promise<void> | void;
}

/** One file's view of the path: whose jobs, under which lease. */
export interface AsyncFile {
  target: IngestTarget;
  fileId: string;
  /** The worker's lease token: every ledger write is conditioned on it. */
  token: string;
}

export function clockOf(deps: AsyncSentiment): () => Date {
  return deps.now ?? (() => new Date());
}
