import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidTaxonomyError, loadTaxonomy, parseTaxonomy, themesOf } from '../../../shared/themes/taxonomy.js';

const theme = (id: string, keywords: { en?: string[]; zh?: string[] } = { en: ['x'] }) => ({
  id,
  label: { en: id, zh: id },
  keywords,
});
const taxonomy = (themes: unknown[], extra: Record<string, unknown> = {}) => ({
  version: '1',
  categories: [{ id: 'c', label: { en: 'C', zh: 'C' }, themes }],
  ...extra,
});

describe('theme taxonomy', () => {
  it('loads the project taxonomy: every category has themes, every theme keywords in both languages', () => {
    const t = loadTaxonomy('config/taxonomy.json');
    expect(t.categories.map((c) => c.id)).toEqual(
      expect.arrayContaining(['product', 'price', 'delivery', 'service', 'staff', 'app', 'payment']),
    );
    expect(t.urgency.map((u) => u.id)).toEqual(['safety', 'legal', 'churn', 'escalation']);
    for (const th of themesOf(t)) {
      expect(th.keywords.en.length, th.id).toBeGreaterThan(0);
      expect(th.keywords.zh.length, th.id).toBeGreaterThan(0);
    }
  });

  it.each([
    ['a bad id', taxonomy([theme('Delivery Speed')]), /categories\.0\.themes\.0\.id: ids are lower-case/],
    ['a blank keyword', taxonomy([theme('c.a', { en: ['  '] })]), /keywords\.en\.0: a keyword may not be blank/],
    ['a theme without keywords', taxonomy([theme('c.a', {})]), /c\.a has no keywords/],
    ['an id used twice', taxonomy([theme('c.a'), theme('c.a')]), /ids used twice: c\.a/],
    ['an unknown field', taxonomy([theme('c.a')], { colour: 'red' }), /Unrecognized key/],
    ['no version', { categories: [] }, /version: Invalid input/],
  ])('refuses %s with a message naming the place', (_name, value, message) => {
    expect(() => parseTaxonomy(value, 'config/x.json')).toThrow(InvalidTaxonomyError);
    expect(() => parseTaxonomy(value, 'config/x.json')).toThrow(message);
  });

  it('names the file when it is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taxonomy-'));
    writeFileSync(join(dir, 'broken.json'), '{ "version": ');
    expect(() => loadTaxonomy('missing.json', dir)).toThrow(/missing\.json cannot be read/);
    expect(() => loadTaxonomy('broken.json', dir)).toThrow(/broken\.json is not valid JSON/);
  });
});
