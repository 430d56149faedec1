import type { Diagnostic, RejectReason } from '../../domain/types.js';

/** One physical record from any format, before layout and mapping: the output of every row reader. */
export interface RawRow {
  cells: string[];
  /** Raw byte offset just after this record, when exact (UTF-8/UTF-16LE CSV and JSON Lines). */
  end?: number;
  reject?: RejectReason;
  detail?: Diagnostic;
  /** JSON: the record was an array of values (`[["text", 5], …]`), its cells by position rather than by key. */
  positional?: true;
}
