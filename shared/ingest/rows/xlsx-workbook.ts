/**
 * exceljs's streaming workbook reader with the zip read here: every entry passes the {@link ZipBudget} before a parser,
 * memory or the temp directory sees its bytes, shared strings are held within their limits, and worksheets that come
 * before the shared strings (Excel writes them so; the central directory is at the end) are spooled to a temp
 * directory of this read's own, removed when it ends however it ends.
 */

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import WorkbookReader, { type WorkbookEvent } from 'exceljs/lib/stream/xlsx/workbook-reader.js';
import parseSax from 'exceljs/lib/utils/parse-sax.js';
import unzipper, { type Entry } from 'unzipper';
import { FileRejectedError } from '../../domain/errors.js';
import { diagnostic } from '../diagnostic.js';
import { MAX_PART_BYTES, type ReadLimits } from '../limits.js';
import { CUT_MARKER, type ZipBudget } from './zip-guard.js';

const SHEET_PATH = /^xl\/worksheets\/sheet(\d+)\.xml$/;
/** Parts exceljs reads whole into memory, and how messages name them. */
const PARTS: Record<string, string> = {
  'xl/_rels/workbook.xml.rels': 'The workbook relationships part',
  'xl/workbook.xml': 'The workbook part',
  'xl/styles.xml': 'The styles part',
};
const SHARED_STRINGS = 'xl/sharedStrings.xml';

/**
 * A workbook's shared strings, within the limits on their number and total size; a string past the cell limit is
 * held as {@link CUT_MARKER} (a cell that refers to it is a rejected row).
 */
export class SharedStrings {
  private readonly values: string[] = [];
  private chars = 0;

  constructor(private readonly limits: ReadLimits) {}

  add(text: string): void {
    const { maxSharedStrings, maxSharedStringChars } = this.limits;
    if (this.values.length >= maxSharedStrings) {
      throw new FileRejectedError(
        'SHARED_STRINGS_TOO_LARGE',
        diagnostic`The workbook has more than ${maxSharedStrings} shared strings.`,
      );
    }
    this.chars += text.length;
    if (this.chars > maxSharedStringChars) {
      throw new FileRejectedError(
        'SHARED_STRINGS_TOO_LARGE',
        diagnostic`The workbook's shared strings hold more than ${maxSharedStringChars} characters.`,
      );
    }
    this.values.push(text);
  }

  /** The string at `index`; undefined when the workbook has none there. */
  get(index: number): string | undefined {
    return this.values[index];
  }

  get size(): number {
    return this.values.length;
  }
}

/**
 * Reads `xl/sharedStrings.xml`: the text of each `<si>` (its `<t>` runs, phonetic `<rPh>` runs left out), as text.
 * A string is given up (held as the marker) once it passes the cell limit, so no string grows past it in memory.
 */
async function readSharedStrings(xml: AsyncIterable<string>, limits: ReadLimits): Promise<SharedStrings> {
  const strings = new SharedStrings(limits);
  let text = '';
  let inText = false;
  let phonetic = 0;
  for await (const events of parseSax(xml)) {
    for (const e of events) {
      if (e.eventType === 'text') {
        if (inText && phonetic === 0 && text !== CUT_MARKER) {
          text += e.value;
          if (text.length > limits.maxCellSize) text = CUT_MARKER;
        }
      } else if (e.eventType === 'opentag') {
        if (e.value.name === 'si') text = '';
        else if (e.value.name === 't') inText = true;
        else if (e.value.name === 'rPh') phonetic++;
      } else if (e.value.name === 't') inText = false;
      else if (e.value.name === 'rPh') phonetic--;
      else if (e.value.name === 'si') strings.add(text.includes(CUT_MARKER) ? CUT_MARKER : text);
    }
  }
  return strings;
}

/** Worksheets that came before what they need (relationships, shared strings), held on disk until it has come. */
class SheetSpool {
  private dir?: string;
  readonly sheets: { sheetNo: string; path: string }[] = [];

  async add(sheetNo: string, body: AsyncIterable<Buffer>): Promise<void> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'feedback-xlsx-'));
    const path = join(this.dir, `${this.sheets.length}.xml`);
    await pipeline(body, createWriteStream(path));
    this.sheets.push({ sheetNo, path });
  }

  async remove(): Promise<void> {
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }
}

/** A spooled worksheet's text, opened when its reader first asks. */
async function* spooled(path: string): AsyncGenerator<string> {
  yield* createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }) as AsyncIterable<string>;
}

/**
 * UTF-8 bytes as text, characters split between chunks kept whole (exceljs decodes chunk by chunk on its own, which
 * turns a CJK character across an inflate boundary into two U+FFFD).
 */
async function* utf8Text(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const c of chunks) {
    const s = decoder.write(c);
    if (s.length > 0) yield s;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/**
 * Writes the zip's bytes into unzipper one chunk at a time, the next only once it has taken the last in (its write
 * callback): the compressed bytes read are then those inflated so far, give or take a chunk, which the ratio needs.
 */
function feed(bytes: Readable, zip: Writable): void {
  (async () => {
    for await (const chunk of bytes) {
      await new Promise<void>((resolve, reject) => zip.write(chunk, (err) => (err ? reject(err) : resolve())));
    }
    zip.end();
  })().catch((err: unknown) => zip.destroy(err instanceof Error ? err : new Error(String(err))));
}

function ignore(): void {}

async function drain(chunks: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of chunks);
}

/**
 * The streaming reader over bounded entries. Worksheets are read with the shared strings hidden from exceljs, so a
 * shared-string cell keeps its index (`{ sharedString: n }`) and {@link BoundedWorkbookReader.sharedString} resolves
 * it: an index the workbook has no string for is seen, not turned into a blank cell.
 */
export class BoundedWorkbookReader extends WorkbookReader {
  private strings?: SharedStrings;

  constructor(
    private readonly zipBytes: Readable,
    private readonly budget: ZipBudget,
    private readonly limits: ReadLimits,
  ) {
    super(zipBytes, { styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  }

  /** The shared string at `index`: undefined when the workbook has none there (or no shared strings at all). */
  sharedString(index: number): string | undefined {
    return this.strings?.get(index);
  }

  /** How many shared strings the workbook has. */
  get sharedStringCount(): number {
    return this.strings?.size ?? 0;
  }

  override async *parse(): AsyncGenerator<WorkbookEvent> {
    const zip = unzipper.Parse({ forceStream: true });
    let current: Entry | undefined;
    // unzipper reports an inflate error on the zip, not on the entry its reader waits on.
    zip.on('error', (err: Error) => current?.destroy(err));
    feed(this.zipBytes, zip);
    const spool = new SheetSpool();
    try {
      for await (const entry of zip as AsyncIterable<Entry>) {
        current = entry;
        // Its errors reach us through the read that fails; a reader that stops early destroys it with an AbortError
        // that must not become an uncaught 'error' event.
        entry.on('error', ignore);
        yield* this.entry(entry, spool);
      }
      for (const { sheetNo, path } of spool.sheets) yield* this._parseWorksheet(spooled(path), sheetNo);
    } finally {
      zip.destroy();
      this.zipBytes.destroy();
      await spool.remove();
    }
  }

  /** One zip entry, metered: parsed, spooled, handed out as a worksheet, or drained. */
  private async *entry(entry: Entry, spool: SheetSpool): AsyncGenerator<WorkbookEvent> {
    const sheetNo = SHEET_PATH.exec(entry.path)?.[1];
    const part = PARTS[entry.path];
    const metered = (label: string, options?: { cap?: number; xmlText?: boolean }) =>
      this.budget.metered(entry as Entry & AsyncIterable<Buffer>, label, options);
    if (sheetNo !== undefined) {
      const body = metered(`Worksheet ${sheetNo}`, { xmlText: true });
      if (this.strings === undefined || this.workbookRels === undefined) await spool.add(sheetNo, body);
      else yield* this._parseWorksheet(utf8Text(body), sheetNo);
    } else if (entry.path === SHARED_STRINGS) {
      this.strings = await readSharedStrings(
        utf8Text(metered('The shared strings part', { xmlText: true })),
        this.limits,
      );
    } else if (part !== undefined) {
      const body = Readable.from(utf8Text(metered(part, { cap: MAX_PART_BYTES })));
      if (entry.path === 'xl/workbook.xml') await this._parseWorkbook(body);
      else if (entry.path === 'xl/styles.xml') await this._parseStyles(body);
      else await this._parseRels(body);
      await drain(body);
    } else {
      await drain(metered('A workbook entry'));
    }
  }
}
