import { type MappingNotice, parseCellKey } from '../domain/cells.js';
import type { ExportMeta } from '../ingest/types.js';
import type { IngestTarget } from '../ports/ingest.js';

/** File warnings about how columns were read whose details name columns only (never cell values). */
const MAPPING_WARNINGS = new Set([
  'MAPPING_UNCERTAIN',
  'NO_HEADER',
  'ROW_NUMBER_NOT_ID',
  'TEXT_COLUMN_INFERRED',
  'SCORE_KIND_INFERRED',
  'NO_DATE_COLUMN',
  'DATE_ORDER_AMBIGUOUS',
  'UNRELIABLE_ID_COLUMN',
]);

/** The mapping warnings that put the digest's figures in doubt: a role may be wrong, or days may be. */
const DIGEST_WARNINGS = new Set(['MAPPING_UNCERTAIN', 'NO_DATE_COLUMN', 'DATE_ORDER_AMBIGUOUS']);

type MappingWarning = { code: string; detail: string };

/** The doubts about a file's column mapping, for its File Processed event, so a doubtful KPI is never silent. */
export function mappingWarnings(meta: ExportMeta): MappingWarning[] {
  return (meta.fileWarnings ?? [])
    .filter((w) => MAPPING_WARNINGS.has(w.code))
    .map(({ code, detail }) => ({ code, detail }));
}

/**
 * The digest's notices for a file: one per day it counted rows for (the `all` cells it touched), when its mapping
 * has a doubt the digest must footnote; none otherwise.
 */
export function mappingNotices(
  target: IngestTarget,
  source: string,
  meta: ExportMeta,
  touched: ReadonlySet<string>,
): MappingNotice[] {
  const warnings = mappingWarnings(meta).filter((w) => DIGEST_WARNINGS.has(w.code));
  if (warnings.length === 0) return [];
  const days = new Set<string>();
  for (const key of touched) {
    const cell = parseCellKey(key);
    if (cell.dimension === 'all') days.add(cell.day);
  }
  return [...days].sort().map((day) => ({ day, file: target.key, source, warnings }));
}
