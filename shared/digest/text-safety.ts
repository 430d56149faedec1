/**
 * Making untrusted feedback text safe for each output: HTML, plain text and spreadsheets (CSV).
 * Feedback text, theme phrases and segment names all come from customer exports and are untrusted.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

// C0/C1 controls other than tab and newline: invisible, and some mail clients choke on them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

// Explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) let text display in an order
// other than the one it is written in ("\u202Egnp.exe" shows as "exe.png"). Natural RTL text needs none of them:
// the renderers isolate each untrusted string themselves.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Removes control characters and explicit bidi controls, normalises line breaks and trims. */
export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_CHARACTERS, '').replace(BIDI_CONTROLS, '').trim();
}

/** Shortens to at most `max` code points (never splitting a surrogate pair), adding an ellipsis. */
export function truncate(value: string, max: number): string {
  const points = Array.from(value);
  return points.length <= max ? value : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, tab or
 * carriage return (or their full-width forms) is evaluated by Excel, LibreOffice and Google Sheets.
 * Prefixing an apostrophe makes it literal text.
 */
export function neutraliseFormula(value: string): string {
  return /^[\s]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

/** One CSV field (RFC 4180 quoting), formula-neutralised. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return `"${neutraliseFormula(value).replace(/"/g, '""')}"`;
}

/** Rows to CSV text with CRLF line ends (RFC 4180). */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Wraps text in Unicode first-strong isolate … pop directional isolate, so RTL text cannot reorder what follows. */
export function isolateBidi(value: string): string {
  return `\u2068${value}\u2069`;
}
