/** Starts aws-ses-v2-local on 127.0.0.1 and a free port, with an SES v2 client pointed at it. */
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import sesLocal from 'aws-ses-v2-local';

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export interface SesLocal {
  endpoint: string;
  client: SESv2Client;
  /** `GET /store`: every e-mail received so far. */
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

// A CommonJS module with `exports.default`: Node's ESM loader hands over `module.exports`, Vitest's interop the function.
type StartServer = typeof sesLocal.default;
const candidate: unknown = sesLocal;
const startServer: StartServer = typeof candidate === 'function' ? (candidate as StartServer) : sesLocal.default;

export async function startSesLocal(): Promise<SesLocal> {
  const server = await startServer({ host: '127.0.0.1', port: 0 });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('aws-ses-v2-local is not listening on TCP');
  const { port } = address;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SESv2Client({
    endpoint,
    region: 'aws-ses-v2-local',
    credentials: { accessKeyId: 'ANY_STRING', secretAccessKey: 'ANY_STRING' },
    maxAttempts: 1,
  });
  return {
    endpoint,
    client,
    async emails() {
      const response = await fetch(`${endpoint}/store`);
      const store = (await response.json()) as { emails: StoredEmail[] };
      return store.emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
