/**
 * A small streaming zip writer for the hostile cases: entries are deflated as they are generated, so a workbook that
 * inflates to a gigabyte is written without holding it. Sizes and CRCs are patched into each local header afterwards
 * (no data descriptors), so a case can also make a header lie about its entry's size.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

export interface ZipEntrySource {
  name: string;
  /** The entry's content, generated piece by piece. */
  data: () => AsyncIterable<string | Buffer> | Iterable<string | Buffer>;
  /** zlib level. @default 6 */
  level?: number;
  /** Writes this uncompressed size in the headers instead of the true one. */
  declaredSize?: number;
  /** As a streaming writer does: sizes in a data descriptor after the data, none in the local header. */
  streamed?: boolean;
}

export interface ZipWritten {
  /** Bytes of the zip file. */
  bytes: number;
  /** What its entries inflate to. */
  inflated: number;
}

const UTF8_NAMES = 0x0800;
const DATA_DESCRIPTOR = 0x0008;
const DEFLATE = 8;
const VERSION = 20;
/** 2026-01-01 00:00 in DOS date/time. */
const DOS_TIME = 0;
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;

interface Written {
  name: Buffer;
  flags: number;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
  declared: number;
}

function localHeader(name: Buffer, flags: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt16LE(DEFLATE, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

/** CRC, compressed size and uncompressed size, as both headers hold them. */
function sizes(w: Written): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(w.crc, 0);
  b.writeUInt32LE(w.compressed, 4);
  b.writeUInt32LE(w.declared, 8);
  return b;
}

function signature(sig: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(sig, 0);
  return b;
}

function centralHeader(w: Written): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(VERSION, 6);
  h.writeUInt16LE(w.flags, 8);
  h.writeUInt16LE(DEFLATE, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  sizes(w).copy(h, 16);
  h.writeUInt16LE(w.name.length, 28);
  h.writeUInt32LE(w.offset, 42);
  return Buffer.concat([h, w.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(size, 12);
  e.writeUInt32LE(offset, 16);
  return e;
}

/** Writes `entries` in order as a zip at `path`. */
export async function writeZip(path: string, entries: readonly ZipEntrySource[]): Promise<ZipWritten> {
  const file = await open(path, 'w');
  let pos = 0;
  const put = async (b: Buffer): Promise<void> => {
    await file.write(b, 0, b.length, pos);
    pos += b.length;
  };
  const written: Written[] = [];
  try {
    for (const e of entries) {
      const flags = UTF8_NAMES | (e.streamed === true ? DATA_DESCRIPTOR : 0);
      const name = Buffer.from(e.name, 'utf8');
      const w: Written = { name, flags, offset: pos, crc: 0, compressed: 0, size: 0, declared: 0 };
      await put(localHeader(w.name, flags));
      const counted = async function* (): AsyncGenerator<Buffer> {
        for await (const piece of e.data()) {
          const b = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
          w.crc = crc32(b, w.crc);
          w.size += b.length;
          yield b;
        }
      };
      for await (const chunk of Readable.from(counted()).pipe(createDeflateRaw({ level: e.level ?? 6 }))) {
        await put(chunk as Buffer);
        w.compressed += (chunk as Buffer).length;
      }
      w.declared = e.declaredSize ?? w.size;
      if (e.streamed === true) await put(Buffer.concat([signature(0x08074b50), sizes(w)]));
      else await file.write(sizes(w), 0, 12, w.offset + 14);
      written.push(w);
    }
    const cdOffset = pos;
    for (const w of written) await put(centralHeader(w));
    await put(endOfCentralDirectory(written.length, pos - cdOffset, cdOffset));
  } finally {
    await file.close();
  }
  return { bytes: pos, inflated: written.reduce((n, w) => n + w.size, 0) };
}
