import ExcelJS from 'exceljs';

/**
 * Personal data planted in test exports, by kind, and the forms it could leak in. Every value is one the pipeline
 * must never write out: e-mails, phones, cards, IPs and identity numbers are redacted from text, and customer ids are
 * only ever stored as keyed hashes.
 */
export const PLANTED = {
  email: ['zhang.wei@example.com', 'li.na@example.org'],
  phone: ['13812345678', '+1 415-555-0199'],
  card: ['4111 1111 1111 1111', '5500-0000-0000-0004'],
  ip: ['203.0.113.42', '198.51.100.7'],
  'id-number': ['110101199003074514', '11010519491231002X'],
  'customer-id': ['CUST-58213-ZW', 'CUST-77431-QX'],
} as const;

export type PiiKind = keyof typeof PLANTED;
export const PII_KINDS = Object.keys(PLANTED) as PiiKind[];

/** A planted value as written and without its separators (`4111111111111111`, `+14155550199`, `4155550199`). */
function formsOf(value: string): string[] {
  const compact = value.replace(/[\s()-]/g, '');
  const forms = new Set([value, compact, compact.replace(/^\+1/, '')]);
  return [...forms].map((f) => f.toLowerCase());
}

const FORMS: [PiiKind, string[]][] = PII_KINDS.map((k) => [k, PLANTED[k].flatMap(formsOf)]);

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** How many planted values `text` holds, by kind (case-insensitive, in any of their forms). */
export function countPii(text: string): Record<PiiKind, number> {
  const lower = text.toLowerCase();
  const out = Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>;
  for (const [kind, forms] of FORMS) for (const f of forms) out[kind] += occurrences(lower, f);
  return out;
}

/** Adds `b` into `a`. */
export function addCounts(a: Record<PiiKind, number>, b: Record<PiiKind, number>): void {
  for (const k of PII_KINDS) a[k] += b[k];
}

/** A table of leaks: one row an output, one column a kind, with totals. */
export function piiTable(rows: Record<string, Record<PiiKind, number>>): string {
  const total = Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>;
  for (const r of Object.values(rows)) addCounts(total, r);
  const width = Math.max(6, ...Object.keys(rows).map((k) => k.length));
  const line = (name: string, r: Record<PiiKind, number>) =>
    `${name.padEnd(width)} ${PII_KINDS.map((k) => String(r[k]).padStart(k.length)).join(' ')}`;
  return [
    `${'output'.padEnd(width)} ${PII_KINDS.join(' ')}`,
    ...Object.entries(rows).map(([name, r]) => line(name, r)),
    line('total', total),
  ].join('\n');
}

const [EMAIL, EMAIL2] = PLANTED.email;
const [MOBILE, US_PHONE] = PLANTED.phone;
const [CARD, CARD2] = PLANTED.card;
const [IP, IP2] = PLANTED.ip;
const [ID, ID2] = PLANTED['id-number'];
const [CUST, CUST2] = PLANTED['customer-id'];

const REVIEWS = [
  'The parcel came late and the box was crushed',
  'Lovely staff and a quick refund when I asked',
  'The app logs me out every single morning',
  'Checkout was smooth and delivery was early',
  'Support never answered my question about the invoice',
  'Great quality for the price, will order again',
  'The size chart is wrong, the shirt is far too small',
  'Friendly courier and the food was still warm',
];

/** A Chinese resident identity number with its check character, for a 17-digit base. */
function cnId(base: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base].reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0);
  return base + '10X98765432'.charAt(sum % 11);
}

/**
 * One customer a row, each with their own e-mail, mobile, identity number and customer id (unique values: the
 * columns read as ids), the planted ones on the first two rows.
 */
function customer(i: number): { email: string; phone: string; id: string; cust: string } {
  if (i === 0) return { email: EMAIL, phone: MOBILE, id: ID, cust: CUST };
  if (i === 1) return { email: EMAIL2, phone: '13900001111', id: ID2, cust: CUST2 };
  return {
    email: `user${i}@example.net`,
    phone: `1390000222${i}`,
    id: cnId(`3201021988050${i}123`),
    cust: `CUST-1000${i}-AB`,
  };
}

/** A headerless dump: its first line, which the layout must read as a record, is all personal data. */
function headerless(): string {
  const lines = REVIEWS.map((r, i) => {
    const { email, phone, id, cust } = customer(i);
    return `${email},${phone},${id},${cust},"${r}, write to ${email} or call ${phone}",${1 + (i % 5)}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Only personal columns and no header: rejected, with nothing of its first line in the message. */
function headerlessPersonal(): string {
  const rows = [0, 1, 2, 3, 4, 5].map((i) => Object.values(customer(i)).join(','));
  return `${rows.join('\n')}\n`;
}

/** A survey export with personal data in score, date, id, contact and text cells. */
function survey(): string {
  const header = 'Comment,How likely are you to recommend us?,Rating,Submitted,customer_id,Email,Phone,IP Address';
  const row = (cells: (string | number)[]) => cells.map((c) => (String(c).includes(',') ? `"${c}"` : c)).join(',');
  const lines = [
    header,
    row([`Great service, reach me at ${EMAIL} or ${MOBILE}`, MOBILE, 5, '2024-05-01 10:00', CUST, EMAIL, US_PHONE, IP]),
    row([`Card ${CARD} was charged twice`, 7, IP, CARD, CUST2, EMAIL2, MOBILE, IP2]),
    row([`My id ${ID} was shown on the invoice`, 3, 2, ID, CUST, EMAIL, US_PHONE, IP]),
    row(['Fine, nothing to add', 8, CUST, EMAIL, CUST2, EMAIL2, MOBILE, IP2]),
    row([`Server ${IP} kept timing out`, CUST2, 4, US_PHONE, CUST, EMAIL, US_PHONE, IP]),
    row([`Refund went to ${CARD2} instead`, 2, 1, '2024-05-02 11:00', CUST2, EMAIL2, MOBILE, IP2]),
    ...REVIEWS.map((r, i) =>
      row([r, i + 2, 1 + (i % 5), `2024-05-0${1 + (i % 7)} 09:00`, i % 2 ? CUST : CUST2, EMAIL, US_PHONE, IP]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** A title line above the header and a totals line under the table, both quoting personal data. */
function titledWithTotals(): string {
  const lines = [
    `Export for ${EMAIL} ${MOBILE} ${CUST}`,
    'Branch,Date,Rating,Comment',
    ...REVIEWS.map((r, i) => `North,2024-05-0${1 + (i % 7)},${1 + (i % 5)},"${r}"`),
    `Total ${EMAIL} ${MOBILE} ${CUST},,4.2,`,
  ];
  return `${lines.join('\n')}\n`;
}

/** JSON Lines with broken lines whose fragments, keys and scalar lines are personal data. */
function brokenJsonLines(): string {
  const good = (review: string, stars: number, cust: string) =>
    JSON.stringify({ review, stars, customer_id: cust, email: EMAIL, date: '2024-05-03' });
  return `${[
    good(REVIEWS[0] as string, 5, CUST),
    `{"review": "Call me ${MOBILE}", "stars": 1, "customer_id": "${CUST}", "email": "${EMAIL}", "card": "${CARD}`,
    JSON.stringify({ review: REVIEWS[1], stars: MOBILE, customer_id: CUST2, date: ID }),
    `{"review": "bad", "stars": 2, "customer_id": ${CUST2}, "ip": "${IP}"}`,
    JSON.stringify({ review: REVIEWS[2], stars: 4, [EMAIL]: CUST }),
    MOBILE,
    `${good(REVIEWS[3] as string, 3, CUST2)} ${ID}`,
    good(REVIEWS[4] as string, 2, CUST2),
    good(REVIEWS[5] as string, 4, CUST),
  ].join('\n')}\n`;
}

/** A JSON document keyed by personal data: nothing to map, and the keys must not be listed. */
function personalKeys(): string {
  return JSON.stringify([
    { [EMAIL]: MOBILE, [CUST]: ID },
    { [EMAIL2]: US_PHONE, [CUST2]: ID2 },
  ]);
}

/** A cell larger than the limit, full of personal data, after good rows (csv-parse loses the rows after one). */
function oversized(maxCell: number): string {
  const huge = `${EMAIL} ${MOBILE} ${CUST} `.repeat(Math.ceil((maxCell + 10) / 40));
  return `${['Comment,Rating', `"${REVIEWS[0]}",4`, `"${REVIEWS[1]}",5`, `"${huge}",1`].join('\n')}\n`;
}

/** Stray content after a closing quote, and quoting left open at the end, around personal data. */
function strayQuotes(): string {
  return `${['Comment,Rating', `"${REVIEWS[0]}",4`, `"ok" ${MOBILE} ${EMAIL},5`, `"unclosed ${CUST} ${MOBILE},3`].join('\n')}\n`;
}

/** A workbook whose sheet is named after a customer and whose first row is theirs. */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(EMAIL);
  REVIEWS.forEach((r, i) => {
    const { email, phone, cust } = customer(i);
    ws.addRow([email, phone, cust, `${r}, call ${phone}`, 1 + (i % 5)]);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Exports with personal data in every position a diagnostic could quote. `maxCell`: the reader's cell limit. */
export async function piiExports(maxCell = 1_000_000): Promise<{ name: string; body: string | Buffer }[]> {
  return [
    { name: 'headerless.csv', body: headerless() },
    { name: 'headerless-personal.csv', body: headerlessPersonal() },
    { name: 'survey.csv', body: survey() },
    { name: 'titled-with-totals.csv', body: titledWithTotals() },
    { name: 'broken.jsonl', body: brokenJsonLines() },
    { name: 'personal-keys.json', body: personalKeys() },
    { name: 'oversized.csv', body: oversized(maxCell) },
    { name: 'stray-quotes.csv', body: strayQuotes() },
    { name: 'workbook.xlsx', body: await workbook() },
  ];
}
