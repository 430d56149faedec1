/** exceljs ships no types for its deep module paths; these are the streaming reader and its XML event source. */
declare module 'exceljs/lib/stream/xlsx/workbook-reader.js' {
  import type { Readable } from 'node:stream';
  import type { stream } from 'exceljs';

  /** What `parse()` hands out: worksheets (and, with other options, shared strings and hyperlinks). */
  export interface WorkbookEvent {
    eventType: string;
    value: unknown;
  }

  /** The class the package entry re-exports as `stream.xlsx.WorkbookReader`, with the internals a subclass uses. */
  export default class WorkbookReader {
    constructor(input: Readable, options: Partial<stream.xlsx.WorkbookStreamReaderOptions>);
    [Symbol.asyncIterator](): AsyncGenerator<stream.xlsx.WorksheetReader>;
    parse(): AsyncGenerator<WorkbookEvent>;
    /** Set by `_parseRels`; worksheets can be read as they come once it and the shared strings are known. */
    protected workbookRels?: unknown[];
    protected _parseRels(entry: Readable): Promise<void>;
    protected _parseWorkbook(entry: Readable): Promise<void>;
    protected _parseStyles(entry: Readable): Promise<void>;
    protected _parseWorksheet(iterator: AsyncIterable<string | Buffer>, sheetNo: string): Generator<WorkbookEvent>;
  }
}

declare module 'exceljs/lib/utils/parse-sax.js' {
  export type SaxEvent =
    | { eventType: 'opentag' | 'closetag'; value: { name: string; attributes: Record<string, string> } }
    | { eventType: 'text'; value: string };
  export default function parseSax(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<SaxEvent[]>;
}
