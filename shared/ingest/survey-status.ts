/**
 * Where a survey tool marks a response as a test or as unfinished: Qualtrics `DistributionChannel` (preview, test),
 * `Status` (Survey Preview, Survey Test) and `Finished` (True/False, 1/0); 问卷网 `状态` (完成, 未完成). Column
 * indexes, found by name; a `Status` column only counts by its survey values, so a help desk's ticket status
 * (Open, Solved) never marks anything.
 */
import { normaliseName } from './column-mapping.js';
import type { SurveyStatusColumns } from './types.js';

export type { SurveyStatusColumns };

export type ResponseStatus = 'test' | 'partial' | 'complete';

const CHANNEL = new Set(['distributionchannel']);
const STATUS = new Set(['status', 'responsestatus', '状态', '答卷状态', '答题状态']);
const FINISHED = new Set(['finished', 'complete', 'completed']);
const TEST_CHANNELS = new Set(['preview', 'test']);
const TEST_STATUSES = new Set(['surveypreview', 'surveytest']);
const UNFINISHED = new Set(['false', '0', 'no', '未完成', '未提交']);

/** The status columns of a table, or undefined when it has none. */
export function surveyStatusColumns(columns: readonly string[]): SurveyStatusColumns | undefined {
  const out: SurveyStatusColumns = {};
  columns.forEach((name, i) => {
    const norm = normaliseName(name);
    if (CHANNEL.has(norm)) out.channel ??= i;
    else if (STATUS.has(norm)) out.status ??= i;
    else if (FINISHED.has(norm)) out.finished ??= i;
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What the tool says of one response: a test (never counted), unfinished (kept, with a warning) or complete. */
export function responseStatus(cells: readonly string[], cols: SurveyStatusColumns): ResponseStatus {
  // Per row, so cheaper than normaliseName: the values are short words (Survey Preview, False, 未完成).
  const value = (i: number | undefined) => (i === undefined ? '' : (cells[i] ?? '').replace(/\s+/g, '').toLowerCase());
  if (TEST_CHANNELS.has(value(cols.channel)) || TEST_STATUSES.has(value(cols.status))) return 'test';
  const status = value(cols.status);
  if (UNFINISHED.has(value(cols.finished)) || status === '未完成' || status === '未提交') return 'partial';
  return 'complete';
}
