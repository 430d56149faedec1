import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Loopback only: the emulators hold no secrets, but nothing outside this machine should reach them. */
export const LOOPBACK = '127.0.0.1';

/**
 * An error the emulator reports the way AWS JSON protocols do: HTTP status plus `{"__type", "message"}`.
 * `queryError` fills `x-amzn-query-error`, which services with the awsQueryCompatible trait (SQS) send.
 */
export class AwsJsonError extends Error {
  override name = 'AwsJsonError';
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly queryError?: string,
  ) {
    super(message);
  }
}

/** One operation of an AWS JSON (1.0 or 1.1) service: the parsed request body in, the response body out. */
export type AwsJsonOperation = (input: Record<string, unknown>) => unknown;

export interface AwsJsonServerOptions {
  /** `AmazonSQS`, `AWSEvents`, … — the part of `X-Amz-Target` before the dot. */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` or `application/x-amz-json-1.1`. */
  contentType: string;
  operations: Record<string, AwsJsonOperation>;
  /** Prefix for `__type` of protocol-level errors (unknown operation, bad JSON). */
  errorNamespace?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  host?: string;
  port?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a node:http server speaking an AWS JSON protocol (`X-Amz-Target: <prefix>.<Operation>`). */
export async function startAwsJsonServer(options: AwsJsonServerOptions): Promise<RunningServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const namespace = options.errorNamespace ?? '';
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log?.(`${options.targetPrefix}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, new AwsJsonError(`${namespace}InternalFailure`, 'Internal error', 500));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req, maxBodyBytes);
    if (raw === undefined) {
      sendError(res, new AwsJsonError(`${namespace}RequestEntityTooLarge`, 'Request body too large', 413));
      return;
    }
    const target = headerValue(req, 'x-amz-target');
    const [prefix, operationName] = target.split('.', 2);
    const operation = operationName === undefined ? undefined : options.operations[operationName];
    if (req.method !== 'POST' || prefix !== options.targetPrefix || operation === undefined) {
      sendError(res, new AwsJsonError(`${namespace}UnknownOperationException`, `Unknown operation ${target}`));
      return;
    }
    let input: unknown;
    try {
      input = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch {
      sendError(res, new AwsJsonError(`${namespace}SerializationException`, 'Request body is not valid JSON'));
      return;
    }
    if (!isRecord(input)) {
      sendError(res, new AwsJsonError(`${namespace}SerializationException`, 'Request body must be a JSON object'));
      return;
    }
    try {
      const output = await operation(input);
      send(res, 200, output ?? {});
    } catch (error) {
      if (error instanceof AwsJsonError) sendError(res, error);
      else throw error;
    }
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    res.writeHead(status, {
      'content-type': options.contentType,
      'content-length': String(payload.length),
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    res.end(payload);
  }

  function sendError(res: ServerResponse, error: AwsJsonError): void {
    const headers: Record<string, string> = { 'x-amzn-errortype': error.type };
    if (error.queryError !== undefined) headers['x-amzn-query-error'] = error.queryError;
    send(res, error.status, { __type: error.type, message: error.message }, headers);
  }

  const port = await listen(server, options.host ?? LOOPBACK, options.port ?? 0);
  return { url: `http://${options.host ?? LOOPBACK}:${port}`, port, close: () => closeServer(server) };
}

/** Listens and resolves with the bound port (0 picks a free one). */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server, dropping idle keep-alive connections so the close does not hang. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** A port that was free a moment ago, for children (DynamoDB Local) that cannot report the port they bound. */
export async function findFreePort(host = LOOPBACK): Promise<number> {
  const server = createServer();
  const port = await listen(server, host, 0);
  await closeServer(server);
  return port;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
