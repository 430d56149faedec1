import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { JobOutputFormatError, parseOutputLine, readJobOutput } from '../../../shared/sentiment/async/job-output.js';

/** An `output.tar.gz` as Comprehend writes it: one member, `output`, of JSON lines. */
async function archive(members: Record<string, string>): Promise<Buffer> {
  const tar = pack();
  for (const [name, text] of Object.entries(members)) tar.entry({ name }, text);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar.pipe(createGzip())) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function linesOf(body: Buffer) {
  const out = [];
  for await (const line of readJobOutput(Readable.from([body]))) out.push(line);
  return out;
}

describe('readJobOutput', () => {
  it('reads sentiment, key-phrase and error lines of the real format, by their Line index', async () => {
    // Prepare
    const body = await archive({
      output: [
        '{"File":"en-0.txt","Line":0,"Sentiment":"NEGATIVE","SentimentScore":{"Mixed":0.01,"Negative":0.9,"Neutral":0.05,"Positive":0.04}}',
        '{"File":"en-0.txt","Line":1,"ErrorCode":"DOCUMENT_SIZE_EXCEEDED","ErrorMessage":"Document size is exceeded maximum size limit 5120 bytes."}',
        '{"File":"en-0.txt","Line":"2","KeyPhrases":[{"BeginOffset":0,"EndOffset":7,"Score":0.5,"Text":"the app"},{"Score":0.99,"Text":"battery"}]}',
        '',
      ].join('\n'),
    });
    // Act
    const lines = await linesOf(body);
    // Assess
    expect(lines).toEqual([
      {
        line: 0,
        file: 'en-0.txt',
        sentiment: { label: 'NEGATIVE', score: { Positive: 0.04, Negative: 0.9, Neutral: 0.05, Mixed: 0.01 } },
      },
      {
        line: 1,
        file: 'en-0.txt',
        error: {
          code: 'DOCUMENT_SIZE_EXCEEDED',
          message: 'Document size is exceeded maximum size limit 5120 bytes.',
        },
      },
      { line: 2, file: 'en-0.txt', keyPhrases: ['battery', 'the app'] },
    ]);
  });

  it('reads every file of the archive, whatever it is named', async () => {
    const body = await archive({
      output: '{"Line":0,"Sentiment":"POSITIVE","SentimentScore":{}}\n',
      'other.out': '{"Line":1,"Sentiment":"NEUTRAL","SentimentScore":{}}\n',
    });
    expect((await linesOf(body)).map((l) => l.line)).toEqual([0, 1]);
  });

  it('rejects a line that is not JSON or has no Line index', () => {
    expect(() => parseOutputLine('{"File":"x"')).toThrow(JobOutputFormatError);
    expect(() => parseOutputLine('{"File":"x","Sentiment":"POSITIVE"}')).toThrow(JobOutputFormatError);
  });

  it('fails on a body that is not gzip', async () => {
    await expect(linesOf(Buffer.from('not an archive'))).rejects.toThrow();
  });
});
