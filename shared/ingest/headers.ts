/** Header layout found at the top of a table. */
export interface HeaderLayout {
  headerRows: number;
  columns: string[];
  aliases: string[][];
  /** Time zone stated by a Qualtrics ImportId row. */
  timeZone?: string;
  kind: 'plain' | 'qualtrics' | 'qualtrics-legacy' | 'surveymonkey';
}

/** Qualtrics' ImportId row; the 2016 layout wrote it with single quotes (`{'ImportId': 'QID1'}`). */
const IMPORT_ID = /^\s*\{\s*["']ImportId["']\s*:/;
/** SurveyMonkey row-2 labels that add nothing to the question text above them. */
const SM_GENERIC = /^(?:|Response|Open-Ended Response|Other \(please specify\))$/i;

function clean(name: string | undefined): string {
  return (name ?? '')
    .replace(/^\ufeff/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Detects multi-row headers: Qualtrics (3 rows, the third of `{"ImportId":…}` JSON, optionally with `timeZone`),
 * legacy Qualtrics (`V1…` then labels), SurveyMonkey (question text over the first column of each question,
 * forward-filled, sub-labels in row 2). Anything else has one header row.
 */
export function detectHeader(rows: readonly (readonly string[])[]): HeaderLayout {
  const r0 = (rows[0] ?? []).map(clean);
  const r1 = rows[1]?.map(clean);
  const r2 = rows[2]?.map(clean);

  if (
    r1 !== undefined &&
    r2 !== undefined &&
    r2.filter((c) => IMPORT_ID.test(c)).length >= Math.max(1, r2.length / 2)
  ) {
    let timeZone: string | undefined;
    const importIds: string[] = r2.map((c) => {
      try {
        const parsed = JSON.parse(c.includes('"') ? c : c.replace(/'/g, '"')) as {
          ImportId?: unknown;
          timeZone?: unknown;
        };
        if (typeof parsed.timeZone === 'string' && timeZone === undefined) timeZone = parsed.timeZone;
        return typeof parsed.ImportId === 'string' ? parsed.ImportId : '';
      } catch {
        return '';
      }
    });
    return {
      headerRows: 3,
      columns: r0,
      aliases: r0.map((_, i) => [r1[i] ?? '', importIds[i] ?? ''].filter((x) => x !== '')),
      timeZone,
      kind: 'qualtrics',
    };
  }

  if (
    r1 !== undefined &&
    /^V1$/i.test(r0[0] ?? '') &&
    r1.some((c) => /^ResponseI[dD]$/.test(c)) &&
    r0.filter((c) => /^(?:V\d+|Q\d+.*|Location\w+|)$/i.test(c)).length >= r0.length * 0.8
  ) {
    return {
      headerRows: 2,
      columns: r0.map((c, i) => (/^V\d+$/i.test(c) || c === '' ? (r1[i] ?? c) : c)),
      aliases: r0.map((c, i) => (/^V\d+$/i.test(c) ? [c] : [r1[i] ?? ''])),
      kind: 'qualtrics-legacy',
    };
  }

  if (
    r1 !== undefined &&
    (r1[0] ?? '') === '' &&
    r1.some((c) => /^(?:Open-Ended Response|Response)$/i.test(c)) &&
    // Multi-column questions leave cells of row 1 empty; a survey of single-column questions has only generic labels.
    (r0.some((c) => c === '') || r1.every((c) => SM_GENERIC.test(c)))
  ) {
    const filled: string[] = [];
    let last = '';
    for (const c of r0) {
      if (c !== '') last = c;
      filled.push(c === '' ? last : c);
    }
    return {
      headerRows: 2,
      columns: filled.map((c, i) => {
        const sub = r1[i] ?? '';
        return SM_GENERIC.test(sub) ? (r0[i] === '' && i > 0 && sub !== '' ? `${c} - ${sub}` : c) : `${c} - ${sub}`;
      }),
      aliases: filled.map((_, i) => [r1[i] ?? ''].filter((x) => x !== '' && !SM_GENERIC.test(x))),
      kind: 'surveymonkey',
    };
  }

  return { headerRows: 1, columns: r0, aliases: r0.map(() => []), kind: 'plain' };
}
