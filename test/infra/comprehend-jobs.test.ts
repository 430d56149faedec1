import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComprehendJobs } from '../../infra/constructs/comprehend-jobs.js';
import { FeedbackFunction } from '../../infra/constructs/feedback-function.js';
import { logicalIdOf } from '../../infra/nag.js';
import type { FeedbackPipelineStack } from '../../infra/stacks/feedback-pipeline-stack.js';
import { COMPREHEND_JOBS } from '../../shared/config/comprehend-jobs.js';
import { ENV } from '../../shared/config/env-names.js';
import { PIPELINE_METRICS, SERVICE_NAMES } from '../../shared/config/resources.js';
import { buildTestApp, environmentSettings, roleActions, roleStatements } from './helpers/app.js';

const arnOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
const objectsUnder = (bucket: Parameters<typeof logicalIdOf>[0], prefix: string) => ({
  'Fn::Join': ['', [arnOf(bucket), `/${prefix}*`]],
});

function jobsOf(stack: Stack): ComprehendJobs {
  const jobs = stack.node.tryFindChild('comprehend-jobs');
  if (!(jobs instanceof ComprehendJobs)) throw new Error('no comprehend-jobs construct');
  return jobs;
}

describe('Comprehend asynchronous jobs in the stack (dev, from cdk.json)', () => {
  let stack: FeedbackPipelineStack;
  let template: Template;
  let jobs: ComprehendJobs;

  it('draws the job metrics and their alarms on the dashboard', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    expect(body).toContain('Comprehend jobs (big files)');
    for (const name of [COMPREHEND_JOBS.metrics.jobsFailed, COMPREHEND_JOBS.metrics.jobWaitMinutes])
      expect(body).toContain(`\\"${name}\\"`);
    for (const alarm of jobs.alarms) expect(body).toContain(logicalIdOf(alarm));
  });

  beforeAll(() => {
    const { stacks } = buildTestApp({ context: { env: 'dev' } });
    const [dev] = stacks;
    if (!dev) throw new Error('no dev stack');
    stack = dev;
    template = Template.fromStack(stack);
    jobs = jobsOf(stack);
  });

  it('trusts Comprehend with the data-access role, only for jobs of this account and region', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'comprehend.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', ['arn:aws:comprehend:eu-central-1:', { Ref: 'AWS::AccountId' }, ':*']],
                },
              },
            },
          },
        ],
      },
    });
  });

  it('lets the data-access role read only the input prefix and write only the output prefix', () => {
    // Assess
    expect(roleActions(template, jobs.role)).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    const statements = roleStatements(template, jobs.role);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:GetObject',
          Resource: objectsUnder(stack.bucket, COMPREHEND_JOBS.inputPrefix),
        }),
        expect.objectContaining({
          Action: 's3:PutObject',
          Resource: objectsUnder(stack.bucket, COMPREHEND_JOBS.outputPrefix),
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Resource: arnOf(stack.bucket),
          Condition: { StringLike: { 's3:prefix': [`${COMPREHEND_JOBS.inputPrefix}*`] } },
        }),
      ]),
    );
    expect(statements).toHaveLength(3);
  });

  it('lets the ingest role pass that role, to Comprehend only, and run sentiment and key-phrase jobs', () => {
    const statements = roleStatements(template, stack.ingest.role);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: arnOf(jobs.role),
        Condition: { StringEquals: { 'iam:PassedToService': 'comprehend.amazonaws.com' } },
      }),
    );
    const jobStatement = statements.find((s) => JSON.stringify(s.Action).includes('StartSentimentDetectionJob'));
    expect(jobStatement?.Action).toEqual([
      'comprehend:DescribeKeyPhrasesDetectionJob',
      'comprehend:DescribeSentimentDetectionJob',
      'comprehend:StartKeyPhrasesDetectionJob',
      'comprehend:StartSentimentDetectionJob',
      'comprehend:StopKeyPhrasesDetectionJob',
      'comprehend:StopSentimentDetectionJob',
    ]);
    expect(JSON.stringify(jobStatement?.Resource)).toMatch(
      /:key-phrases-detection-job\/\*.*:sentiment-detection-job\/\*/,
    );
    // No other statement of any role passes a role.
    const passing = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) =>
        JSON.stringify(s.Action).includes('iam:PassRole'),
      ),
    );
    expect(passing).toHaveLength(1);
  });

  it('tells the ingest function the role and the threshold settings', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'feedback-dev-ingest',
      Environment: {
        Variables: Match.objectLike({
          [ENV.comprehendJobRole]: arnOf(jobs.role),
          [ENV.asyncThreshold]: String(COMPREHEND_JOBS.defaultThreshold),
          [ENV.asyncPollSeconds]: '300',
          [ENV.asyncMaxWaitMinutes]: '1440',
        }),
      },
    });
  });

  it('expires the transient job files', () => {
    const rules = template.toJSON().Resources[logicalIdOf(stack.bucket)].Properties.LifecycleConfiguration.Rules;
    expect(rules).toContainEqual({
      Id: 'expire-comprehend-jobs',
      Prefix: COMPREHEND_JOBS.rootPrefix,
      Status: 'Enabled',
      ExpirationInDays: COMPREHEND_JOBS.expireAfterDays,
    });
  });

  it.each([
    ['jobs-failed', COMPREHEND_JOBS.metrics.jobsFailed, 'Sum', 1],
    ['jobs-stuck', COMPREHEND_JOBS.metrics.jobWaitMinutes, 'Maximum', 120],
  ])('alarms on %s from the ingest function’s metric', (name, metric, statistic, threshold) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `feedback-dev-comprehend-${name}`,
      Namespace: PIPELINE_METRICS.namespace,
      MetricName: metric,
      Dimensions: [{ Name: 'service', Value: SERVICE_NAMES.ingest }],
      Statistic: statistic,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalIdOf(stack.operations.topic) }],
    });
  });

  it('creates none of it when asyncJobs.enabled is false', () => {
    // Prepare
    const dev = environmentSettings('dev');
    dev.ingest = { ...(dev.ingest as object), asyncJobs: { enabled: false } };
    const { stacks } = buildTestApp({ context: { env: 'dev', environments: { dev } } });
    const [off] = stacks;
    if (!off) throw new Error('no stack');
    // Assess
    expect(off.node.tryFindChild('comprehend-jobs')).toBeUndefined();
    const variables = Object.values(Template.fromStack(off).findResources('AWS::Lambda::Function')).map(
      (f) => f.Properties.Environment?.Variables ?? {},
    );
    for (const v of variables) expect(v).not.toHaveProperty(ENV.comprehendJobRole);
  });
});

describe('ComprehendJobs on a KMS-encrypted bucket', () => {
  it('lets the data-access role use the bucket key to read input and write output', () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'kms-test', { env: { account: '123456789012', region: 'eu-west-1' } });
    const key = new Key(stack, 'key');
    const bucket = new Bucket(stack, 'bucket', { encryption: BucketEncryption.KMS, encryptionKey: key });
    const ingest = new FeedbackFunction(stack, 'fn', {
      entry: new URL('./fixtures/handler.ts', import.meta.url).pathname,
      functionName: 'test-fn',
      serviceName: 'test-service',
      metricsNamespace: 'TestNamespace',
    });
    // Act
    const jobs = new ComprehendJobs(stack, 'jobs', {
      bucket,
      ingest,
      serviceName: 'test-service',
      namePrefix: 'test',
      alarmTopic: new Topic(stack, 'topic'),
    });
    const template = Template.fromStack(stack);
    // Assess
    const actions = roleActions(template, jobs.role);
    expect(actions).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*']));
    const kms = roleStatements(template, jobs.role).filter((s) => JSON.stringify(s.Action).includes('kms:'));
    for (const s of kms) expect(s.Resource).toEqual(arnOf(key));
  });
});
