/**
 * A counting reverse proxy for one local AWS endpoint (node:http, loopback only). The functions under test are
 * pointed at it through the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables, so the code path is the production one;
 * the proxy forwards every request unchanged (headers included, so signatures still match) and counts it by
 * operation. Bodies of JSON services are buffered (they are small) to count documents and written items; S3 bodies
 * stream through.
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CountedService,
  comprehendDocuments,
  dynamoDbWriteItems,
  jsonOperation,
  s3Operation,
} from './operation.js';

const LOOPBACK = '127.0.0.1';

export interface ServiceCounts {
  /** Requests by operation. */
  requests: Record<string, number>;
  /** Requests answered with an HTTP status ≥ 400, by operation (throttling, conditional failures, …). */
  errors: Record<string, number>;
  /** Comprehend: documents sent, by operation. */
  documents: Record<string, number>;
  /** DynamoDB: items written (Put, Update, Delete actions). */
  writeItems: number;
}

export interface CountingProxy {
  service: CountedService;
  url: string;
  /** Where requests go: set once the emulator is up (the proxy starts first so its URL can go in the env). */
  setTarget(url: string): void;
  counts(): ServiceCounts;
  reset(): void;
  close(): Promise<void>;
}

function emptyCounts(): ServiceCounts {
  return { requests: {}, errors: {}, documents: {}, writeItems: 0 };
}

function bump(map: Record<string, number>, key: string, by = 1): void {
  if (by !== 0) map[key] = (map[key] ?? 0) + by;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function startCountingProxy(service: CountedService): Promise<CountingProxy> {
  let target: URL | undefined;
  let counts = emptyCounts();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (target === undefined) throw new Error(`${service} proxy has no target yet`);
    const json = service !== 's3';
    const operation = json ? jsonOperation(req.headers['x-amz-target']) : s3Operation(req.method, req.url, req.headers);
    const seen = counts;
    bump(seen.requests, operation);
    let body: Buffer | undefined;
    if (json) {
      body = await readBody(req);
      const parsed = service === 'comprehend' || service === 'dynamodb' ? parseJson(body) : undefined;
      if (service === 'comprehend') bump(seen.documents, operation, comprehendDocuments(operation, parsed));
      if (service === 'dynamodb') seen.writeItems += dynamoDbWriteItems(operation, parsed);
    }
    // Node answers `Expect: 100-continue` itself; the SDK never signs that header, so dropping it is safe.
    const { expect: _expect, ...headers } = req.headers;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        if ((answer.statusCode ?? 500) >= 400) bump(seen.errors, operation);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => fail(res, error));
    if (body === undefined) req.pipe(upstream);
    else upstream.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, error));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    service,
    url: `http://${LOOPBACK}:${port}`,
    setTarget: (url) => {
      target = new URL(url);
    },
    counts: () => structuredClone(counts),
    reset: () => {
      counts = emptyCounts();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  res.writeHead(502, { 'content-type': 'text/plain' });
  res.end(`proxy: ${error instanceof Error ? error.message : String(error)}`);
}
