/**
 * The theme taxonomy: categories of what feedback is about, each with themes and the English and Chinese keywords
 * that name them, plus urgency cues. It is a versioned JSON file users edit (`config/taxonomy.json`, or the file an
 * environment names in cdk.json); this module validates it, at synth time and at cold start alike.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from '../config/zod.js';

const ID = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const id = z.string().check(z.regex(ID, 'ids are lower-case words joined by "-" and ".", e.g. "delivery.speed"'));
const keyword = z.string().check(z.trim(), z.minLength(1, 'a keyword may not be blank'), z.maxLength(60));
const keywords = z.strictObject({
  en: z._default(z.array(keyword), []),
  zh: z._default(z.array(keyword), []),
});
const label = z.strictObject({
  en: z.string().check(z.minLength(1)),
  zh: z.string().check(z.minLength(1)),
});
const entry = z.strictObject({ id, label, keywords });

const taxonomySchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  categories: z
    .array(z.strictObject({ id, label, themes: z.array(entry).check(z.minLength(1)) }))
    .check(z.minLength(1)),
  /** Phrases that name no theme though they contain a keyword ("room for improvement"). */
  ignore: z._default(keywords, { en: [], zh: [] }),
  urgency: z._default(z.array(entry), []),
});

export type Taxonomy = z.output<typeof taxonomySchema>;
export type TaxonomyEntry = z.output<typeof entry>;
export interface Labels {
  en: string;
  zh: string;
}

/** Thrown when a taxonomy file is missing or invalid; the message names the file and each problem's path. */
export class InvalidTaxonomyError extends Error {
  override name = 'InvalidTaxonomyError';
}

/** Validates a parsed taxonomy; `source` names it in errors. */
export function parseTaxonomy(value: unknown, source: string): Taxonomy {
  const parsed = z.safeParse(taxonomySchema, value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidTaxonomyError(`Invalid theme taxonomy ${source}:\n  ${problems.slice(0, 10).join('\n  ')}`);
  }
  const taxonomy = parsed.data;
  const duplicates = duplicateIds(taxonomy);
  if (duplicates.length > 0) {
    throw new InvalidTaxonomyError(`Invalid theme taxonomy ${source}: ids used twice: ${duplicates.join(', ')}`);
  }
  const empty = themesOf(taxonomy).filter((t) => t.keywords.en.length + t.keywords.zh.length === 0);
  if (empty.length > 0) {
    throw new InvalidTaxonomyError(
      `Invalid theme taxonomy ${source}: ${empty.map((t) => t.id).join(', ')} ha${empty.length > 1 ? 've' : 's'} no keywords`,
    );
  }
  return taxonomy;
}

/**
 * Reads and validates a taxonomy file. A relative path is read from `base` (the Lambda task root, where the bundle
 * carries the file, or the working directory locally).
 */
export function loadTaxonomy(path: string, base = process.env.LAMBDA_TASK_ROOT ?? process.cwd()): Taxonomy {
  const file = isAbsolute(path) ? path : resolve(base, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidTaxonomyError(`Theme taxonomy ${file} cannot be read`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidTaxonomyError(`Theme taxonomy ${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseTaxonomy(json, file);
}

/** Every theme of the taxonomy with its category. */
export function themesOf(taxonomy: Taxonomy): (TaxonomyEntry & { category: string })[] {
  return taxonomy.categories.flatMap((c) => c.themes.map((t) => ({ ...t, category: c.id })));
}

/** Labels by theme id (urgency cues included), for the digest and events. */
export function themeLabels(taxonomy: Taxonomy): Map<string, Labels & { category: string }> {
  const out = new Map<string, Labels & { category: string }>();
  for (const t of themesOf(taxonomy)) out.set(t.id, { ...t.label, category: t.category });
  for (const u of taxonomy.urgency) out.set(u.id, { ...u.label, category: 'urgency' });
  return out;
}

function duplicateIds(taxonomy: Taxonomy): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  const ids = [
    ...taxonomy.categories.map((c) => c.id),
    ...themesOf(taxonomy).map((t) => t.id),
    ...taxonomy.urgency.map((u) => u.id),
  ];
  for (const i of ids) (seen.has(i) ? twice : seen).add(i);
  return [...twice];
}
