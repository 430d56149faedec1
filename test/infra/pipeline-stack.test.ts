import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf } from '../../infra/nag.js';
import type { FeedbackPipelineStack } from '../../infra/stacks/feedback-pipeline-stack.js';
import { COMPREHEND_JOBS } from '../../shared/config/comprehend-jobs.js';
import { loadDigestConfig, loadIngestConfig } from '../../shared/config/env.js';
import { ENV } from '../../shared/config/env-names.js';
import { EVENTS, INGEST_QUEUE, PREFIXES, TABLE_SCHEMA } from '../../shared/config/resources.js';
import { buildTestApp, roleActions, roleStatements } from './helpers/app.js';

/** Matches `{ "Fn::GetAtt": [<logical id of construct>, "Arn"] }`. */
const arnOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({ 'Fn::GetAtt': [logicalIdOf(construct), 'Arn'] });
/** Matches `<bucket ARN>/<prefix>*` as CDK renders it. */
const objectsUnder = (stack: FeedbackPipelineStack, prefix: string) => ({
  'Fn::Join': ['', [arnOf(stack.bucket), `/${prefix}*`]],
});

describe('FeedbackPipelineStack (dev, from cdk.json)', () => {
  let stack: FeedbackPipelineStack;
  let template: Template;

  beforeAll(() => {
    // Prepare: one app, one synthesis for the whole file.
    const { stacks } = buildTestApp({ context: { env: 'dev' } });
    const [dev] = stacks;
    if (!dev) throw new Error('no dev stack');
    stack = dev;
    template = Template.fromStack(stack);
  });

  describe('ingest bucket', () => {
    it('is encrypted, versioned, blocks public access and logs access to the log bucket', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'ingest-bucket/' },
      });
    });

    it('denies requests without TLS and below TLS 1.2', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalIdOf(stack.bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        },
      });
    });

    it('archives raw exports under incoming/ and expires the other prefixes as configured', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Id: 'housekeeping',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
              NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            }),
            Match.objectLike({
              Id: 'archive-incoming',
              Prefix: PREFIXES.incoming,
              Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
              ExpirationInDays: 90,
            }),
            Match.objectLike({ Id: 'expire-reports', Prefix: PREFIXES.reports, ExpirationInDays: 90 }),
            Match.objectLike({ Id: 'expire-processed', Prefix: PREFIXES.processed, ExpirationInDays: 90 }),
            Match.objectLike({ Id: 'expire-digests', Prefix: PREFIXES.digests, ExpirationInDays: 90 }),
          ]),
        },
      });
    });

    it('expires raw exports and file reports in prod after the retention its cdk.json entry sets', () => {
      // Prepare
      const { stacks } = buildTestApp({ context: { env: 'prod' } });
      const [prod] = stacks;
      if (!prod) throw new Error('no prod stack');
      const prodTemplate = Template.fromStack(prod);

      // Assess
      const rules = prodTemplate.toJSON().Resources[logicalIdOf(prod.bucket)].Properties.LifecycleConfiguration.Rules;
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Id: 'housekeeping', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
          expect.objectContaining({
            Id: 'archive-incoming',
            Prefix: PREFIXES.incoming,
            Status: 'Enabled',
            Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
            ExpirationInDays: 180,
          }),
          expect.objectContaining({
            Id: 'expire-reports',
            Prefix: PREFIXES.reports,
            Status: 'Enabled',
            ExpirationInDays: 365,
          }),
        ]),
      );
      // prod keeps processed records and digests (no expire-… rule for them)
      expect(rules.map((r: { Id: string }) => r.Id)).toEqual([
        'housekeeping',
        'archive-incoming',
        'expire-reports',
        'expire-comprehend-jobs',
      ]);
    });

    it('notifies the ingest queue of objects created under incoming/ only', () => {
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: logicalIdOf(stack.bucket) },
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: PREFIXES.incoming }] } },
              QueueArn: arnOf(stack.ingestQueue),
            },
          ],
        },
      });
    });
  });

  describe('ingest queue and function', () => {
    it('moves a message to an encrypted dead-letter queue after maxReceiveCount receives', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: INGEST_QUEUE.maxReceiveCount },
        VisibilityTimeout:
          INGEST_QUEUE.visibilityTimeoutFactor * INGEST_QUEUE.functionTimeoutSeconds +
          INGEST_QUEUE.maxBatchingWindowSeconds,
        SqsManagedSseEnabled: true,
      });
    });

    it('encrypts every queue and denies non-TLS access to each', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
      expect(policies).toHaveLength(Object.keys(queues).length);
      for (const policy of policies) {
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('polls the queue with partial batch failures and the shared batch settings', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(stack.ingestQueue),
        FunctionName: { Ref: logicalIdOf(stack.ingest.function) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: INGEST_QUEUE.batchSize,
        MaximumBatchingWindowInSeconds: INGEST_QUEUE.maxBatchingWindowSeconds,
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('runs on Node.js 24, arm64, with tracing, JSON logs and reserved concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'feedback-dev-ingest',
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: INGEST_QUEUE.functionTimeoutSeconds,
        MemorySize: 1536,
        EphemeralStorage: { Size: 2048 },
        ReservedConcurrentExecutions: 2,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(stack.ingest.logGroup) } }),
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/lambda/feedback-dev-ingest',
        RetentionInDays: 14,
      });
    });

    it('gets the settings it reads from the environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'feedback-dev-ingest',
        Environment: {
          Variables: {
            [ENV.bucketName]: { Ref: logicalIdOf(stack.bucket) },
            [ENV.tableName]: { Ref: logicalIdOf(stack.table) },
            [ENV.queueUrl]: { Ref: logicalIdOf(stack.ingestQueue) },
            [ENV.eventBusName]: { Ref: logicalIdOf(stack.bus) },
            [ENV.eventSource]: EVENTS.defaultSource,
            [ENV.businessTimeZone]: 'Europe/Berlin',
            [ENV.hashKeyParameter]: { Ref: logicalIdOf(stack.node.findChild('customer-id-hash-key')) },
            [ENV.themesEnabled]: 'true',
            [ENV.taxonomyFile]: 'config/taxonomy.json',
            [ENV.spikeRatio]: '1.5',
            [ENV.spikeMinVolume]: '10',
            [ENV.ledgerTtlDays]: '400',
            [ENV.cacheTtlDays]: '90',
            [ENV.comprehendConcurrency]: '2',
            POWERTOOLS_SERVICE_NAME: 'feedback-ingest',
            POWERTOOLS_METRICS_NAMESPACE: 'FeedbackPipeline',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });
  });

  describe('table', () => {
    it('has the shared key schema, on-demand billing, PITR, TTL and encryption', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });
  });

  describe('IAM, one role per function', () => {
    it('gives the ingest role exactly the actions it uses', () => {
      expect(roleActions(template, stack.ingest.role)).toEqual([
        'comprehend:BatchDetectDominantLanguage',
        'comprehend:BatchDetectKeyPhrases',
        'comprehend:BatchDetectSentiment',
        'comprehend:DescribeKeyPhrasesDetectionJob',
        'comprehend:DescribeSentimentDetectionJob',
        'comprehend:StartKeyPhrasesDetectionJob',
        'comprehend:StartSentimentDetectionJob',
        'comprehend:StopKeyPhrasesDetectionJob',
        'comprehend:StopSentimentDetectionJob',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:TransactWriteItems',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'iam:PassRole',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        'secretsmanager:GetSecretValue',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('scopes the ingest role to incoming/ for reads and reports/, processed/ for writes (and its job files)', () => {
      const statements = roleStatements(template, stack.ingest.role);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: [
            objectsUnder(stack, COMPREHEND_JOBS.keysPrefix),
            objectsUnder(stack, COMPREHEND_JOBS.outputPrefix),
            objectsUnder(stack, PREFIXES.incoming),
          ],
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 's3:PutObject',
          Resource: [
            objectsUnder(stack, COMPREHEND_JOBS.inputPrefix),
            objectsUnder(stack, COMPREHEND_JOBS.keysPrefix),
            objectsUnder(stack, PREFIXES.processed),
            objectsUnder(stack, PREFIXES.reports),
          ],
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'secretsmanager:GetSecretValue',
          Resource: { Ref: logicalIdOf(stack.node.findChild('customer-id-hash-key')) },
        }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: 'events:PutEvents',
          Resource: arnOf(stack.bus),
          Condition: { StringEquals: { 'events:source': EVENTS.defaultSource } },
        }),
      );
    });

    it('gives the digest role exactly the actions it uses', () => {
      expect(roleActions(template, stack.digest.role)).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutObject',
        'ses:SendEmail',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      expect(roleStatements(template, stack.digest.role)).toContainEqual(
        expect.objectContaining({ Action: 's3:PutObject', Resource: objectsUnder(stack, PREFIXES.digests) }),
      );
      // SQS only to its on-failure destination
      const sqsStatements = roleStatements(template, stack.digest.role).filter((st) =>
        [st.Action].flat().some((a) => String(a).startsWith('sqs:')),
      );
      expect(sqsStatements.map((st) => st.Resource)).toEqual([arnOf(stack.node.findChild('digest-failure-dlq'))]);
    });

    it('limits SES sending to the sender identity, the configuration set and the From address', () => {
      const send = roleStatements(template, stack.digest.role).find((s) => s.Action === 'ses:SendEmail');
      expect(send?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'feedback-digest@example.com' } });
      const resources = JSON.stringify(send?.Resource);
      expect(resources).toContain(':identity/feedback-digest@example.com');
      expect(resources).toContain(':configuration-set/');
      // dev runs in the SES sandbox: the verified recipient is an authorised identity too.
      expect(resources).toContain(':identity/cx-team@example.com');
      expect(resources).not.toMatch(/"\*"|identity\/\*/);
    });

    it('grants no wildcard action anywhere and Resource "*" only to X-Ray and Comprehend', () => {
      for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          const actions: string[] = [statement.Action].flat();
          for (const action of actions) expect(action, id).not.toContain('*');
          if (statement.Resource === '*') {
            expect(
              actions.every((a) => a.startsWith('xray:') || a.startsWith('comprehend:')),
              id,
            ).toBe(true);
          }
        }
      }
    });

    it('does not attach managed policies to the function roles', () => {
      for (const role of [stack.ingest.role, stack.digest.role]) {
        const resource = template.findResources('AWS::IAM::Role')[logicalIdOf(role)];
        expect(resource?.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('events', () => {
    it('creates a custom bus with a replay archive of the pipeline events', () => {
      template.hasResourceProperties('AWS::Events::EventBus', { Name: 'feedback-dev' });
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: arnOf(stack.bus),
        EventPattern: { source: [EVENTS.defaultSource] },
        RetentionDays: 7,
      });
    });

    it('routes detractor events to the example subscriber queue with a DLQ for failed deliveries', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: logicalIdOf(stack.bus) },
        EventPattern: { source: [EVENTS.defaultSource], 'detail-type': [EVENTS.detailTypes.detractor] },
        Targets: [
          Match.objectLike({
            DeadLetterConfig: { Arn: Match.anyValue() },
            RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 20 },
          }),
        ],
      });
    });
  });

  describe('digest', () => {
    it.each([
      ['daily', 'cron(0 8 ? * MON-FRI *)'],
      ['weekly', 'cron(0 8 ? * MON *)'],
    ])('schedules the %s digest with cron in the configured time zone and a DLQ', (period, cron) => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: `feedback-dev-digest-${period}`,
        ScheduleExpression: cron,
        ScheduleExpressionTimezone: 'Europe/Berlin',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: arnOf(stack.digest.function),
          Input: JSON.stringify({ period }),
          RoleArn: Match.anyValue(),
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
        },
      });
    });

    it('runs on Node.js 24 arm64 and gets the email settings', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'feedback-dev-digest',
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Environment: {
          Variables: Match.objectLike({
            [ENV.sesFrom]: 'feedback-digest@example.com',
            [ENV.sesConfigurationSet]: Match.anyValue(),
            [ENV.digestRecipients]: 'cx-team@example.com',
            [ENV.businessTimeZone]: 'Europe/Berlin',
            DIGEST_SEGMENTS: 'channel,source,product,region,language',
          }),
        },
      });
    });

    it('sends failed asynchronous invocations to an encrypted, TLS-only queue after one retry', () => {
      const queue = stack.node.findChild('digest-failure-dlq');
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(stack.digest.function) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: arnOf(queue) } },
      });
      expect(template.toJSON().Resources[logicalIdOf(queue)].Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: INGEST_QUEUE.dlqRetentionDays * 86_400,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('sends through a configuration set that requires TLS', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        Name: 'feedback-dev-digest',
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      });
    });
  });

  describe('secret', () => {
    it('generates the customer-id HMAC key in Secrets Manager', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'feedback-dev/customer-id-hash-key',
        GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      });
    });
  });

  describe('operations', () => {
    it.each([
      'ingest-dlq',
      'digest-schedule-dlq',
      'digest-failure-dlq',
      'detractor-subscriber-dlq',
    ])('alarms on messages in the %s', (label) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `feedback-dev-${label}-depth`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild(label)), 'QueueName'] } },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: logicalIdOf(stack.operations.topic) }],
      });
    });

    it.each([
      ['ingest', 'Errors'],
      ['ingest', 'Throttles'],
      ['digest', 'Errors'],
      ['digest', 'Throttles'],
    ])('alarms on %s function %s', (fn, metric) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `feedback-dev-${fn}-${metric.toLowerCase()}`,
        MetricName: metric,
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [{ Ref: logicalIdOf(stack.operations.topic) }],
      });
    });

    it('sends alarms to an encrypted topic with the configured email subscription', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall-dev@example.com',
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('draws files, rows, Comprehend units, duration and DLQ depth on the dashboard', () => {
      const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
      for (const metric of [
        'FilesProcessed',
        'FilesRejected',
        'RowsAccepted',
        'RowsRejected',
        'RowsDuplicate',
        'ComprehendCalls',
        'ComprehendUnits',
        'Duration',
        'ApproximateNumberOfMessagesVisible',
      ]) {
        expect(body).toContain(`\\"${metric}\\"`);
      }
      expect(body).toContain('\\"FeedbackPipeline\\"');
      expect(body).toContain('\\"service\\",\\"feedback-ingest\\"');
    });
  });

  describe('contract with the handlers', () => {
    /** The function's environment with CloudFormation references replaced by plausible deployed values. */
    function deployedEnvironment(functionName: string): NodeJS.ProcessEnv {
      const fn = Object.values(template.findResources('AWS::Lambda::Function')).find(
        (r) => r.Properties.FunctionName === functionName,
      );
      const variables: Record<string, unknown> = fn?.Properties.Environment.Variables ?? {};
      const deployed: Record<string, string> = {
        [ENV.queueUrl]: 'https://sqs.eu-central-1.amazonaws.com/123456789012/feedback-dev-ingest-queue',
        [ENV.hashKeyParameter]: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:feedback-dev/key-AbCdEf',
        [ENV.comprehendJobRole]: 'arn:aws:iam::123456789012:role/feedback-dev-comprehend-jobs-role',
      };
      return Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [
          name,
          typeof value === 'string' ? value : (deployed[name] ?? `deployed-${name.toLowerCase()}`),
        ]),
      );
    }

    it('sets every variable the ingest handler requires, with values it accepts', () => {
      const config = loadIngestConfig(deployedEnvironment('feedback-dev-ingest'));
      expect(config.timeZone).toBe('Europe/Berlin');
      expect(config.comprehendConcurrency).toBe(2);
      expect(config.hashKeyParameter).toMatch(/^arn:aws:secretsmanager:/);
      expect(config.asyncJobs).toMatchObject({ threshold: 100_000, pollSeconds: 300 });
    });

    it('sets every variable the digest handler requires, with values it accepts', () => {
      const config = loadDigestConfig(deployedEnvironment('feedback-dev-digest'));
      expect(config.recipients).toEqual(['cx-team@example.com']);
      expect(config.segments).toEqual(['channel', 'source', 'product', 'region', 'language']);
      expect(config.spike).toEqual({ ratio: 1.5, minVolume: 10 });
    });
  });
});
