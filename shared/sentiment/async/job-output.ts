/**
 * Reads the output of a Comprehend asynchronous job: `output.tar.gz`, a gzipped tar whose file (named `output`)
 * holds one JSON object a line per input document, e.g. for one document a line:
 * `{"File":"en-0.txt","Line":0,"Sentiment":"NEUTRAL","SentimentScore":{…}}`,
 * `{"File":"en-0.txt","Line":3,"KeyPhrases":[{"Text":"battery","Score":0.99,…}]}` or, for a document the job could
 * not analyse, `{"File":"en-0.txt","Line":1,"ErrorCode":"DOCUMENT_SIZE_EXCEEDED","ErrorMessage":"…"}`.
 * Every regular file of the archive is read, so a differently named member is not missed.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { SentimentLabel } from '../../domain/types.js';

export interface JobOutputLine {
  /** Zero-based line of the input file. */
  line: number;
  /** The input file the line belongs to (its name as Comprehend reports it). */
  file?: string;
  sentiment?: { label: SentimentLabel; score: { Positive: number; Negative: number; Neutral: number; Mixed: number } };
  /** Key phrases, highest score first. */
  keyPhrases?: string[];
  error?: { code: string; message: string };
}

/** A line of job output that is not what the format promises. */
export class JobOutputFormatError extends Error {
  override name = 'JobOutputFormatError';
}

const LABELS = new Set(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']);

/** The result lines of one `output.tar.gz`, in archive order. */
export async function* readJobOutput(archive: AsyncIterable<Uint8Array>): AsyncGenerator<JobOutputLine> {
  const tar = extract();
  const source = Readable.from(archive).pipe(createGunzip());
  source.on('error', (err) => tar.destroy(err));
  source.pipe(tar);
  for await (const entry of tar) {
    if (entry.header.type !== 'file') {
      entry.resume();
      continue;
    }
    for await (const text of createInterface({
      input: entry as unknown as Readable,
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      if (text.trim() === '') continue;
      yield parseOutputLine(text);
    }
  }
}

/** One JSON line of job output. `Line` is a number in sentiment output and a string in some other job types. */
export function parseOutputLine(text: string): JobOutputLine {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new JobOutputFormatError('A job output line is not JSON', { cause: err });
  }
  const line = Number(raw.Line);
  if (!Number.isInteger(line) || line < 0) throw new JobOutputFormatError('A job output line has no Line index');
  const out: JobOutputLine = { line, ...(typeof raw.File === 'string' ? { file: raw.File } : {}) };
  if (typeof raw.ErrorCode === 'string') {
    out.error = { code: raw.ErrorCode, message: typeof raw.ErrorMessage === 'string' ? raw.ErrorMessage : '' };
    return out;
  }
  if (typeof raw.Sentiment === 'string' && LABELS.has(raw.Sentiment)) {
    const s = (raw.SentimentScore ?? {}) as Record<string, number | undefined>;
    out.sentiment = {
      label: raw.Sentiment as SentimentLabel,
      score: { Positive: s.Positive ?? 0, Negative: s.Negative ?? 0, Neutral: s.Neutral ?? 0, Mixed: s.Mixed ?? 0 },
    };
  }
  if (Array.isArray(raw.KeyPhrases)) {
    out.keyPhrases = (raw.KeyPhrases as { Text?: string; Score?: number }[])
      .filter((p) => typeof p.Text === 'string' && p.Text !== '')
      .sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))
      .map((p) => p.Text as string);
  }
  return out;
}
