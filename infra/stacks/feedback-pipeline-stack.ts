import { CfnOutput, Duration, RemovalPolicy, Size, Stack, type StackProps, Tags, TimeZone } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  EVENTS,
  INGEST_EVENT_TYPES,
  INGEST_QUEUE,
  PIPELINE_METRICS,
  PREFIXES,
  SERVICE_NAMES,
  TABLE_SCHEMA,
} from '../../shared/config/resources.js';
import { type EnvironmentConfig, INGEST_SETTINGS } from '../config.js';
import { ComprehendJobs } from '../constructs/comprehend-jobs.js';
import { FeedbackFunction } from '../constructs/feedback-function.js';
import { HeldFilesSchedule } from '../constructs/held-files-schedule.js';
import { PipelineOperations } from '../constructs/operations.js';
import { digestSettings, ingestSettings } from '../function-settings.js';
import { acknowledge, arnResourceFinding } from '../nag.js';
import { FUNCTION_ENTRIES } from '../paths.js';

export interface FeedbackPipelineStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** Digest periods and the schedule input each one sends to the digest function. */
export const DIGEST_PERIODS = ['daily', 'weekly'] as const;

/** What every part of the stack is built from. */
interface StackEnvironment {
  config: EnvironmentConfig;
  /** `feedback-<environment>`: the prefix of resource names. */
  prefix: string;
  removalPolicy: RemovalPolicy;
}

/**
 * The whole pipeline for one environment: ingest bucket → SQS (+DLQ) → ingest function → DynamoDB table and
 * EventBridge bus; EventBridge Scheduler → digest function → SES; alarms and a dashboard.
 */
export class FeedbackPipelineStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly ingestQueue: sqs.Queue;
  readonly ingest: FeedbackFunction;
  readonly digest: FeedbackFunction;
  readonly operations: PipelineOperations;

  constructor(scope: Construct, id: string, props: FeedbackPipelineStackProps) {
    super(scope, id, { terminationProtection: props.config.terminationProtection, ...props });
    const { config } = props;
    const env: StackEnvironment = {
      config,
      prefix: `feedback-${config.name}`,
      removalPolicy: config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    };
    Tags.of(this).add('project', 'feedback-pipeline');
    Tags.of(this).add('environment', config.name);

    this.bucket = this.ingestBucket(env);
    this.table = this.feedbackTable(env);
    const hashKeySecret = this.hashKeySecret(env);
    this.bus = this.eventBus(env);
    const detractor = this.detractorSubscriber(env);
    const ingestDlq = this.queue('ingest-dlq', { retentionPeriod: Duration.days(INGEST_QUEUE.dlqRetentionDays) });
    this.ingestQueue = this.ingestQueueFor(ingestDlq);
    this.ingest = this.ingestFunction(env, hashKeySecret.secret);
    this.digest = this.digestFunction(env);
    const digestFailureDlq = this.digestFailureDestination();
    const scheduleDlq = this.digestSchedules(env);
    new HeldFilesSchedule(this, 'held-files', {
      namePrefix: env.prefix,
      ingestQueue: this.ingestQueue,
      deadLetterQueue: scheduleDlq,
    });
    this.operations = new PipelineOperations(this, 'operations', {
      namePrefix: env.prefix,
      alarmEmail: config.alarms.email,
      ingest: { label: 'ingest', function: this.ingest.function, serviceName: SERVICE_NAMES.ingest },
      digest: { label: 'digest', function: this.digest.function, serviceName: SERVICE_NAMES.digest },
      ingestQueue: this.ingestQueue,
      comprehendBudget: { monthlyUsd: config.cost.monthlyBudgetUsd, alarmAtShare: config.cost.alarmAtShare },
      deadLetterQueues: {
        'ingest-dlq': ingestDlq,
        'digest-schedule-dlq': scheduleDlq,
        'digest-failure-dlq': digestFailureDlq,
        'detractor-subscriber-dlq': detractor.dlq,
      },
    });
    if (config.ingest.asyncJobs.enabled) {
      const jobs = new ComprehendJobs(this, 'comprehend-jobs', {
        bucket: this.bucket,
        ingest: this.ingest,
        serviceName: SERVICE_NAMES.ingest,
        namePrefix: env.prefix,
        alarmTopic: this.operations.topic,
        stuckAfter: Duration.minutes(config.ingest.asyncJobs.alarmAfterMinutes),
      });
      this.operations.addSection('Comprehend jobs (big files)', jobs.alarms);
    }
    this.suppressBucketNotificationsHandler();
    const outputs: Record<string, string> = {
      BucketName: this.bucket.bucketName,
      TableName: this.table.tableName,
      EventBusName: this.bus.eventBusName,
      IngestQueueUrl: this.ingestQueue.queueUrl,
      IngestDeadLetterQueueUrl: ingestDlq.queueUrl,
      DigestFailureQueueUrl: digestFailureDlq.queueUrl,
      DetractorQueueUrl: detractor.queue.queueUrl,
      IngestFunctionName: this.ingest.function.functionName,
      DigestFunctionName: this.digest.function.functionName,
      AlarmTopicArn: this.operations.topic.topicArn,
      DashboardName: env.prefix,
      HashKeySecretName: hashKeySecret.name,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }

  /** The ingest bucket (versioned, TLS-only, access-logged into a bucket of its own). */
  private ingestBucket({ config, removalPolicy }: StackEnvironment): s3.Bucket {
    const retention = config.retention;
    const accessLogs = new s3.Bucket(this, 'access-logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(retention.accessLogDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      removalPolicy,
    });

    return new s3.Bucket(this, 'ingest-bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'ingest-bucket/',
      lifecycleRules: this.lifecycleRules(config),
      removalPolicy,
    });
  }

  /** The one table: aggregate cells, ledgers, outbox, caches (docs/data-model.md). */
  private feedbackTable({ removalPolicy }: StackEnvironment): dynamodb.Table {
    return new dynamodb.Table(this, 'table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
  }

  /** The HMAC key that pseudonymises customer ids. */
  private hashKeySecret({ prefix, removalPolicy }: StackEnvironment): { secret: secretsmanager.Secret; name: string } {
    const name = `${prefix}/customer-id-hash-key`;
    const secret = new secretsmanager.Secret(this, 'customer-id-hash-key', {
      secretName: name,
      description: 'HMAC key that pseudonymises customer identifiers in feedback records.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy,
    });
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'The HMAC key must stay stable: rotating it would change every customer hash and break deduplication and per-customer history.',
    );
    return { secret, name };
  }

  /** The custom bus with its replay archive. */
  private eventBus({ prefix, config }: StackEnvironment): events.EventBus {
    const bus = new events.EventBus(this, 'event-bus', {
      eventBusName: prefix,
      description: 'Feedback pipeline events (versioned contract, see schemas/).',
    });
    bus.archive('event-archive', {
      description: 'Replay archive of the pipeline events.',
      eventPattern: { source: [config.eventSource] },
      retention: Duration.days(config.retention.eventArchiveDays),
    });
    return bus;
  }

  /** An example subscriber: detractor events into a queue, with its dead-letter queue. */
  private detractorSubscriber({ config }: StackEnvironment): { queue: sqs.Queue; dlq: sqs.Queue } {
    const dlq = this.queue('detractor-subscriber-dlq', {
      retentionPeriod: Duration.days(INGEST_QUEUE.dlqRetentionDays),
    });
    const queue = this.queue('detractor-subscriber-queue', {
      deadLetterQueue: { queue: dlq, maxReceiveCount: INGEST_QUEUE.maxReceiveCount },
    });
    new events.Rule(this, 'detractor-rule', {
      eventBus: this.bus,
      description: `Example subscriber: ${EVENTS.detailTypes.detractor} events into an SQS queue.`,
      eventPattern: { source: [config.eventSource], detailType: [EVENTS.detailTypes.detractor] },
      targets: [
        new eventTargets.SqsQueue(queue, {
          deadLetterQueue: dlq,
          retryAttempts: 20,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
    return { queue, dlq };
  }

  /** The ingest queue, fed by the bucket's notifications under incoming/. */
  private ingestQueueFor(ingestDlq: sqs.Queue): sqs.Queue {
    const queue = this.queue('ingest-queue', {
      visibilityTimeout: Duration.seconds(INGEST_SETTINGS.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: ingestDlq, maxReceiveCount: INGEST_QUEUE.maxReceiveCount },
    });
    for (const type of INGEST_EVENT_TYPES) {
      const eventType = Object.values(s3.EventType).find((t) => t === type);
      if (!eventType) throw new Error(`INGEST_EVENT_TYPES: "${type}" is not an S3 event type`);
      this.bucket.addEventNotification(eventType, new s3n.SqsDestination(queue), {
        prefix: PREFIXES.incoming,
      });
    }
    return queue;
  }

  /** The ingest function: its grants, and the queue as its event source. */
  private ingestFunction(
    { config, prefix, removalPolicy }: StackEnvironment,
    hashKeySecret: secretsmanager.Secret,
  ): FeedbackFunction {
    const ingest = new FeedbackFunction(this, 'ingest', {
      entry: FUNCTION_ENTRIES.ingest,
      functionName: `${prefix}-ingest`,
      description: 'Decodes, cleans, redacts, deduplicates and scores feedback exports dropped under incoming/.',
      serviceName: SERVICE_NAMES.ingest,
      metricsNamespace: PIPELINE_METRICS.namespace,
      timeout: Duration.seconds(INGEST_SETTINGS.timeoutSeconds),
      memorySize: config.ingest.memoryMiB,
      ephemeralStorageSize: Size.mebibytes(config.ingest.ephemeralStorageMiB),
      reservedConcurrentExecutions: config.ingest.reservedConcurrency,
      logRetention: config.retention.logDays,
      logRemovalPolicy: removalPolicy,
      environment: ingestSettings(config),
      bundledFiles: [config.ingest.taxonomyFile],
    })
      .bindBucket(this.bucket, { read: [PREFIXES.incoming], write: [PREFIXES.reports, PREFIXES.processed] })
      .bindTable(this.table, [
        'GetItem',
        'BatchGetItem',
        'Query',
        'PutItem',
        'UpdateItem',
        'DeleteItem',
        'BatchWriteItem',
        'TransactWriteItems',
        'ConditionCheckItem',
      ])
      .bindQueue(this.ingestQueue)
      .bindEventBus(this.bus, config.eventSource)
      .bindHashKeySecret(hashKeySecret)
      .allowComprehend(['BatchDetectSentiment', 'BatchDetectDominantLanguage', 'BatchDetectKeyPhrases']);
    ingest.function.addEventSource(
      new SqsEventSource(this.ingestQueue, {
        batchSize: INGEST_QUEUE.batchSize,
        maxBatchingWindow: Duration.seconds(INGEST_QUEUE.maxBatchingWindowSeconds),
        reportBatchItemFailures: true,
        // Never poll faster than the reservation allows: SQS messages would be throttled back to the queue.
        maxConcurrency: config.ingest.reservedConcurrency,
      }),
    );
    return ingest;
  }

  /** The digest function, SES configuration set and (optionally) identity, and its grants. */
  private digestFunction({ config, prefix, removalPolicy }: StackEnvironment): FeedbackFunction {
    const configurationSet = new ses.ConfigurationSet(this, 'email-configuration-set', {
      configurationSetName: `${prefix}-digest`,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const identityName = config.ses.identity ?? config.ses.from;
    if (config.ses.createIdentity) {
      new ses.EmailIdentity(this, 'email-identity', {
        identity: identityName.includes('@') ? ses.Identity.email(identityName) : ses.Identity.domain(identityName),
        configurationSet,
      });
    }
    const identityArn = (name: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: name });

    return new FeedbackFunction(this, 'digest', {
      entry: FUNCTION_ENTRIES.digest,
      functionName: `${prefix}-digest`,
      description: 'Builds the KPI digest for a period, emails it with SES and archives it under digests/.',
      serviceName: SERVICE_NAMES.digest,
      metricsNamespace: PIPELINE_METRICS.namespace,
      timeout: Duration.seconds(config.digest.timeoutSeconds),
      memorySize: config.digest.memoryMiB,
      logRetention: config.retention.logDays,
      logRemovalPolicy: removalPolicy,
      environment: digestSettings(config),
      bundledFiles: [config.ingest.taxonomyFile],
    })
      .bindBucket(this.bucket, { write: [PREFIXES.digests] })
      .bindTable(this.table, ['Query', 'GetItem', 'PutItem', 'UpdateItem'])
      .bindEventBus(this.bus, config.eventSource)
      .bindEmail({
        identityArn: identityArn(identityName),
        configurationSet,
        from: config.ses.from,
        recipients: config.digest.recipients,
        extraIdentityArns: config.ses.sandbox ? config.digest.recipients.map(identityArn) : [],
      });
  }

  /**
   * Scheduler invokes the digest asynchronously, so its DLQ below only sees deliveries that failed. A digest that
   * fails is retried by Lambda, then its event and error land in this queue (and its depth alarm fires). One retry:
   * a transient error gets a second chance, while a failure after some recipients were mailed (SES sends batches of
   * 50, then PutEvents) re-sends their e-mail at most once.
   */
  private digestFailureDestination(): sqs.Queue {
    const digestFailureDlq = this.queue('digest-failure-dlq', {
      retentionPeriod: Duration.days(INGEST_QUEUE.dlqRetentionDays),
    });
    acknowledge(
      digestFailureDlq,
      'AwsSolutions-SQS3',
      'This queue is the on-failure destination of the digest function (asynchronous invocations); a queue that is itself a dead-letter queue has none.',
    );
    this.digest.function.configureAsyncInvoke({
      onFailure: new lambdaDestinations.SqsDestination(digestFailureDlq),
      retryAttempts: 1,
      maxEventAge: Duration.hours(6),
    });
    return digestFailureDlq;
  }

  /** The daily and weekly schedules that invoke the digest, with their role and dead-letter queue. */
  private digestSchedules({ config, prefix }: StackEnvironment): sqs.Queue {
    const scheduleDlq = this.queue('digest-schedule-dlq', {
      retentionPeriod: Duration.days(INGEST_QUEUE.dlqRetentionDays),
    });
    acknowledge(
      scheduleDlq,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of the digest schedules (EventBridge Scheduler DeadLetterConfig).',
    );
    const schedulerRole = new iam.Role(this, 'digest-scheduler-role', {
      description: 'Assumed by EventBridge Scheduler to invoke the digest function.',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    for (const period of DIGEST_PERIODS) {
      const schedule = config.digest.schedules[period];
      new scheduler.Schedule(this, `digest-${period}`, {
        scheduleName: `${prefix}-digest-${period}`,
        description: `${period} KPI digest`,
        schedule: scheduler.ScheduleExpression.expression(schedule.cron, TimeZone.of(schedule.timeZone)),
        enabled: schedule.enabled,
        target: new schedulerTargets.LambdaInvoke(this.digest.function, {
          // The digest function reads its default segments from DIGEST_SEGMENTS; a schedule may name its own.
          input: scheduler.ScheduleTargetInput.fromObject(
            schedule.segments ? { period, segments: schedule.segments } : { period },
          ),
          role: schedulerRole,
          deadLetterQueue: scheduleDlq,
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
        }),
      });
    }
    acknowledge(
      schedulerRole,
      'AwsSolutions-IAM5',
      'lambda:InvokeFunction on the digest function and its versions and aliases (grantInvoke adds ":*").',
      [arnResourceFinding(this.digest.function, ':*')],
    );
    return scheduleDlq;
  }

  /** Encrypted, TLS-only queue; the same defaults for every queue in the stack. */
  private queue(id: string, props: sqs.QueueProps): sqs.Queue {
    return new sqs.Queue(this, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, ...props });
  }

  /**
   * Retention of the ingest bucket, per environment (`retention` in cdk.json): raw exports (personal data) and file
   * reports always expire; processed records and digests when configured. The bucket is versioned, so an expired
   * object becomes a noncurrent version that `housekeeping` removes `noncurrentVersionsDays` later.
   */
  private lifecycleRules(config: EnvironmentConfig): s3.LifecycleRule[] {
    const r = config.retention;
    const expire = (id: string, prefix: string, days: number | undefined): s3.LifecycleRule[] =>
      days === undefined ? [] : [{ id, prefix, expiration: Duration.days(days) }];
    return [
      {
        id: 'housekeeping',
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        noncurrentVersionExpiration: Duration.days(r.noncurrentVersionsDays),
        expiredObjectDeleteMarker: true,
      },
      {
        id: 'archive-incoming',
        prefix: PREFIXES.incoming,
        transitions: [
          {
            storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
            transitionAfter: Duration.days(r.archiveIncomingAfterDays),
          },
        ],
        expiration: Duration.days(r.expireIncomingAfterDays),
      },
      { id: 'expire-reports', prefix: PREFIXES.reports, expiration: Duration.days(r.expireReportsAfterDays) },
      ...expire('expire-processed', PREFIXES.processed, r.expireProcessedAfterDays),
      ...expire('expire-digests', PREFIXES.digests, r.expireDigestsAfterDays),
    ];
  }

  /** The singleton function CDK adds to configure bucket notifications (a CloudFormation custom resource). */
  private suppressBucketNotificationsHandler(): void {
    for (const child of this.node.children) {
      if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
      acknowledge(
        child,
        'AwsSolutions-IAM4',
        'CDK-managed custom resource that writes the bucket notification configuration during deployment; aws-cdk-lib gives its role AWSLambdaBasicExecutionRole for its logs.',
        ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      );
    }
  }
}
