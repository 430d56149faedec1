import { describe, expect, it } from 'vitest';
import { computeDigestFigures, type DigestFigures } from '../../../shared/digest/figures.js';
import { digestSubject, renderDigest } from '../../../shared/digest/render.js';
import { neutraliseFormula, toCsv } from '../../../shared/digest/text-safety.js';
import {
  HOSTILE,
  HOSTILE_CELLS,
  HOSTILE_VERBATIMS,
  MemoryAggregateReader,
  RATINGS_ONLY_CELLS,
  WEEK_CELLS,
  WEEK_VERBATIMS,
} from './fixtures.js';
import { structureProblems, textContent } from './html-structure.js';

const figuresFor = (
  cells: typeof WEEK_CELLS,
  verbatims: typeof WEEK_VERBATIMS,
  from = '2026-11-16',
  to = '2026-11-22',
): Promise<DigestFigures> =>
  computeDigestFigures(new MemoryAggregateReader(cells, verbatims), {
    from,
    to,
    kind: 'weekly',
    timeZone: 'Europe/Berlin',
    segments: ['channel'],
    verbatims: 10,
  });

describe('digestSubject', () => {
  it('carries the headline figures', async () => {
    const figures = await figuresFor(WEEK_CELLS, WEEK_VERBATIMS);

    // NPS 25.0 (▲25 from 0.0), CSAT 44.4 %, net sentiment −7.84 → −8
    expect(digestSubject(figures)).toBe(
      'Feedback weekly 2026-11-16–22: 64 responses · NPS +25 (▲25) · CSAT 44.4% · net sentiment -8',
    );
  });

  it('says "no data" for figures without answers', async () => {
    const empty = await figuresFor(WEEK_CELLS, [], '2026-10-01', '2026-10-07');
    const ratingsOnly = await figuresFor(RATINGS_ONLY_CELLS, [], '2026-10-05', '2026-10-06');

    expect(digestSubject(empty)).toBe(
      'Feedback weekly 2026-10-01–07: 0 responses · NPS no data · CSAT no data · net sentiment no data',
    );
    expect(digestSubject(ratingsOnly)).toBe(
      'Feedback weekly 2026-10-05–06: 6 responses · NPS no data · CSAT 66.7% · net sentiment no data',
    );
  });
});

describe('renderDigest', () => {
  it('renders a well-formed mail-client HTML document with the headline figures', async () => {
    const { html, text } = renderDigest(await figuresFor(WEEK_CELLS, WEEK_VERBATIMS), {
      generatedAt: new Date('2026-11-23T07:00:00Z'),
    });

    expect(structureProblems(html)).toEqual([]);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('@media (prefers-color-scheme: dark)');
    expect(html).toMatch(/max-width:600px/);
    expect(html).not.toMatch(/<svg|<img|<script|<link|url\(|@import/i);
    const visible = textContent(html);
    for (const figure of ['64', '+25.0', '44.4%', '-7.8', 'Mon 16 Nov – Sun 22 Nov 2026', 'Europe/Berlin']) {
      expect(visible).toContain(figure);
    }
    expect(visible).not.toMatch(/NaN|undefined|null|Infinity/);
    expect(text).toContain('NPS            +25.0  ▲25.0 pts vs previous');
    expect(text).toContain('- 2026-11-18 all feedback: 12 negative, 6.0x the trailing mean (2.0 a day)');
  });

  it('shows "no data", never 0 or NaN, for an empty period', async () => {
    const { html, text } = renderDigest(await figuresFor(WEEK_CELLS, [], '2026-10-01', '2026-10-07'));

    expect(structureProblems(html)).toEqual([]);
    const visible = textContent(html);
    expect(visible.match(/no data/g)?.length).toBeGreaterThanOrEqual(3);
    expect(visible).not.toMatch(/NaN|Infinity|undefined|\+0\.0|0\.0%/);
    expect(text).toMatch(/NPS {12}no data/);
    expect(text).not.toMatch(/NaN|Infinity/);
  });

  it('escapes hostile feedback text and keeps the layout intact', async () => {
    const figures = await figuresFor(HOSTILE_CELLS, HOSTILE_VERBATIMS);

    const { html, text } = renderDigest(figures);

    // Structure: only the expected tags, no event handlers, every element closed in order.
    expect(structureProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
    // Shown as text, escaped: verbatims, theme names and segment values alike.
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
    const visible = textContent(html);
    for (const value of [HOSTILE.script, HOSTILE.img, HOSTILE.formula, HOSTILE.arabic, HOSTILE.hebrew]) {
      expect(visible).toContain(value);
    }
    // Long words wrap anywhere; right-to-left text is isolated.
    const longWordCell = html.match(/<div class="tx" dir="auto" style="([^"]*)">Broken: A{500}<\/div>/);
    expect(longWordCell?.[1]).toContain('overflow-wrap:anywhere');
    expect(html).toContain(`<div class="tx" dir="auto" style="${longWordCell?.[1]}">${HOSTILE.arabic}</div>`);
    expect(html).toMatch(new RegExp(`<bdi[^>]*>${HOSTILE.arabic}</bdi>`));
    // The emerging phrase is shortened (40 characters), not the verbatim (600).
    expect(html).toContain(`${'A'.repeat(39)}…`);
    // Plain text: formula neutralised and bidi-isolated, nothing interpreted.
    expect(text).toContain(`\u2068'=HYPERLINK("http://x","y")\u2069`);
    expect(text).toContain(`\u2068'@import\u2069`);
    // Explicit bidi overrides are dropped, so "\u202Egnp.exe" cannot pose as "exe.png".
    expect(text).toContain('\u2068gnp.exe still broken\u2069');
    expect(html).toContain('>gnp.exe still broken</div>');
    expect(html).not.toContain('\u202E');
  });

  it('footnotes the files whose column mapping is in doubt, escaped, and says nothing when there are none', async () => {
    const notice = (day: string, file: string) => ({
      day,
      file,
      source: 'survey',
      warnings: [{ code: 'MAPPING_UNCERTAIN', detail: 'Column roles in doubt: text: `<b>Comment</b>` vs `Q1_TEXT`.' }],
    });
    const notices = [
      notice('2026-11-17', 'incoming/survey/<img src=x>.csv'),
      notice('2026-11-18', 'incoming/survey/<img src=x>.csv'),
      notice('2026-11-10', 'incoming/survey/last-week.csv'),
    ];
    const reader = new MemoryAggregateReader(WEEK_CELLS, WEEK_VERBATIMS, notices);
    const figures = await computeDigestFigures(reader, { from: '2026-11-16', to: '2026-11-22', segments: [] });

    const { html, text } = renderDigest(figures);
    const clean = renderDigest(await figuresFor(WEEK_CELLS, WEEK_VERBATIMS));

    expect(figures.mappingNotices).toEqual([
      {
        file: 'incoming/survey/<img src=x>.csv',
        source: 'survey',
        days: ['2026-11-17', '2026-11-18'],
        warnings: notices[0]?.warnings,
      },
    ]);
    expect(structureProblems(html)).toEqual([]);
    expect(html).toContain('Figures in doubt');
    expect(html).toContain('incoming/survey/&lt;img src=x&gt;.csv');
    expect(html).toContain('`&lt;b&gt;Comment&lt;/b&gt;` vs `Q1_TEXT`');
    expect(html).not.toContain('last-week.csv');
    expect(text).toContain('FIGURES IN DOUBT');
    expect(text).toContain('(2026-11-17 to 2026-11-18)');
    expect(text).toContain('MAPPING_UNCERTAIN: ');
    expect(clean.html).not.toContain('Figures in doubt');
    expect(clean.text).not.toContain('FIGURES IN DOUBT');
  });
});

describe('text safety', () => {
  it('neutralises spreadsheet formulas in CSV', () => {
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('-2')).toBe("'-2");
    expect(neutraliseFormula('Fine, thanks')).toBe('Fine, thanks');
    expect(
      toCsv([
        ['text', 'n'],
        [HOSTILE.formula, 3],
        ['@SUM(A1)', null],
      ]),
    ).toBe(`"text","n"\r\n"'=HYPERLINK(""http://x"",""y"")",3\r\n"'@SUM(A1)",\r\n`);
  });
});
