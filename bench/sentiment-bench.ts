/**
 * Evaluates the offline sentiment model on a labelled CSV/TSV.
 *
 *   npm run bench:sentiment -- --dataset <file> [--json] [--language en|zh] [--polarity]
 *
 * The text and label columns are found by name (text/review/sentence/content/comment/feedback and
 * label/sentiment/airline_sentiment/polarity); a header-less file is read as `text<TAB>label` split on the last tab
 * (the UCI layout). Labels are positive/negative/neutral/mixed or 1/0. For 1/0 sets a prediction is positive when its
 * Positive score exceeds its Negative score; for labelled sets without "mixed", a MIXED prediction counts as the
 * larger of Positive and Negative.
 *
 * `--polarity` also prints the polarity accuracy: over the positive and negative examples only, whether the predicted
 * label is that side (MIXED counts as the larger of Positive and Negative; NEUTRAL is a miss). Unlike the binary
 * accuracy above, which only compares the two scores, it asks what a reader of the label sees: a complaint the model
 * calls NEUTRAL was missed. It also puts 3-class sets (airline tweets) on the same footing as binary ones.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { detectSentimentOffline } from '../local/comprehend/offline/model.js';

type Gold = 'positive' | 'negative' | 'neutral' | 'mixed';

interface Example {
  text: string;
  label: Gold;
}

interface LabelStats {
  n: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface BenchResult {
  dataset: string;
  n: number;
  accuracy: number;
  macroF1: number;
  /** Accuracy of the label over the positive and negative examples (see `--polarity`). */
  polarityAccuracy: number;
  perLabel: Record<string, LabelStats>;
  microsecondsPerText: number;
}

const TEXT_COLUMNS = ['text', 'review', 'sentence', 'content', 'comment', 'feedback', 'review text', 'body'];
const LABEL_COLUMNS = ['label', 'sentiment', 'airline_sentiment', 'polarity', 'class'];

function normaliseLabel(raw: string): Gold | undefined {
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'positive' || v === 'pos') return 'positive';
  if (v === '0' || v === 'negative' || v === 'neg') return 'negative';
  if (v === 'neutral' || v === 'neu') return 'neutral';
  if (v === 'mixed') return 'mixed';
  return undefined;
}

function isHeaderless(firstLine: string): boolean {
  const tab = firstLine.lastIndexOf('\t');
  return tab > 0 && normaliseLabel(firstLine.slice(tab + 1)) !== undefined;
}

/** Reads a labelled file into examples; rows with an empty text or unknown label are skipped. */
export function readDataset(file: string): Example[] {
  const raw = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const firstLine = raw.slice(0, raw.search(/\r?\n|$/));
  const out: Example[] = [];
  if (isHeaderless(firstLine)) {
    for (const line of raw.split(/\r?\n/)) {
      const tab = line.lastIndexOf('\t');
      if (tab <= 0) continue;
      const label = normaliseLabel(line.slice(tab + 1));
      const text = line.slice(0, tab).trim();
      if (label && text !== '') out.push({ text, label });
    }
    return out;
  }
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  const rows = parse(raw, {
    delimiter,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const textCol = header.findIndex((h) => TEXT_COLUMNS.includes(h));
  const labelCol = header.findIndex((h) => LABEL_COLUMNS.includes(h));
  if (textCol < 0 || labelCol < 0) {
    throw new Error(`cannot find text and label columns in ${file} (header: ${header.join(', ')})`);
  }
  for (const row of rows.slice(1)) {
    const label = normaliseLabel(row[labelCol] ?? '');
    const text = (row[textCol] ?? '').trim();
    if (label && text !== '') out.push({ text, label });
  }
  return out;
}

/** Runs the model over the examples and computes accuracy, macro-F1 and per-label figures. */
export function evaluate(dataset: string, examples: Example[], language?: string): BenchResult {
  const golds = new Set(examples.map((e) => e.label));
  const binary = !golds.has('neutral') && !golds.has('mixed');
  const labels: Gold[] = binary ? ['positive', 'negative'] : [...golds].sort();
  const predictions: Gold[] = [];
  let polar = 0;
  let polarCorrect = 0;
  // CPU time, not wall time: the figure should not depend on what else runs on the machine.
  const start = process.cpuUsage();
  for (const e of examples) {
    const { label, score } = detectSentimentOffline(e.text, language);
    if (e.label === 'positive' || e.label === 'negative') {
      polar++;
      const side = label === 'MIXED' ? (score.Positive > score.Negative ? 'POSITIVE' : 'NEGATIVE') : label;
      if (side.toLowerCase() === e.label) polarCorrect++;
    }
    if (binary) predictions.push(score.Positive > score.Negative ? 'positive' : 'negative');
    else if (label === 'MIXED' && !golds.has('mixed'))
      predictions.push(score.Positive > score.Negative ? 'positive' : 'negative');
    else predictions.push(label.toLowerCase() as Gold);
  }
  const cpu = process.cpuUsage(start);
  const elapsed = (cpu.user + cpu.system) / 1000;
  let correct = 0;
  const perLabel: Record<string, LabelStats> = {};
  for (const l of labels) perLabel[l] = { n: 0, predicted: 0, precision: 0, recall: 0, f1: 0 };
  const tp: Record<string, number> = {};
  examples.forEach((e, i) => {
    const p = predictions[i];
    const g = perLabel[e.label];
    if (g) g.n++;
    const ps = p === undefined ? undefined : perLabel[p];
    if (ps) ps.predicted++;
    if (p === e.label) {
      correct++;
      tp[p] = (tp[p] ?? 0) + 1;
    }
  });
  let f1Sum = 0;
  for (const l of labels) {
    const s = perLabel[l];
    if (!s) continue;
    const t = tp[l] ?? 0;
    s.precision = r4(s.predicted ? t / s.predicted : 0);
    s.recall = r4(s.n ? t / s.n : 0);
    s.f1 = r4(s.precision + s.recall ? (2 * s.precision * s.recall) / (s.precision + s.recall) : 0);
    f1Sum += s.f1;
  }
  return {
    dataset,
    n: examples.length,
    accuracy: r4(examples.length ? correct / examples.length : 0),
    macroF1: r4(f1Sum / labels.length),
    polarityAccuracy: r4(polar ? polarCorrect / polar : 0),
    perLabel,
    microsecondsPerText: Math.round((elapsed * 1000 * 100) / Math.max(1, examples.length)) / 100,
  };
}

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      language: { type: 'string' },
      polarity: { type: 'boolean' },
    },
  });
  const files = values.dataset ?? [];
  if (files.length === 0) {
    process.stderr.write(
      'usage: npm run bench:sentiment -- --dataset <file> [--dataset <file>…] [--json] [--language en|zh] [--polarity]\n',
    );
    process.exitCode = 2;
    return;
  }
  for (const file of files) {
    const examples = readDataset(file);
    // A warm-up pass so the timing excludes lexicon loading and JIT compilation.
    evaluate(basename(file), examples.slice(0, 200), values.language);
    const result = evaluate(basename(file), examples, values.language);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(
        `${result.dataset}: n=${result.n} accuracy=${result.accuracy} macroF1=${result.macroF1} ` +
          `(${result.microsecondsPerText} µs/text)\n`,
      );
      if (values.polarity) process.stdout.write(`  polarity accuracy=${result.polarityAccuracy}\n`);
      for (const [label, s] of Object.entries(result.perLabel)) {
        process.stdout.write(`  ${label.padEnd(9)} n=${s.n} P=${s.precision} R=${s.recall} F1=${s.f1}\n`);
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
