/** The part of unzipper (exceljs's zip reader, 0.10) used to read a workbook's entries as they stream. */
declare module 'unzipper' {
  import type { Duplex, PassThrough } from 'node:stream';

  /** One zip entry: its inflated bytes, and what its local header says. */
  export interface Entry extends PassThrough {
    path: string;
    vars: { flags: number; compressionMethod: number; compressedSize: number; uncompressedSize: number };
  }

  /** With `forceStream`, a duplex that takes the zip's bytes and yields its entries in file order. */
  function Parse(options?: { forceStream?: boolean }): Duplex;

  const unzipper: { Parse: typeof Parse };
  export default unzipper;
}
