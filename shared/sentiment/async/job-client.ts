/**
 * Starting, checking and stopping Comprehend's asynchronous sentiment and key-phrase jobs. Input is one document a
 * line; a job is named by its client request token, so a start retried after a crash finds the job it started
 * rather than paying for a second one.
 */
import {
  type ComprehendClient,
  DescribeKeyPhrasesDetectionJobCommand,
  DescribeSentimentDetectionJobCommand,
  type JobStatus,
  StartKeyPhrasesDetectionJobCommand,
  StartSentimentDetectionJobCommand,
  StopKeyPhrasesDetectionJobCommand,
  StopSentimentDetectionJobCommand,
} from '@aws-sdk/client-comprehend';
import type { ComprehendLanguage } from '../../domain/types.js';

export type JobKind = 'sentiment' | 'keyPhrases';

export interface JobSpec {
  kind: JobKind;
  language: ComprehendLanguage;
  /** `s3://bucket/key` of the input file (one document a line). */
  inputUri: string;
  /** `s3://bucket/prefix/`: Comprehend writes `output.tar.gz` in a folder of the job's own below it. */
  outputUri: string;
  roleArn: string;
  /** Idempotency token, 1–64 characters of `[a-zA-Z0-9-]`; also the job's name. */
  token: string;
}

export type JobState = 'running' | 'completed' | 'failed';

export interface JobView {
  state: JobState;
  /** Comprehend's status as it answered. */
  status: JobStatus | 'UNKNOWN';
  /** Where `output.tar.gz` is, once the job completed. */
  outputUri?: string;
  message?: string;
}

/** Comprehend accepted the request but answered without what it must return. */
export class JobResponseError extends Error {
  override name = 'JobResponseError';
}

/** Starts a job; returns its id. */
export async function startJob(client: ComprehendClient, spec: JobSpec): Promise<string> {
  const input = {
    InputDataConfig: { S3Uri: spec.inputUri, InputFormat: 'ONE_DOC_PER_LINE' as const },
    OutputDataConfig: { S3Uri: spec.outputUri },
    DataAccessRoleArn: spec.roleArn,
    LanguageCode: spec.language,
    JobName: spec.token,
    ClientRequestToken: spec.token,
  };
  const out =
    spec.kind === 'sentiment'
      ? await client.send(new StartSentimentDetectionJobCommand(input))
      : await client.send(new StartKeyPhrasesDetectionJobCommand(input));
  if (!out.JobId) throw new JobResponseError(`Start${spec.kind} job returned no JobId`);
  return out.JobId;
}

/** A job's state: running (submitted, in progress, stop requested), completed, or failed (failed or stopped). */
export async function describeJob(client: ComprehendClient, kind: JobKind, jobId: string): Promise<JobView> {
  const props =
    kind === 'sentiment'
      ? (await client.send(new DescribeSentimentDetectionJobCommand({ JobId: jobId }))).SentimentDetectionJobProperties
      : (await client.send(new DescribeKeyPhrasesDetectionJobCommand({ JobId: jobId })))
          .KeyPhrasesDetectionJobProperties;
  const status = props?.JobStatus ?? 'UNKNOWN';
  const view: JobView = { state: stateOf(status), status };
  if (props?.OutputDataConfig?.S3Uri) view.outputUri = props.OutputDataConfig.S3Uri;
  if (props?.Message) view.message = props.Message;
  return view;
}

export async function stopJob(client: ComprehendClient, kind: JobKind, jobId: string): Promise<void> {
  if (kind === 'sentiment') await client.send(new StopSentimentDetectionJobCommand({ JobId: jobId }));
  else await client.send(new StopKeyPhrasesDetectionJobCommand({ JobId: jobId }));
}

function stateOf(status: JobStatus | 'UNKNOWN'): JobState {
  switch (status) {
    case 'COMPLETED':
      return 'completed';
    case 'FAILED':
    case 'STOPPED':
      return 'failed';
    default:
      return 'running';
  }
}
