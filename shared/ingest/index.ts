export { cleanText, hashIdentifier, isMangledNumber, redact } from './clean.js';
export { mapColumns, normaliseName } from './column-mapping.js';
export { type DedupeKey, type Deduper, type DedupeVerdict, dedupe, InMemoryDeduper } from './dedupe.js';
export { sniffEncoding } from './encoding.js';
export { normaliseSourceId, readExport } from './read-export.js';
export { type CheckReport, isAccepted, KpiAccumulator, ReportBuilder } from './report.js';
export { sniffDelimiter } from './sniff.js';
export type * from './types.js';
export { parseDate, parseNps, parseRating } from './values.js';
