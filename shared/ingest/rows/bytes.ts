import { FileRejectedError } from '../../domain/errors.js';
import { diagnostic } from '../diagnostic.js';

/** Byte input that lets the sniffer look at the beginning and then replays it. */
export class PeekableBytes {
  private readonly held: Uint8Array[] = [];
  private heldBytes = 0;
  private done = false;
  private readonly it: AsyncIterator<Uint8Array>;

  constructor(input: AsyncIterable<Uint8Array>) {
    this.it = input[Symbol.asyncIterator]();
  }

  /** Reads until at least `n` bytes are held or the input ends. */
  async peek(n: number): Promise<{ bytes: Uint8Array; eof: boolean }> {
    while (this.heldBytes < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.byteLength > 0) {
        this.held.push(r.value);
        this.heldBytes += r.value.byteLength;
      }
    }
    return { bytes: Buffer.concat(this.held), eof: this.done };
  }

  async *replay(): AsyncGenerator<Uint8Array> {
    const held = this.held.splice(0);
    try {
      for (const c of held) yield c;
      while (!this.done) {
        const r = await this.it.next();
        if (r.done) this.done = true;
        else yield r.value;
      }
    } finally {
      // Left before the end (a limit, a hand-off): the input is closed too, as a for-await would (an S3 stream).
      if (!this.done) await this.it.return?.();
    }
  }
}

/** The input without its first `n` bytes (a byte order mark). */
export async function* skipBytes(bytes: AsyncIterable<Uint8Array>, n: number): AsyncGenerator<Uint8Array> {
  let left = n;
  for await (const c of bytes) {
    if (left >= c.byteLength) {
      left -= c.byteLength;
      continue;
    }
    yield left > 0 ? c.subarray(left) : c;
    left = 0;
  }
}

/** A chunk as a Buffer over the same memory (no copy). */
export function asBuffer(c: Uint8Array): Buffer {
  return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

/**
 * The input, ended with `FILE_TOO_LARGE` once the file's bytes (from `startOffset`, where a ranged read begins) pass
 * `max`: checked as bytes arrive, before any stage holds or parses them.
 */
export async function* limitBytes(
  bytes: AsyncIterable<Uint8Array>,
  startOffset: number,
  max: number,
): AsyncGenerator<Uint8Array> {
  let seen = startOffset;
  for await (const c of bytes) {
    seen += c.byteLength;
    if (seen > max)
      throw new FileRejectedError('FILE_TOO_LARGE', diagnostic`The file is larger than ${formatBytes(max)}.`);
    yield c;
  }
}

/** A byte count for messages: `512 MiB`, `1 GiB`, `300 KiB`, `17 bytes`. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${Math.round((n / size) * 10) / 10} ${unit}`;
  return `${n} bytes`;
}
