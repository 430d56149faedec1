export { cleanText, hashIdentifier, isMangledNumber, redact } from './clean.js';
export { mapColumns, normaliseName } from './column-mapping.js';
export { type DedupeKey, type Deduper, type DedupeVerdict, dedupe, InMemoryDeduper } from './dedupe.js';
export { sniffEncoding } from './encoding.js';
export { normaliseSourceId, readExport, sniffDelimiter } from './read-export.js';
export { type CheckReport, isAccepted, ReportBuilder } from './report.js';
export type * from './types.js';
export { parseDate, parseNps, parseRating } from './values.js';
