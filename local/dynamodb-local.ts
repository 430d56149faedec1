import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findFreePort, LOOPBACK } from './aws-json-server.js';

/** The one line printed when Java is missing. */
export const JAVA_MISSING_MESSAGE =
  'DynamoDB Local needs Java 17 or later: install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`, macOS: `brew install openjdk@17`) and run again.';

export class JavaMissingError extends Error {
  override name = 'JavaMissingError';
  constructor(options?: { cause?: unknown }) {
    super(JAVA_MISSING_MESSAGE, options);
  }
}

export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
}

export interface DynamoDbLocalOptions {
  /** Fixed port; a free one otherwise. */
  port?: number;
  /** Keep the data in this folder (`-dbPath`); in memory otherwise. */
  dbPath?: string;
  /** @default 30000 */
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface DynamoDbLocal {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Finds the DynamoDB Local jar that ships in `amplify-dynamodb-simulator`. */
export function dynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('amplify-dynamodb-simulator/package.json'));
  const emulatorDir = join(packageDir, 'emulator');
  return { jar: join(emulatorDir, 'DynamoDBLocal.jar'), libraryPath: join(emulatorDir, 'DynamoDBLocal_lib') };
}

/**
 * Starts DynamoDB Local as a child process (`-sharedDb`, in memory or `-dbPath`) and resolves once it answers.
 * The jar has no bind-address option: it listens on every interface, on a random free port.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { jar, libraryPath } = dynamoDbLocalJar();
  if (!existsSync(jar)) throw new DynamoDbLocalStartError(`DynamoDB Local jar not found at ${jar}; run npm ci.`);
  const port = options.port ?? (await findFreePort());
  const storage = options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath];
  if (options.dbPath !== undefined) await mkdir(options.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${libraryPath}`,
    // Start-up matters more than peak throughput here: one GC thread, C1 only, small heap.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Xms64m',
    '-jar',
    jar,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...storage,
  ];
  const child = spawn('java', args, { cwd: dirname(jar), stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const watchdog = child.pid === undefined ? undefined : startWatchdog(child.pid);
  child.once('exit', () => watchdog?.kill('SIGKILL'));
  const output: string[] = [];
  const remember = (chunk: Buffer): void => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const url = `http://${LOOPBACK}:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const polling = { done: false };
  const outcome = await Promise.race([
    exited.then((result) => ({ exited: result })),
    waitUntilAnswering(url, deadline, polling).then((answering) => ({ answering })),
  ]);
  polling.done = true;
  if ('exited' in outcome) {
    const { error } = outcome.exited;
    if (error !== undefined && 'code' in error && error.code === 'ENOENT') throw new JavaMissingError({ cause: error });
    throw new DynamoDbLocalStartError(
      `DynamoDB Local exited during start-up (code ${outcome.exited.code}, signal ${outcome.exited.signal}): ${output.join('').trim().slice(-2000)}`,
    );
  }
  if (!outcome.answering) {
    await kill(child, exited);
    throw new DynamoDbLocalStartError(
      `DynamoDB Local did not answer on ${url} in time: ${output.join('').trim().slice(-2000)}`,
    );
  }
  const pid = child.pid ?? -1;
  let stopping = false;
  // A Java child that dies later (a crash, the OOM killer) leaves every request refused: say why, once, in the log.
  void exited.then(({ code, signal }) => {
    if (stopping) return;
    const said = output.join('').trim().slice(-2000);
    options.log?.(
      `dynamodb: DynamoDB Local (pid ${pid}) exited (code ${code}, signal ${signal})${said ? `: ${said}` : ''}`,
    );
  });
  options.log?.(
    `dynamodb: DynamoDB Local (pid ${pid}) on ${url}${options.dbPath ? `, data in ${options.dbPath}` : ', in memory'}`,
  );
  return {
    url,
    port,
    pid,
    stop: () => {
      stopping = true;
      return kill(child, exited);
    },
  };
}

/** Every DynamoDB Local child still running, from the moment it is spawned (start-up can be interrupted). */
const children = new Set<ChildProcess>();

/** Kills every DynamoDB Local child right away (SIGKILL); safe in `process.on('exit')`, where nothing async runs. */
export function killDynamoDbLocalChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * A shell loop, outside our process group, that kills the Java child once this Node process is gone. It covers the
 * one case no exit hook can: Node killed with SIGKILL (a test runner's timeout, the OOM killer).
 */
function startWatchdog(javaPid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${javaPid} 2>/dev/null; do sleep 1; done; kill -9 ${javaPid} 2>/dev/null`;
  const watchdog = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  return watchdog;
}

function track(child: ChildProcess): void {
  if (children.size === 0) process.on('exit', killDynamoDbLocalChildren);
  children.add(child);
  child.once('exit', () => {
    children.delete(child);
    if (children.size === 0) process.off('exit', killDynamoDbLocalChildren);
  });
  child.once('error', () => children.delete(child));
}

async function kill(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function waitUntilAnswering(url: string, deadline: number, polling: { done: boolean }): Promise<boolean> {
  while (Date.now() < deadline && !polling.done) {
    try {
      // Any HTTP answer means Jetty is serving; DynamoDB Local replies 400 to an unsigned request.
      await fetch(url, { method: 'POST', signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}
