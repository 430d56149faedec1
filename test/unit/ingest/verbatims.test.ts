import { describe, expect, it } from 'vitest';
import { cleanLabel, cleanText, matchText, redactAsWritten } from '../../../shared/ingest/clean.js';
import { chunks, runBytes } from './helpers.js';

function csv(lines: readonly string[]) {
  return runBytes(chunks(Buffer.from(`${lines.join('\n')}\n`, 'utf8'), 64), 'verbatims.csv');
}

describe('verbatims as written', () => {
  it('keeps Chinese full-width punctuation in the stored text', async () => {
    const { records } = await csv(['评论时间,评分,评论', '2026-09-01,5,"质量很好，物流也快！下次还来。"']);

    expect(records[0]?.text).toBe('质量很好，物流也快！下次还来。');
  });

  it('joins a title ending in a full-width mark to its body without changing either', async () => {
    const { records } = await csv(['Title,Review', '太好了！,"包装完好，推荐。"']);

    expect(records[0]?.text).toBe('太好了！包装完好，推荐。');
  });

  it('still reads a full-width placeholder as an empty answer', async () => {
    const { report } = await csv(['评分,评论', '5,（空）', ',（空）']);

    expect(report.rows).toMatchObject({ accepted: 1, rejected: 1, withText: 0 });
  });

  it('gives the same response written with full-width or ASCII punctuation one fingerprint', async () => {
    const { report } = await csv(['评论时间,评论', '2026-09-01,"好，很好！"', '2026-09-01,"好,很好!"']);

    expect(report.rows).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('folds labels, which are segment keys, but not texts', () => {
    expect(cleanLabel('ＷＥＢ')).toBe('WEB');
    expect(cleanText('ＷＥＢ，好')).toBe('ＷＥＢ，好');
    expect(matchText('ＷＥＢ，好')).toBe('WEB,好');
  });
});

describe('redactAsWritten', () => {
  it.each([
    ['请打１３８１２３４５６７８，谢谢！', '请打[PHONE]，谢谢！'],
    ['邮箱ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ，电话13812345678。', '邮箱[EMAIL]，电话[PHONE]。'],
    ['联系：dave@example.com，或 (+44) 20 7946 0958！', '联系：[EMAIL]，或 [PHONE]！'],
    ['没有个人信息，很好！', '没有个人信息，很好！'],
    ['plain dave@example.com text', 'plain [EMAIL] text'],
  ])('redacts %s as %s', (text, expected) => {
    expect(redactAsWritten(text)).toBe(expected);
  });
});
