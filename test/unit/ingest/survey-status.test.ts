import { describe, expect, it } from 'vitest';
import { chunks, runBytes } from './helpers.js';

const qualtrics = (rows: string[]) =>
  Buffer.from(
    [
      'StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,DistributionChannel,Q1,Q2',
      'Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,Distribution Channel,How likely are you to recommend us?,Why?',
      '{"ImportId":"startDate","timeZone":"UTC"},{"ImportId":"endDate","timeZone":"UTC"},{"ImportId":"status"},{"ImportId":"progress"},{"ImportId":"finished"},{"ImportId":"recordedDate","timeZone":"UTC"},{"ImportId":"_recordId"},{"ImportId":"distributionChannel"},{"ImportId":"QID1"},{"ImportId":"QID2_TEXT"}',
      ...rows,
    ].join('\n'),
  );

describe('survey tool status columns', () => {
  it('rejects preview and test responses as TEST_RESPONSE and keeps unfinished ones with a warning', async () => {
    // Prepare: a Qualtrics export with a real, a preview, a test and an unfinished response.
    const bytes = qualtrics([
      '2026-10-01 10:00:00,2026-10-01 10:05:00,IP Address,100,True,2026-10-01 10:05:00,R_1,anonymous,9,Great service',
      '2026-10-01 11:00:00,2026-10-01 11:05:00,Survey Preview,100,True,2026-10-01 11:05:00,R_2,preview,0,testing',
      '2026-10-01 12:00:00,2026-10-01 12:05:00,IP Address,100,True,2026-10-01 12:05:00,R_3,test,3,generated',
      '2026-10-01 13:00:00,2026-10-01 13:05:00,IP Address,40,False,2026-10-01 13:05:00,R_4,anonymous,6,',
    ]);
    // Act
    const { report, records } = await runBytes(chunks(bytes, 97), 'qualtrics.csv');
    // Assess
    expect(report.rows).toMatchObject({ total: 4, accepted: 2, rejected: 2 });
    expect(report.rejects.map((r) => [r.row, r.reason])).toEqual([
      [2, 'TEST_RESPONSE'],
      [3, 'TEST_RESPONSE'],
    ]);
    expect(report.warnings.filter((w) => w.code === 'PARTIAL_RESPONSE').map((w) => w.row)).toEqual([4]);
    expect(records.map((r) => r.nps)).toEqual([9, 6]);
  });

  it('rejects an unfinished response that holds nothing as NO_CONTENT, not as partial', async () => {
    const bytes = qualtrics([
      '2026-10-01 13:00:00,2026-10-01 13:05:00,IP Address,10,False,2026-10-01 13:05:00,R_5,anonymous,,',
    ]);
    const { report } = await runBytes(chunks(bytes, 64), 'qualtrics.csv');
    expect(report.rejects.map((r) => r.reason)).toEqual(['NO_CONTENT']);
    expect(report.warnings.some((w) => w.code === 'PARTIAL_RESPONSE')).toBe(false);
  });

  it('reads 问卷网 状态 = 未完成 as unfinished', async () => {
    const csv =
      '序号,提交时间,状态,您对本次服务满意吗？,意见建议\n1,2024/05/01 10:00,完成,非常满意,很好\n2,2024/05/01 11:00,未完成,不满意,\n';
    const { report } = await runBytes(chunks(Buffer.from(csv), 32), 'wjw.csv');
    expect(report.rows.accepted).toBe(2);
    expect(report.warnings.filter((w) => w.code === 'PARTIAL_RESPONSE').map((w) => w.row)).toEqual([2]);
  });

  it('leaves a help desk ticket status alone', async () => {
    const csv =
      'Ticket ID,Created,Status,Satisfaction,Comment\nT-1,2024-05-01,Open,5,Quick help\nT-2,2024-05-02,Test,1,Slow\n';
    const { report } = await runBytes(chunks(Buffer.from(csv), 32), 'tickets.csv');
    expect(report.rows).toMatchObject({ total: 2, accepted: 2, rejected: 0 });
    expect(report.warnings.some((w) => w.code === 'PARTIAL_RESPONSE')).toBe(false);
  });
});
