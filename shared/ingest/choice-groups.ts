/**
 * Single-choice questions exported one column per answer: SurveyMonkey's "expanded" NPS question is eleven columns
 * (`How likely… - 0` … `How likely… - 10`), and a response fills only the column of the answer it chose. Such a run
 * is read as one column, named by the question, holding the chosen answer's number, before columns are profiled.
 */

/** A run of columns, one per answer 0–10, that together hold one answer per row. */
export interface ChoiceGroup {
  /** First column of the run (in the file's columns). */
  start: number;
  /** The answer each column of the run stands for. */
  labels: number[];
  /** The question (the run's common header prefix). */
  name: string;
}

/** The answers of an NPS question, in column order. */
const NPS_LABELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
/** `7`, `0 - Not at all likely`, `10 – Extremely likely`: the answer number, then optionally its wording. */
const ANSWER_LABEL = /^(\d{1,2})(?:\s*[-–—:]\s*\S.*)?$/;

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  // Back off into the separator: `Q - 1` and `Q - 10` share `Q - 1`, which is not the question.
  return prefix.replace(/\d+$/, '');
}

/** Whether the run's answers hold at most one filled cell per sampled row, and at least one row answers it. */
function oneAnswerPerRow(sample: readonly (readonly string[])[], start: number, width: number): boolean {
  let answered = 0;
  for (const cells of sample) {
    let filled = 0;
    for (let i = start; i < start + width; i++) if ((cells[i] ?? '').trim() !== '') filled++;
    if (filled > 1) return false;
    if (filled === 1) answered++;
  }
  return answered > 0;
}

/**
 * The runs of eleven adjacent columns whose headers share a question and end in the answers 0…10 in order, and whose
 * sampled rows fill at most one of them. Names alone never make a group: the values must read as one choice.
 */
export function findChoiceGroups(columns: readonly string[], sample: readonly (readonly string[])[]): ChoiceGroup[] {
  const groups: ChoiceGroup[] = [];
  const width = NPS_LABELS.length;
  for (let start = 0; start + width <= columns.length; start++) {
    const names = columns.slice(start, start + width);
    const prefix = commonPrefix(names);
    const question = prefix.replace(/[\s\-–—:]+$/, '');
    if (question.length < 3) continue;
    const labels = names.map((n) => ANSWER_LABEL.exec(n.slice(prefix.length).trim())?.[1]);
    if (labels.some((l, i) => l === undefined || Number(l) !== NPS_LABELS[i])) continue;
    if (!oneAnswerPerRow(sample, start, width)) continue;
    groups.push({ start, labels: [...NPS_LABELS], name: question });
    start += width - 1;
  }
  return groups;
}

/** Columns with each group replaced by one column named by its question. */
export function collapseColumns<T>(
  columns: readonly T[],
  groups: readonly ChoiceGroup[],
  nameOf: (g: ChoiceGroup) => T,
): T[] {
  const out: T[] = [];
  let next = 0;
  for (const g of groups) {
    out.push(...columns.slice(next, g.start), nameOf(g));
    next = g.start + g.labels.length;
  }
  out.push(...columns.slice(next));
  return out;
}

/** A row's cells with each group replaced by the number of the answer it filled (empty when it filled none). */
export function collapseCells(cells: readonly string[], groups: readonly ChoiceGroup[]): string[] {
  return collapseColumns(cells, groups, (g) => {
    for (let k = 0; k < g.labels.length; k++) {
      if ((cells[g.start + k] ?? '').trim() !== '') return String(g.labels[k]);
    }
    return '';
  });
}
