/**
 * Comprehend's asynchronous jobs (`StartSentimentDetectionJob`, `StartKeyPhrasesDetectionJob`): where their input and
 * output live in the ingest bucket, their limits, and the metrics the ingest function reports about them. The CDK
 * stack (data-access role, lifecycle, alarm) and the pipeline both read these values.
 *
 * Default threshold, from the quotas in the handbook (aws-facts 1.5–1.7): the synchronous path is capped at about
 * 250 documents a second per account (10 TPS × 25 documents), shared by every ingest invocation; a job is not
 * throttled that way but costs a fixed wait (submission queue and start-up: minutes, not documented; we model
 * 5–10 minutes) plus a pre-pass over the file. The price per unit is the same either way, but with themes on a
 * key-phrase job analyses every text where the batch path sends only negative and mixed ones: on the bench export
 * the jobs bill about 1.4 × the batches' units (README, "Big files and cost"). Break-even in time is where the
 * synchronous calls take as long as that fixed wait: 250 docs/s × ~400 s ≈ 100,000 documents, which is also about
 * what two 300-second invocations of synchronous calls get through. Below it the jobs only add latency; far above
 * it (a million unique texts: ~67 minutes synchronous) they finish in minutes. Jobs are also few per account (10
 * active per type), which a high threshold keeps for the files that need them.
 */
export const COMPREHEND_JOBS = {
  /** Job input, one document a line per language; the data-access role may read only this prefix. */
  inputPrefix: 'comprehend-jobs/input/',
  /** Job output (`<prefix>/<account>-<TYPE>-<jobId>/output/output.tar.gz`); the role may write only here. */
  outputPrefix: 'comprehend-jobs/output/',
  /** Which cache key each input line stands for; read by the function only, never by Comprehend. */
  keysPrefix: 'comprehend-jobs/keys/',
  /** Everything under `comprehend-jobs/` is transient: the text cache keeps the results. */
  rootPrefix: 'comprehend-jobs/',
  expireAfterDays: 7,
  /** Comprehend's limit for one job in the one-document-per-line format (DG: 1,000,000 lines). */
  maxLinesPerJob: 1_000_000,
  /** Uncached unique texts above which a file uses the jobs (see above). */
  defaultThreshold: 100_000,
  metrics: {
    jobsStarted: 'AsyncJobsStarted',
    jobsFailed: 'AsyncJobsFailed',
    /** Minutes since the file's jobs were started, reported at every check while any still runs. */
    jobWaitMinutes: 'AsyncJobWaitMinutes',
    /** Documents whose job result was missing or an error line, analysed synchronously instead. */
    documentsFallenBack: 'AsyncDocumentsFallenBack',
  },
} as const;
