import type { Diagnostic, RejectReason } from '../../domain/types.js';

/** One physical record from any format, before layout and mapping: the output of every row reader. */
export interface RawRow {
  cells: string[];
  /** Raw byte offset just after this record, when exact (UTF-8/UTF-16LE CSV and JSON Lines). */
  end?: number;
  /**
   * Line-based formats (CSV, TSV, JSON Lines): the number of the physical line this record ends on, counted from the
   * start of the file (blank lines and the lines of multi-line cells included).
   */
  line?: number;
  reject?: RejectReason;
  detail?: Diagnostic;
  /** JSON: the record was an array of values (`[["text", 5], …]`), its cells by position rather than by key. */
  positional?: true;
}

/** The physical lines of a file, which its row reader fills in once it reaches the end. */
export interface LineCount {
  total?: number;
}
