/**
 * What the asynchronous sentiment path needs besides the ingest ports: the file's job record in the ledger, the job
 * API, job files in S3 and a delayed check. `shared/store/` implements them over AWS; tests pass fakes or the local
 * stack.
 */
import type { ComprehendLanguage } from '../domain/types.js';
import type { JobKind, JobSpec, JobView } from '../sentiment/async/job-client.js';
import type { JobOutputLine } from '../sentiment/async/job-output.js';
import type { CostEstimate } from '../sentiment/cost.js';
import type { TextCache } from '../sentiment/text-cache.js';
import type { IngestTarget } from './ingest.js';

/** One input file (a language's documents, or a part of them) and the jobs that read it. */
export interface AsyncJobGroup {
  language: ComprehendLanguage;
  part: number;
  /** Key of the input file (one document a line). */
  inputKey: string;
  /** Key of the file naming the cache key of each input line. */
  keysKey: string;
  documents: number;
  /** Billable units of the group's documents, once per job (what the jobs cost). */
  units: number;
  jobs: { kind: JobKind; jobId: string }[];
  /** Set once the group's results are in the text cache. */
  filled: boolean;
}

/** A file's asynchronous jobs, kept in the file's ledger partition. */
export interface AsyncJobsRecord {
  status: 'running' | 'filled';
  /** ISO time the jobs were started. */
  startedAt: string;
  /** The check the current delayed message carries: only that message schedules the next one. */
  pollId: string;
  /** ISO time the current delayed check is due; a chain overdue by far is taken over by any message. */
  nextCheckAt: string;
  groups: AsyncJobGroup[];
  /**
   * The file's estimate from before the jobs started: its later checks skip the estimate's read (the cache is full by
   * then, so a new read would price nothing), and its report still carries it.
   */
  estimate?: CostEstimate;
}

export interface AsyncJobLedger {
  readAsyncJobs(fileId: string): Promise<AsyncJobsRecord | undefined>;
  /** Writes the record while `token` holds the file's lease. Throws FileLeaseLostError otherwise. */
  writeAsyncJobs(fileId: string, token: string, record: AsyncJobsRecord): Promise<void>;
}

export interface ComprehendJobs {
  start(spec: JobSpec): Promise<string>;
  describe(kind: JobKind, jobId: string): Promise<JobView>;
  stop(kind: JobKind, jobId: string): Promise<void>;
}

export interface JobFiles {
  putLines(bucket: string, key: string, lines: readonly string[]): Promise<void>;
  readLines(bucket: string, key: string): AsyncIterable<string>;
  /** The result lines of the `output.tar.gz` at `uri` (`s3://…`). */
  readOutput(uri: string): AsyncIterable<JobOutputLine>;
}

/** Sends the file's delayed check: a continuation message carrying `pollId`. */
export interface JobPoller {
  checkLater(target: IngestTarget, pollId: string, delaySeconds: number): Promise<void>;
}

export interface AsyncSentimentPorts {
  ledger: AsyncJobLedger;
  jobs: ComprehendJobs;
  files: JobFiles;
  poller: JobPoller;
  cache: TextCache;
}
