/**
 * Local Comprehend-compatible endpoint: a node:http server speaking AWS JSON 1.1 (`POST /`,
 * `X-Amz-Target: Comprehend_20171127.<Operation>`) for the sentiment, key-phrase and dominant-language operations,
 * with the real service's validation and error shapes, backed by the offline model. SigV4 is ignored.
 *
 * Batch documents over 5,000 bytes get a per-item `TEXT_SIZE_LIMIT_EXCEEDED` entry (what the real service does is
 * undocumented; the adapter never sends such documents); single-document operations fail whole with
 * `TextSizeLimitExceededException`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { COMPREHEND_LANGUAGES } from '../shared/domain/types.js';
import { AwsJsonError } from './aws-json-server.js';
import { detectDominantLanguageOffline } from './comprehend/dominant-language.js';
import { type JobFault, type LocalJobKind, LocalJobs } from './comprehend/jobs.js';
import { detectKeyPhrasesOffline } from './comprehend/offline/key-phrases.js';
import { detectSentimentOffline } from './comprehend/offline/model.js';

export type ComprehendOperation =
  | 'BatchDetectSentiment'
  | 'DetectSentiment'
  | 'BatchDetectDominantLanguage'
  | 'DetectDominantLanguage'
  | 'BatchDetectKeyPhrases'
  | 'DetectKeyPhrases'
  | JobOperation;

/** The asynchronous-job operations the pipeline uses (see comprehend/jobs.ts). */
export type JobOperation = `${'Start' | 'Describe' | 'Stop'}${'SentimentDetection' | 'KeyPhrasesDetection'}Job`;

const JOB_OPERATIONS: Record<string, { kind: LocalJobKind; verb: 'Start' | 'Describe' | 'Stop' }> = {
  StartSentimentDetectionJob: { kind: 'sentiment', verb: 'Start' },
  DescribeSentimentDetectionJob: { kind: 'sentiment', verb: 'Describe' },
  StopSentimentDetectionJob: { kind: 'sentiment', verb: 'Stop' },
  StartKeyPhrasesDetectionJob: { kind: 'keyPhrases', verb: 'Start' },
  DescribeKeyPhrasesDetectionJob: { kind: 'keyPhrases', verb: 'Describe' },
  StopKeyPhrasesDetectionJob: { kind: 'keyPhrases', verb: 'Stop' },
};

/** One injected fault; faults are consumed in order, each for `times` matching requests (default 1). */
export type Fault =
  | { kind: 'throttle'; operation?: ComprehendOperation; times?: number; status?: 400 | 429 }
  | { kind: 'server-error'; operation?: ComprehendOperation; times?: number; status?: 500 | 502 | 503 }
  | {
      kind: 'item-errors';
      operation?: ComprehendOperation;
      times?: number;
      /** Zero-based indexes in the request's TextList that get an ErrorList entry. */
      indexes: number[];
      /** @default 'InternalServerException' */
      errorCode?: string;
    }
  /** The job the matching Start request starts ends FAILED with this message. */
  | { kind: 'job-failed'; operation?: JobOperation; times?: number; message?: string }
  /** The job the matching Start request starts completes with these (zero-based) lines left out or as errors. */
  | { kind: 'job-partial'; operation?: JobOperation; times?: number; missingLines?: number[]; errorLines?: number[] };

export type FaultPlan = Fault | Fault[];

export interface CallLog {
  operation: string;
  documents: number;
  languageCode?: string;
  status: number;
  errorType?: string;
  /** Indexes that came back in ErrorList. */
  itemErrors?: number[];
}

export interface ComprehendServer {
  url: string;
  port: number;
  close(): Promise<void>;
  injectFaults(f: FaultPlan): void;
  calls(): CallLog[];
  /** Connects the job operations to the local S3 (jobs read their input from it and write their output to it). */
  useS3(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): void;
}

const TARGET_PREFIX = 'Comprehend_20171127.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_BATCH = 25;
const MAX_BATCH_BYTES = 5000;
const MAX_SENTIMENT_BYTES = 5000;
const MAX_LARGE_BYTES = 100_000;
const MAX_BODY_BYTES = 2_000_000;
const LANGUAGES = new Set<string>(COMPREHEND_LANGUAGES);

interface Item {
  index: number;
  text: string;
}

type Body = Record<string, unknown>;

function requireLanguage(body: Body): string {
  const code = body.LanguageCode;
  if (code === undefined || code === null) {
    throw new AwsJsonError(
      'InvalidRequestException',
      "1 validation error detected: Value null at 'languageCode' failed to satisfy constraint: Member must not be null",
    );
  }
  if (typeof code !== 'string' || !LANGUAGES.has(code)) {
    throw new AwsJsonError(
      'UnsupportedLanguageException',
      `Unsupported language code: ${String(code)}. Supported languages are ${COMPREHEND_LANGUAGES.join(', ')}`,
    );
  }
  return code;
}

function requireText(body: Body, maxBytes: number): string {
  const text = body.Text;
  if (typeof text !== 'string') {
    throw new AwsJsonError(
      'InvalidRequestException',
      "1 validation error detected: Value null at 'text' failed to satisfy constraint: Member must not be null",
    );
  }
  if (text.length === 0) {
    throw new AwsJsonError(
      'InvalidRequestException',
      "1 validation error detected: Value at 'text' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new AwsJsonError(
      'TextSizeLimitExceededException',
      `Input text size exceeds limit. Max length of request text allowed is ${maxBytes} bytes while in this request the text size is ${bytes} bytes`,
    );
  }
  return text;
}

function requireTextList(body: Body): string[] {
  const list = body.TextList;
  if (!Array.isArray(list)) {
    throw new AwsJsonError(
      'InvalidRequestException',
      "1 validation error detected: Value null at 'textList' failed to satisfy constraint: Member must not be null",
    );
  }
  if (list.length === 0) {
    throw new AwsJsonError(
      'InvalidRequestException',
      "1 validation error detected: Value '[]' at 'textList' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (list.length > MAX_BATCH) {
    throw new AwsJsonError(
      'BatchSizeLimitExceededException',
      `The number of documents in the request exceeds the limit of ${MAX_BATCH}. Number of documents in the request: ${list.length}`,
    );
  }
  list.forEach((t, i) => {
    if (typeof t !== 'string' || t.length === 0) {
      throw new AwsJsonError(
        'InvalidRequestException',
        `1 validation error detected: Value at 'textList.${i + 1}.member' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      );
    }
  });
  return list as string[];
}

function sentimentOf(text: string, language: string) {
  const { label, score } = detectSentimentOffline(text, language);
  return { Sentiment: label, SentimentScore: score };
}

/** Splits a batch into documents to process and per-item errors (oversized or injected). */
function partition(texts: string[], injected: Set<number>, injectedCode: string) {
  const ok: Item[] = [];
  const errors: Array<{ Index: number; ErrorCode: string; ErrorMessage: string }> = [];
  texts.forEach((text, index) => {
    if (injected.has(index)) {
      errors.push({
        Index: index,
        ErrorCode: injectedCode,
        ErrorMessage:
          injectedCode === 'InternalServerException' ? 'Unexpected Server Error. Please try again.' : injectedCode,
      });
      return;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_BATCH_BYTES) {
      errors.push({
        Index: index,
        ErrorCode: 'TEXT_SIZE_LIMIT_EXCEEDED',
        ErrorMessage: `Input text size exceeds limit. Max length of request text allowed is ${MAX_BATCH_BYTES} bytes while in this request the text size is ${bytes} bytes`,
      });
      return;
    }
    ok.push({ index, text });
  });
  return { ok, errors };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AwsJsonError('InvalidRequestException', 'Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Starts the local Comprehend endpoint.
 * @param opts.host @default '127.0.0.1'
 * @param opts.port @default 0 (a free port)
 */
export async function startComprehendServer(
  opts: {
    host?: string;
    port?: number;
    /** Milliseconds an asynchronous job takes. @default 1500 */
    jobDelayMs?: number;
    /** Account and region in job ARNs and output folders. @default '000000000000', 'us-east-1' */
    accountId?: string;
    region?: string;
  } = {},
): Promise<ComprehendServer> {
  const host = opts.host ?? '127.0.0.1';
  const region = opts.region ?? 'us-east-1';
  const jobs = new LocalJobs({ delayMs: opts.jobDelayMs ?? 1500, accountId: opts.accountId ?? '000000000000', region });
  const faults: Array<Fault & { remaining: number }> = [];
  const log: CallLog[] = [];

  const takeFault = (operation: string): (Fault & { remaining: number }) | undefined => {
    const at = faults.findIndex((f) => f.remaining > 0 && (f.operation === undefined || f.operation === operation));
    if (at < 0) return undefined;
    const fault = faults[at];
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) faults.splice(at, 1);
    return fault;
  };

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': randomUUID(),
    });
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const entry: CallLog = { operation: 'unknown', documents: 0, status: 200 };
    try {
      if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
        throw new AwsJsonError('UnknownOperationException', 'Only POST / is supported', 404);
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith(TARGET_PREFIX)) {
        throw new AwsJsonError('UnknownOperationException', `Unknown target: ${target || '(none)'}`);
      }
      const operation = target.slice(TARGET_PREFIX.length);
      entry.operation = operation;
      const raw = await readBody(req);
      let body: Body;
      try {
        const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Body;
      } catch {
        throw new AwsJsonError('SerializationException', 'Request body is not a JSON object');
      }
      if (Array.isArray(body.TextList)) entry.documents = body.TextList.length;
      else if (typeof body.Text === 'string') entry.documents = 1;
      if (typeof body.LanguageCode === 'string') entry.languageCode = body.LanguageCode;

      const fault = takeFault(operation);
      if (fault?.kind === 'throttle')
        throw new AwsJsonError('ThrottlingException', 'Rate exceeded', fault.status ?? 400);
      if (fault?.kind === 'server-error') {
        const status = fault.status ?? 500;
        throw new AwsJsonError(
          status === 503 ? 'ServiceUnavailableException' : 'InternalServerException',
          'Internal server error',
          status,
        );
      }
      const injected = new Set(fault?.kind === 'item-errors' ? fault.indexes : []);
      const injectedCode = fault?.kind === 'item-errors' ? (fault.errorCode ?? 'InternalServerException') : '';

      let result: unknown;
      const jobOperation = JOB_OPERATIONS[operation];
      if (jobOperation) {
        send(res, 200, runJobOperation(jobs, jobOperation, body, fault));
        return;
      }
      switch (operation) {
        case 'DetectSentiment': {
          const language = requireLanguage(body);
          result = sentimentOf(requireText(body, MAX_SENTIMENT_BYTES), language);
          break;
        }
        case 'BatchDetectSentiment': {
          const texts = requireTextList(body);
          const language = requireLanguage(body);
          const { ok, errors } = partition(texts, injected, injectedCode);
          result = {
            ResultList: ok.map(({ index, text }) => ({ Index: index, ...sentimentOf(text, language) })),
            ErrorList: errors,
          };
          break;
        }
        case 'DetectKeyPhrases': {
          const language = requireLanguage(body);
          result = { KeyPhrases: detectKeyPhrasesOffline(requireText(body, MAX_LARGE_BYTES), language) };
          break;
        }
        case 'BatchDetectKeyPhrases': {
          const texts = requireTextList(body);
          const language = requireLanguage(body);
          const { ok, errors } = partition(texts, injected, injectedCode);
          result = {
            ResultList: ok.map(({ index, text }) => ({
              Index: index,
              KeyPhrases: detectKeyPhrasesOffline(text, language),
            })),
            ErrorList: errors,
          };
          break;
        }
        case 'DetectDominantLanguage':
          result = { Languages: detectDominantLanguageOffline(requireText(body, MAX_LARGE_BYTES)) };
          break;
        case 'BatchDetectDominantLanguage': {
          const { ok, errors } = partition(requireTextList(body), injected, injectedCode);
          result = {
            ResultList: ok.map(({ index, text }) => ({ Index: index, Languages: detectDominantLanguageOffline(text) })),
            ErrorList: errors,
          };
          break;
        }
        default:
          throw new AwsJsonError('UnknownOperationException', `Unknown operation: ${operation}`);
      }
      const errorList = (result as { ErrorList?: Array<{ Index: number }> }).ErrorList;
      if (errorList && errorList.length > 0) entry.itemErrors = errorList.map((e) => e.Index);
      send(res, 200, result);
    } catch (error) {
      const e =
        error instanceof AwsJsonError
          ? error
          : new AwsJsonError('InternalServerException', 'Internal server error', 500);
      entry.status = e.status;
      entry.errorType = e.type;
      // awsJson1_1: the error type in `__type`; ThrottlingException uses lower-case `message` like other AWS services.
      const body =
        e.type === 'ThrottlingException'
          ? { __type: e.type, message: e.message }
          : { __type: e.type, Message: e.message };
      if (!res.headersSent) send(res, e.status, body);
    } finally {
      log.push(entry);
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        jobs.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
    injectFaults(f: FaultPlan) {
      for (const fault of Array.isArray(f) ? f : [f]) faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    calls: () => log.map((c) => ({ ...c })),
    useS3: (endpoint, credentials) =>
      jobs.useS3(new S3Client({ endpoint, region, credentials, forcePathStyle: true, maxAttempts: 3 })),
  };
}

function runJobOperation(
  jobs: LocalJobs,
  op: { kind: LocalJobKind; verb: 'Start' | 'Describe' | 'Stop' },
  body: Body,
  fault: Fault | undefined,
): unknown {
  if (op.verb === 'Describe') return jobs.describe(op.kind, body);
  if (op.verb === 'Stop') return jobs.stop(op.kind, body);
  return jobs.start(op.kind, body, requireLanguage(body), jobFaultOf(fault));
}

function jobFaultOf(fault: Fault | undefined): JobFault | undefined {
  if (fault?.kind === 'job-failed') return { fail: fault.message ?? 'INTERNAL_SERVER_ERROR: the job failed' };
  if (fault?.kind === 'job-partial') return { missingLines: fault.missingLines, errorLines: fault.errorLines };
  return undefined;
}
