/**
 * Names a request to a local AWS endpoint by the operation it asks for, the way AWS bills and meters it: AWS JSON
 * protocols (DynamoDB, Comprehend, SQS, EventBridge) by their `X-Amz-Target` header, S3 (REST, path-style as the
 * local stack addresses s3rver) by method, path depth and query. Also counts what a request carries that matters
 * for cost: Comprehend documents (each one billed, each one against the documents-per-second quota) and DynamoDB
 * items written.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type CountedService = 's3' | 'dynamodb' | 'comprehend' | 'sqs' | 'events';

/** `Comprehend_20171127.BatchDetectSentiment` → `BatchDetectSentiment`; no header → `unknown`. */
export function jsonOperation(target: string | string[] | undefined): string {
  const value = Array.isArray(target) ? target[0] : target;
  if (value === undefined || value === '') return 'unknown';
  const dot = value.lastIndexOf('.');
  return dot === -1 ? value : value.slice(dot + 1);
}

/** The S3 operation of a path-style request (`/<bucket>` or `/<bucket>/<key>`). */
export function s3Operation(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): string {
  const parsed = new URL(url ?? '/', 'http://local');
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const q = parsed.searchParams;
  const onObject = segments.length > 1;
  switch ((method ?? 'GET').toUpperCase()) {
    case 'GET':
      if (!onObject) return bucketGet(q);
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('tagging')) return 'GetObjectTagging';
      return headers.range === undefined ? 'GetObject' : 'GetObject (range)';
    case 'HEAD':
      return onObject ? 'HeadObject' : 'HeadBucket';
    case 'PUT':
      if (!onObject) return 'CreateBucket';
      if (headers['x-amz-copy-source'] !== undefined) return q.has('partNumber') ? 'UploadPartCopy' : 'CopyObject';
      if (q.has('partNumber')) return 'UploadPart';
      return q.has('tagging') ? 'PutObjectTagging' : 'PutObject';
    case 'POST':
      if (q.has('delete')) return 'DeleteObjects';
      if (q.has('uploads')) return 'CreateMultipartUpload';
      return q.has('uploadId') ? 'CompleteMultipartUpload' : 'PostObject';
    case 'DELETE':
      if (!onObject) return 'DeleteBucket';
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return `${method} (other)`;
  }
}

function bucketGet(q: URLSearchParams): string {
  if (q.get('list-type') === '2') return 'ListObjectsV2';
  if (q.has('versions')) return 'ListObjectVersions';
  if (q.has('uploads')) return 'ListMultipartUploads';
  if (q.has('location')) return 'GetBucketLocation';
  return 'ListObjects';
}

/** Documents a Comprehend request sends for analysis: a batch's `TextList`, one for a single `Detect*`. */
export function comprehendDocuments(operation: string, body: unknown): number {
  if (operation.startsWith('BatchDetect')) {
    const list = field(body, 'TextList');
    return Array.isArray(list) ? list.length : 0;
  }
  return operation.startsWith('Detect') ? 1 : 0;
}

/** Items a DynamoDB request writes (Put, Update, Delete; a transaction's ConditionCheck writes nothing). */
export function dynamoDbWriteItems(operation: string, body: unknown): number {
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return 1;
    case 'TransactWriteItems': {
      const items = field(body, 'TransactItems');
      if (!Array.isArray(items)) return 0;
      return items.filter((i) => field(i, 'ConditionCheck') === undefined).length;
    }
    case 'BatchWriteItem': {
      const byTable = field(body, 'RequestItems');
      if (typeof byTable !== 'object' || byTable === null) return 0;
      return Object.values(byTable).reduce((n: number, list) => n + (Array.isArray(list) ? list.length : 0), 0);
    }
    default:
      return 0;
  }
}

/** DynamoDB operations that write (and are billed in write request units). */
export const DYNAMODB_WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
