import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/config/resources.js';
import { DETAIL_SCHEMAS } from '../../shared/events/contract.js';
import { type FileReport, reportKeyOf } from '../../shared/pipeline/ingest-object.js';
import { DynamoAggregateReader } from '../../shared/store/aggregate-reader.js';
import { eventually, getJson, journalEvents, localClients, localStack } from '../helpers/clients.js';
import { s3NotificationBody } from '../helpers/events.js';

const stack = localStack();
const { s3, sqs, db } = localClients(stack);
const samplesDir = new URL('../../samples/', import.meta.url).pathname;

/** The ETag of the last upload of each key: its report's key names that version. */
const uploadedEtags = new Map<string, string>();

async function upload(key: string, body: Uint8Array | string): Promise<string> {
  const out = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
  const etag = (out.ETag ?? '').replace(/"/g, '');
  uploadedEtags.set(key, etag);
  return etag;
}

function reportOf(key: string): string {
  return reportKeyOf(key, uploadedEtags.get(key) ?? '');
}

function waitForReport(key: string): Promise<FileReport> {
  return eventually(() => getJson<FileReport>(s3, stack.bucket, reportOf(key)), 90_000);
}

/** The file event is the last thing a worker sends (after the report and the ledger): wait for it. */
function waitForFileEvent(key: string, type: string = EVENTS.detailTypes.fileProcessed) {
  return eventually(async () =>
    (await journalEvents()).find((e) => e['detail-type'] === type && (e.detail.file as { key: string }).key === key),
  );
}

async function recordsOf(report: FileReport): Promise<Record<string, unknown>[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: report.recordsPrefix }));
  const lines: Record<string, unknown>[] = [];
  for (const o of listed.Contents ?? []) {
    const out = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: o.Key }));
    for (const line of ((await out.Body?.transformToString()) ?? '').split('\n').filter(Boolean))
      lines.push(JSON.parse(line));
  }
  return lines;
}

describe('pipeline on the local stack', () => {
  it('processes a file whose key has spaces, a plus sign and Chinese characters', async () => {
    // Prepare
    const key = 'incoming/e2e-keys/客户 反馈+导出 (1).csv';
    // Act
    await upload(key, 'Comment,Rating\n"Great app, love it",5\nIt keeps crashing,1\n');
    const report = await waitForReport(key);
    // Assess
    expect(report.file).toBe(key);
    expect(report.status).toBe('processed');
    expect(report.rows).toMatchObject({ total: 2, accepted: 2, rejected: 0, duplicates: 0 });
    await waitForFileEvent(key);
    const processed = (await journalEvents()).filter(
      (e) => e['detail-type'] === EVENTS.detailTypes.fileProcessed && (e.detail.file as { key: string }).key === key,
    );
    expect(processed).toHaveLength(1);
  });

  it('runs every bundled sample through and emits events that match their schemas and the data', async () => {
    // Prepare
    const files: { key: string; path: string }[] = [];
    for (const dir of await readdir(samplesDir)) {
      for (const name of await readdir(join(samplesDir, dir))) {
        files.push({ key: `incoming/e2e-samples-${dir}/${name}`, path: join(samplesDir, dir, name) });
      }
    }
    // Act
    for (const f of files) await upload(f.key, await readFile(f.path));
    const reports = await Promise.all(files.map((f) => waitForReport(f.key)));
    // Assess
    const keys = new Set(files.map((f) => f.key));
    const ours = async () =>
      (await journalEvents()).filter((e) => {
        const d = e.detail as { file?: { key: string }; source?: { key: string } };
        return keys.has(d.file?.key ?? d.source?.key ?? '');
      });
    // The file event is the last thing a worker sends, after the report: wait for all of them.
    const events = await eventually(async () => {
      const found = await ours();
      const done = found.filter((e) => e['detail-type'] === EVENTS.detailTypes.fileProcessed).length;
      return done === files.length ? found : undefined;
    });
    for (const e of events) {
      const schema = DETAIL_SCHEMAS[e['detail-type'] as keyof typeof DETAIL_SCHEMAS];
      expect(schema, e['detail-type']).toBeDefined();
      expect(schema.safeParse(e.detail).success, JSON.stringify(e.detail).slice(0, 300)).toBe(true);
      expect(e.source).toBe(EVENTS.defaultSource);
    }
    for (const r of reports) {
      expect(r.status).toBe('processed');
      expect(r.rows.total).toBe(r.rows.accepted + r.rows.rejected + r.rows.duplicates);
    }
    const count = (type: string) => events.filter((e) => e['detail-type'] === type).length;
    expect(count(EVENTS.detailTypes.fileProcessed)).toBe(files.length);
    let detractors = 0;
    for (const r of reports) {
      for (const rec of await recordsOf(r)) {
        if ((typeof rec.nps === 'number' && rec.nps <= 6) || (typeof rec.rating === 'number' && rec.rating <= 2))
          detractors++;
      }
    }
    expect(detractors).toBeGreaterThan(0);
    expect(count(EVENTS.detailTypes.detractor)).toBe(detractors);
    const ids = events.map((e) => e.detail.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('emits nothing new and changes no report when the same notification is delivered again', async () => {
    // Prepare
    const key = 'incoming/e2e-redelivery/nps.csv';
    const etag = await upload(
      key,
      'How likely are you to recommend us?,Comment\n3,Support never answered\n10,Perfect\n',
    );
    const first = await waitForReport(key);
    await waitForFileEvent(key);
    const before = (await journalEvents()).length;
    // Act: S3 delivers at least once; send the same notification twice more.
    for (let i = 0; i < 2; i++) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: stack.queueUrl, MessageBody: s3NotificationBody(stack.bucket, key, etag) }),
      );
    }
    await new Promise((r) => setTimeout(r, 3000));
    // Assess
    expect(await getJson<FileReport>(s3, stack.bucket, reportOf(key))).toEqual(first);
    expect((await journalEvents()).length).toBe(before);
  });

  it('never pays Comprehend twice for the same text, within a file or across files', async () => {
    // Prepare: texts unique to this run, so nothing is cached yet; the second export repeats them under new ids.
    const token = Date.now().toString(36);
    const texts = Array.from(
      { length: 30 },
      (_, i) => `Checkout step ${i} fails again with code ${token}${i}, please fix`,
    );
    const csv = (prefix: string) =>
      `Review ID,Review Text,Star Rating\n${texts.map((t, i) => `${prefix}${i},"${t}",2`).join('\n')}\n${prefix}x,"${texts[0]}",1\n`;
    // Act
    await upload('incoming/e2e-cost/first.csv', csv('A'));
    const first = await waitForReport('incoming/e2e-cost/first.csv');
    await upload('incoming/e2e-cost/second.csv', csv('B'));
    const second = await waitForReport('incoming/e2e-cost/second.csv');
    // Assess: 30 unique texts (one repeated in-file) → ceil(30 / 25) = 2 sentiment calls, then none.
    expect(first.rows).toMatchObject({ total: 31, accepted: 31 });
    expect(first.comprehend.calls).toBeGreaterThanOrEqual(2);
    expect(first.comprehend.units).toBeGreaterThan(0);
    expect(second.rows).toMatchObject({ total: 31, accepted: 31 });
    expect(second.comprehend).toMatchObject({ calls: 0, units: 0, estimatedCostUsd: 0 });
    expect(second.comprehend.cacheHits).toBe(30);
  });

  it('sends full batches of 25 across chunks: ceil(unique texts / 25) sentiment calls for a file', async () => {
    // Prepare: 1,234 unique English texts (more than two 500-row chunks) and 100 repeats of them.
    const token = `${Date.now().toString(36)}b`;
    const rows = Array.from(
      { length: 1334 },
      (_, i) => `R${i},en,"Lovely product number ${(i % 1234) + 1} ${token}",5`,
    );
    const key = 'incoming/e2e-batching/reviews.csv';
    // Act
    await upload(key, `Review ID,Language,Review Text,Star Rating\n${rows.join('\n')}\n`);
    const report = await waitForReport(key);
    // Assess
    expect(report.rows).toMatchObject({ total: 1334, accepted: 1334 });
    expect(report.comprehend.byOperation.sentiment).toBe(Math.ceil(1234 / 25));
    expect(report.comprehend.byOperation.dominantLanguage).toBe(0);
  });

  it('processes an edited negative review whose two versions land in one segment', async () => {
    // Prepare: the same ticket twice (an edit), both strongly negative, same day: one verbatim key for both.
    const key = 'incoming/e2e-edits/tickets.csv';
    const csv =
      'Id,Subject,Satisfaction Score,Created at,Updated at\n' +
      '21301,Terrible support and the app keeps crashing,Bad,2024-02-01 09:00,2024-02-01 09:00\n' +
      '21301,Terrible support and the app keeps crashing,Bad,2024-02-01 09:00,2024-02-01 17:30\n';
    // Act
    await upload(key, csv);
    const report = await waitForReport(key);
    // Assess
    expect(report.status).toBe('processed');
    expect(report.rows).toMatchObject({ total: 2, accepted: 1, duplicates: 1 });
  });

  it('keeps rows in languages Comprehend cannot score, without sentiment and with a warning', async () => {
    // Prepare: Indonesian is not one of Comprehend's 12 sentiment languages.
    const key = 'incoming/e2e-language/reviews.csv';
    const csv =
      'Review ID,Reviewer Language,Review Text,Star Rating\nA1,id,Aplikasinya bagus sekali,5\nA2,en,Great app,5\n';
    // Act
    await upload(key, csv);
    const report = await waitForReport(key);
    // Assess
    expect(report.rows).toMatchObject({ total: 2, accepted: 2, withText: 2 });
    expect(report.warnings).toContainEqual({ row: 1, code: 'UNSUPPORTED_LANGUAGE', detail: 'id' });
    expect(report.sentiment).toMatchObject({ positive: 1, none: 1 });
  });

  it('notes a file read with doubt for the digest, on the days it counted, in DynamoDB', async () => {
    // Prepare: dated rows, no column that reads as feedback text: the text role is a guess among short answers.
    const key = 'incoming/e2e-doubt/majors.csv';
    const rows = Array.from(
      { length: 20 },
      (_, i) => `2026-09-0${1 + (i % 2)},${i % 11},${['Econ', 'Nursing', 'Law'][i % 3]}`,
    );
    // Act
    await upload(key, `Date,Score,Your major?\n${rows.join('\n')}\n`);
    await waitForFileEvent(key);
    const notices = await new DynamoAggregateReader(db, stack.table).readMappingNotices({
      from: '2026-09-01',
      to: '2026-09-30',
    });
    // Assess
    const mine = notices.filter((n) => n.file === key);
    expect(mine.map((n) => n.day)).toEqual(['2026-09-01', '2026-09-02']);
    expect(mine[0]?.warnings.map((w) => w.code)).toContain('MAPPING_UNCERTAIN');
    expect(JSON.stringify(mine)).not.toMatch(/Econ|Nursing|Law/);
  });

  it('rejects a binary file with a file-level error and a rejection event, and goes on', async () => {
    // Prepare
    const key = 'incoming/e2e-bad/photo.csv';
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
      0, 0, 0,
    ]);
    // Act
    await upload(key, png);
    const report = await waitForReport(key);
    // Assess
    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('BINARY_FILE');
    const rejected = await waitForFileEvent(key, EVENTS.detailTypes.fileRejected);
    expect(DETAIL_SCHEMAS[EVENTS.detailTypes.fileRejected].safeParse(rejected.detail).success).toBe(true);
  });
});
