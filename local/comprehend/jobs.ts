/**
 * The local Comprehend endpoint's asynchronous jobs: Start/Describe/Stop for sentiment and key-phrase detection over
 * the local S3. A job reads its input (one document a line, or one a file) a short, configurable delay after it is
 * started, writes `output.tar.gz` the way the service does (a gzipped tar holding one file, `output`, of JSON lines
 * `{"File","Line",…}`, under `<output prefix><account>-<SENTIMENT|KP>-<jobId>/output/`) and completes. Documents over
 * the sentiment size limit get an `ErrorCode` line, as in the service's output. Faults: a job that fails, and output
 * with lines missing or turned into error lines.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { createGzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { pack } from 'tar-stream';
import { AwsJsonError } from '../aws-json-server.js';
import { detectKeyPhrasesOffline } from './offline/key-phrases.js';
import { detectSentimentOffline } from './offline/model.js';

export type LocalJobKind = 'sentiment' | 'keyPhrases';

/** What a fault does to the job started by the request it was injected for. */
export type JobFault = { fail: string } | { missingLines?: number[]; errorLines?: number[] };

type Status = 'SUBMITTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'STOP_REQUESTED' | 'STOPPED';

interface LocalJob {
  kind: LocalJobKind;
  id: string;
  name?: string;
  status: Status;
  message?: string;
  submitTime: number;
  endTime?: number;
  input: { S3Uri: string; InputFormat: string };
  outputUri: string;
  language: string;
  roleArn: string;
  fault?: JobFault;
  timer?: NodeJS.Timeout;
}

/** The service's limit for one sentiment document in a job (its error line says 5120 bytes). */
const MAX_JOB_DOCUMENT_BYTES = 5120;
const ROLE_ARN = /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/;
const TYPE_FOLDER: Record<LocalJobKind, string> = { sentiment: 'SENTIMENT', keyPhrases: 'KP' };
const ARN_RESOURCE: Record<LocalJobKind, string> = {
  sentiment: 'sentiment-detection-job',
  keyPhrases: 'key-phrases-detection-job',
};
const PROPERTIES: Record<LocalJobKind, string> = {
  sentiment: 'SentimentDetectionJobProperties',
  keyPhrases: 'KeyPhrasesDetectionJobProperties',
};

export interface LocalJobsOptions {
  /** Milliseconds from start to completion. */
  delayMs: number;
  accountId: string;
  region: string;
}

function s3Location(uri: unknown, member: string): { bucket: string; key: string } {
  const match = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri) : null;
  if (!match?.[1]) throw new AwsJsonError('InvalidRequestException', `${member}.S3Uri must be an s3:// URI`);
  return { bucket: match[1], key: match[2] ?? '' };
}

/** The jobs one local endpoint runs; they need the local S3, connected once it is up. */
export class LocalJobs {
  private readonly jobs = new Map<string, LocalJob>();
  private readonly byToken = new Map<string, string>();
  private s3: S3Client | undefined;

  constructor(private readonly options: LocalJobsOptions) {}

  useS3(client: S3Client): void {
    this.s3 = client;
  }

  start(kind: LocalJobKind, body: Record<string, unknown>, language: string, fault?: JobFault) {
    const token = typeof body.ClientRequestToken === 'string' ? `${kind}:${body.ClientRequestToken}` : undefined;
    const known = token === undefined ? undefined : this.jobs.get(this.byToken.get(token) ?? '');
    if (known) return { JobId: known.id, JobArn: this.arn(known), JobStatus: known.status };
    const job = this.newJob(kind, body, language, fault);
    this.jobs.set(job.id, job);
    if (token) this.byToken.set(token, job.id);
    job.timer = setTimeout(() => void this.run(job), this.options.delayMs);
    return { JobId: job.id, JobArn: this.arn(job), JobStatus: job.status };
  }

  describe(kind: LocalJobKind, body: Record<string, unknown>) {
    const job = this.find(kind, body);
    return {
      [PROPERTIES[kind]]: {
        JobId: job.id,
        JobArn: this.arn(job),
        ...(job.name === undefined ? {} : { JobName: job.name }),
        JobStatus: job.status,
        ...(job.message === undefined ? {} : { Message: job.message }),
        SubmitTime: job.submitTime,
        ...(job.endTime === undefined ? {} : { EndTime: job.endTime }),
        InputDataConfig: job.input,
        OutputDataConfig: { S3Uri: job.outputUri },
        LanguageCode: job.language,
        DataAccessRoleArn: job.roleArn,
      },
    };
  }

  stop(kind: LocalJobKind, body: Record<string, unknown>) {
    const job = this.find(kind, body);
    if (job.status === 'SUBMITTED' || job.status === 'IN_PROGRESS' || job.status === 'STOP_REQUESTED') {
      clearTimeout(job.timer);
      job.status = 'STOPPED';
      job.endTime = Date.now() / 1000;
    }
    return { JobId: job.id, JobStatus: job.status };
  }

  close(): void {
    for (const job of this.jobs.values()) clearTimeout(job.timer);
  }

  private newJob(kind: LocalJobKind, body: Record<string, unknown>, language: string, fault?: JobFault): LocalJob {
    const input = (body.InputDataConfig ?? {}) as Record<string, unknown>;
    const output = (body.OutputDataConfig ?? {}) as Record<string, unknown>;
    s3Location(input.S3Uri, 'InputDataConfig');
    const out = s3Location(output.S3Uri, 'OutputDataConfig');
    const format = input.InputFormat ?? 'ONE_DOC_PER_FILE';
    if (format !== 'ONE_DOC_PER_LINE' && format !== 'ONE_DOC_PER_FILE')
      throw new AwsJsonError('InvalidRequestException', `Unknown InputFormat: ${String(format)}`);
    if (typeof body.DataAccessRoleArn !== 'string' || !ROLE_ARN.test(body.DataAccessRoleArn))
      throw new AwsJsonError('InvalidRequestException', 'DataAccessRoleArn must be an IAM role ARN');
    const id = randomBytes(16).toString('hex');
    const prefix = out.key === '' || out.key.endsWith('/') ? out.key : `${out.key}/`;
    const folder = `${this.options.accountId}-${TYPE_FOLDER[kind]}-${id}`;
    return {
      kind,
      id,
      ...(typeof body.JobName === 'string' ? { name: body.JobName } : {}),
      status: 'SUBMITTED',
      submitTime: Date.now() / 1000,
      input: { S3Uri: String(input.S3Uri), InputFormat: String(format) },
      outputUri: `s3://${out.bucket}/${prefix}${folder}/output/output.tar.gz`,
      language,
      roleArn: body.DataAccessRoleArn,
      ...(fault === undefined ? {} : { fault }),
    };
  }

  private find(kind: LocalJobKind, body: Record<string, unknown>): LocalJob {
    const job = typeof body.JobId === 'string' ? this.jobs.get(body.JobId) : undefined;
    if (!job || job.kind !== kind)
      throw new AwsJsonError('JobNotFoundException', `Job ${String(body.JobId)} not found`);
    return job;
  }

  private arn(job: LocalJob): string {
    return `arn:aws:comprehend:${this.options.region}:${this.options.accountId}:${ARN_RESOURCE[job.kind]}/${job.id}`;
  }

  private async run(job: LocalJob): Promise<void> {
    if (job.status !== 'SUBMITTED') return;
    job.status = 'IN_PROGRESS';
    try {
      if (job.fault && 'fail' in job.fault) throw new Error(job.fault.fail);
      const lines = await this.outputLines(job);
      await this.writeOutput(job, lines);
      // A stop that came while the output was being written wins, as in the service.
      if (job.status === 'IN_PROGRESS') job.status = 'COMPLETED';
    } catch (error) {
      if (job.status !== 'IN_PROGRESS') return;
      job.status = 'FAILED';
      job.message = error instanceof Error ? error.message : String(error);
    }
    job.endTime = Date.now() / 1000;
  }

  /** One JSON line per input document, minus the lines a fault leaves out. */
  private async outputLines(job: LocalJob): Promise<string[]> {
    const fault = job.fault && !('fail' in job.fault) ? job.fault : {};
    const missing = new Set(fault.missingLines ?? []);
    const errors = new Set(fault.errorLines ?? []);
    const out: string[] = [];
    for (const { name, documents } of await this.readInput(job)) {
      documents.forEach((text, line) => {
        if (missing.has(line)) return;
        if (errors.has(line)) {
          out.push(
            JSON.stringify({
              File: name,
              Line: line,
              ErrorCode: 'INTERNAL_SERVER_ERROR',
              ErrorMessage: 'Internal server error',
            }),
          );
          return;
        }
        out.push(JSON.stringify({ File: name, Line: line, ...resultOf(job, text) }));
      });
    }
    return out;
  }

  private async readInput(job: LocalJob): Promise<{ name: string; documents: string[] }[]> {
    const s3 = this.connected();
    const { bucket, key } = s3Location(job.input.S3Uri, 'InputDataConfig');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '').filter((k) => k !== '' && !k.endsWith('/'));
    if (keys.length === 0) throw new Error('NO_READ_ACCESS_TO_INPUT: no input objects under the input URI');
    const files: { name: string; documents: string[] }[] = [];
    for (const k of keys.sort()) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }));
      const text = (await got.Body?.transformToString('utf8')) ?? '';
      const documents = job.input.InputFormat === 'ONE_DOC_PER_LINE' ? text.split(/\r\n|\n|\r/) : [text];
      if (job.input.InputFormat === 'ONE_DOC_PER_LINE' && documents.at(-1) === '') documents.pop();
      files.push({ name: basename(k), documents });
    }
    return files;
  }

  private async writeOutput(job: LocalJob, lines: string[]): Promise<void> {
    const archive = pack();
    archive.entry({ name: 'output' }, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    archive.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of archive.pipe(createGzip())) chunks.push(chunk as Buffer);
    const { bucket, key } = s3Location(job.outputUri, 'OutputDataConfig');
    await this.connected().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.concat(chunks) }));
  }

  private connected(): S3Client {
    if (!this.s3) throw new Error('INTERNAL_SERVER_ERROR: the local endpoint has no S3 connected');
    return this.s3;
  }
}

function resultOf(job: LocalJob, text: string): Record<string, unknown> {
  if (job.kind === 'keyPhrases') return { KeyPhrases: detectKeyPhrasesOffline(text, job.language) };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_JOB_DOCUMENT_BYTES) {
    return {
      ErrorCode: 'DOCUMENT_SIZE_EXCEEDED',
      ErrorMessage: `Document size is exceeded maximum size limit ${MAX_JOB_DOCUMENT_BYTES} bytes.`,
    };
  }
  const { label, score } = detectSentimentOffline(text, job.language);
  return { Sentiment: label, SentimentScore: score };
}
