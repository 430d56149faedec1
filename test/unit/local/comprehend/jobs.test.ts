import {
  ComprehendClient,
  DescribeKeyPhrasesDetectionJobCommand,
  DescribeSentimentDetectionJobCommand,
  StartSentimentDetectionJobCommand,
  StopSentimentDetectionJobCommand,
} from '@aws-sdk/client-comprehend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComprehendServer, startComprehendServer } from '../../../../local/comprehend-server.js';

let server: ComprehendServer;
let client: ComprehendClient;

beforeAll(async () => {
  // Jobs that never run during these tests: only the API around them is checked here (the e2e tests run them).
  server = await startComprehendServer({ jobDelayMs: 60_000, accountId: '123456789012', region: 'eu-west-1' });
  client = new ComprehendClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const request = (token?: string) =>
  new StartSentimentDetectionJobCommand({
    InputDataConfig: { S3Uri: 's3://bucket/comprehend-jobs/input/f/en-0.txt', InputFormat: 'ONE_DOC_PER_LINE' },
    OutputDataConfig: { S3Uri: 's3://bucket/comprehend-jobs/output/f/sentiment-en-0/' },
    DataAccessRoleArn: 'arn:aws:iam::123456789012:role/comprehend-jobs',
    LanguageCode: 'en',
    ...(token ? { ClientRequestToken: token, JobName: token } : {}),
  });

describe('local Comprehend endpoint: asynchronous jobs', () => {
  it('starts a job and describes it with the real output location', async () => {
    // Act
    const started = await client.send(request());
    const described = await client.send(new DescribeSentimentDetectionJobCommand({ JobId: started.JobId }));
    // Assess
    expect(started.JobStatus).toBe('SUBMITTED');
    expect(started.JobArn).toBe(`arn:aws:comprehend:eu-west-1:123456789012:sentiment-detection-job/${started.JobId}`);
    const props = described.SentimentDetectionJobProperties;
    expect(props?.JobStatus).toBe('SUBMITTED');
    expect(props?.LanguageCode).toBe('en');
    expect(props?.OutputDataConfig?.S3Uri).toBe(
      `s3://bucket/comprehend-jobs/output/f/sentiment-en-0/123456789012-SENTIMENT-${started.JobId}/output/output.tar.gz`,
    );
  });

  it('answers a repeated client request token with the job it started', async () => {
    const first = await client.send(request('file-1-s-en-0'));
    const again = await client.send(request('file-1-s-en-0'));
    expect(again.JobId).toBe(first.JobId);
  });

  it('stops a job that has not run', async () => {
    const { JobId } = await client.send(request());
    const stopped = await client.send(new StopSentimentDetectionJobCommand({ JobId }));
    const described = await client.send(new DescribeSentimentDetectionJobCommand({ JobId }));
    expect(stopped.JobStatus).toBe('STOPPED');
    expect(described.SentimentDetectionJobProperties?.JobStatus).toBe('STOPPED');
  });

  it('rejects a start without a role, and answers unknown jobs with JobNotFoundException', async () => {
    const { JobId } = await client.send(request());
    await expect(
      client.send(
        new StartSentimentDetectionJobCommand({
          InputDataConfig: { S3Uri: 's3://bucket/in.txt', InputFormat: 'ONE_DOC_PER_LINE' },
          OutputDataConfig: { S3Uri: 's3://bucket/out/' },
          DataAccessRoleArn: 'not-a-role',
          LanguageCode: 'en',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await expect(client.send(new DescribeSentimentDetectionJobCommand({ JobId: 'nope' }))).rejects.toMatchObject({
      name: 'JobNotFoundException',
    });
    // A sentiment job is not a key-phrase job.
    await expect(client.send(new DescribeKeyPhrasesDetectionJobCommand({ JobId }))).rejects.toMatchObject({
      name: 'JobNotFoundException',
    });
  });
});
