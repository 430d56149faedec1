import { posix } from 'node:path';
import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env-names.js';
import { ESBUILD_SETTINGS } from '../bundling.js';
import { acknowledge, arnResourceFinding } from '../nag.js';

/** DynamoDB actions a function may be granted; `bindTable` takes an explicit list (no `dynamodb:*`). */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'TransactWriteItems'
  | 'TransactGetItems'
  | 'ConditionCheckItem';

/** Comprehend real-time batch operations; they only support `Resource: *`. */
export type ComprehendAction = 'BatchDetectSentiment' | 'BatchDetectDominantLanguage' | 'BatchDetectKeyPhrases';

/** Object access by key prefix (`incoming/`, `reports/`, …). */
export interface BucketAccess {
  /** Prefixes the function may read (`s3:GetObject`). */
  readonly read?: readonly string[];
  /** Prefixes the function may write (`s3:PutObject`). */
  readonly write?: readonly string[];
}

export interface EmailBinding {
  /** ARN of the verified SES identity (address or domain) the sender belongs to. */
  readonly identityArn: string;
  readonly configurationSet: IConfigurationSet;
  readonly from: string;
  readonly recipients: readonly string[];
  /** Further identity ARNs SendEmail is authorised on (in the SES sandbox: the verified recipients). */
  readonly extraIdentityArns?: readonly string[];
}

export interface FeedbackFunctionProps {
  /** Path of the handler module (exports `handler`). */
  readonly entry: string;
  /** Physical function name; also the log group's name suffix. */
  readonly functionName: string;
  readonly description?: string;
  /** Powertools service name (logger `service` key and metrics `service` dimension). */
  readonly serviceName: string;
  /** Powertools metrics namespace. */
  readonly metricsNamespace: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** `/tmp` size. @default Size.mebibytes(512) */
  readonly ephemeralStorageSize?: Size;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default no reservation */
  readonly reservedConcurrentExecutions?: number;
  /** Plain settings (no grant attached); use the `bind…` methods for anything that needs permissions. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Project files the handler reads at run time, copied into the bundle at the same relative path. */
  readonly bundledFiles?: readonly string[];
}

/**
 * The house Lambda function: Node.js 24 on arm64, minified ESM bundle (also loadable on Node.js 20), source
 * maps, active tracing, JSON logs to its own log group with retention, and its own role. Each `bind…` method
 * sets the environment variable the handler reads and grants exactly the matching permissions.
 */
export class FeedbackFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: FeedbackFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // No AWSLambdaBasicExecutionRole: the role may write to this function's log group only.
    this.role = new iam.Role(this, 'role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'function', {
      entry: props.entry,
      handler: 'handler',
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      ephemeralStorageSize: props.ephemeralStorageSize ?? Size.mebibytes(512),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: FeedbackFunction.bundlingWith(props.bundledFiles ?? []),
    });

    acknowledge(
      this.role,
      'AwsSolutions-IAM5',
      'X-Ray PutTraceSegments and PutTelemetryRecords (added by active tracing) do not support resource-level permissions.',
      ['Resource::*'],
    );
  }

  /**
   * NodejsFunction bundling: minified, tree-shaken ESM with source maps and the AWS SDK v3 bundled (the versions
   * pinned in package-lock.json rather than whatever the runtime ships).
   */
  static readonly bundling: BundlingOptions = {
    format: OutputFormat.ESM,
    target: ESBUILD_SETTINGS.target,
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    bundleAwsSDK: true,
    externalModules: [...ESBUILD_SETTINGS.external],
    mainFields: [...ESBUILD_SETTINGS.mainFields],
    banner: ESBUILD_SETTINGS.banner,
  };

  /** The house bundling, plus `files` copied from the project into the bundle after esbuild. */
  static bundlingWith(files: readonly string[]): BundlingOptions {
    if (files.length === 0) return FeedbackFunction.bundling;
    return {
      ...FeedbackFunction.bundling,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir, outputDir) =>
          files.map(
            (f) =>
              `mkdir -p "${posix.join(outputDir, posix.dirname(f))}" && cp "${posix.join(inputDir, f)}" "${posix.join(outputDir, f)}"`,
          ),
      },
    };
  }

  /** Sets a plain setting (no permissions attached). */
  setEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /** `TABLE_NAME` + exactly the listed DynamoDB actions on the table (and its indexes when it has any). */
  bindTable(table: ITable, actions: readonly TableAction[]): this {
    this.function.addEnvironment(ENV.tableName, table.tableName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...new Set(actions)].map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
      }),
    );
    return this;
  }

  /**
   * `BUCKET_NAME` + `s3:GetObject` and `s3:GetObjectVersion` on the read prefixes (reads name the version an event
   * named) and `s3:PutObject` on the write prefixes.
   */
  bindBucket(bucket: IBucket, access: BucketAccess): this {
    this.function.addEnvironment(ENV.bucketName, bucket.bucketName);
    const grants: Array<[string[], readonly string[]]> = [
      [['s3:GetObject', 's3:GetObjectVersion'], access.read ?? []],
      [['s3:PutObject'], access.write ?? []],
    ];
    for (const [actions, prefixes] of grants) {
      if (prefixes.length === 0) continue;
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions,
          resources: prefixes.map((p) => bucket.arnForObjects(`${prefixForPolicy(p)}*`)),
        }),
      );
    }
    const prefixes = [...new Set([...(access.read ?? []), ...(access.write ?? [])])].map(prefixForPolicy);
    acknowledge(
      this.role,
      'AwsSolutions-IAM5',
      `Object access is limited to the key prefixes ${prefixes.join(', ')}; the object keys under a prefix are not known in advance.`,
      prefixes.map((p) => arnResourceFinding(bucket, `/${p}*`)),
    );
    return this;
  }

  /** `EVENT_BUS_NAME` + `EVENT_SOURCE` + `events:PutEvents` on the bus, limited to that source. */
  bindEventBus(bus: IEventBus, source: string): this {
    this.function.addEnvironment(ENV.eventBusName, bus.eventBusName);
    this.function.addEnvironment(ENV.eventSource, source);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': source } },
      }),
    );
    return this;
  }

  /** `QUEUE_URL` + `sqs:SendMessage` on the queue (the ingest function hands continuations to its own queue). */
  bindQueue(queue: IQueue): this {
    this.function.addEnvironment(ENV.queueUrl, queue.queueUrl);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    );
    if (queue.encryptionMasterKey) queue.encryptionMasterKey.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    return this;
  }

  /**
   * `HASH_KEY_PARAMETER` (the secret's ARN, passed as `SecretId`) + `secretsmanager:GetSecretValue` on that secret
   * only; the secret holds the HMAC key for customer identifiers.
   */
  bindHashKeySecret(secret: ISecret): this {
    this.function.addEnvironment(ENV.hashKeyParameter, secret.secretArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    if (secret.encryptionKey) secret.encryptionKey.grantDecrypt(this.role);
    return this;
  }

  /**
   * `SES_FROM`, `SES_CONFIGURATION_SET`, `DIGEST_RECIPIENTS` + `ses:SendEmail` on the sender identity and the
   * configuration set only, and only with that From address.
   */
  bindEmail(email: EmailBinding): this {
    this.function.addEnvironment(ENV.sesFrom, email.from);
    this.function.addEnvironment(ENV.sesConfigurationSet, email.configurationSet.configurationSetName);
    this.function.addEnvironment(ENV.digestRecipients, email.recipients.join(','));
    const configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: email.configurationSet.configurationSetName,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [email.identityArn, configurationSetArn, ...(email.extraIdentityArns ?? [])],
        conditions: { StringEquals: { 'ses:FromAddress': email.from } },
      }),
    );
    return this;
  }

  /** Comprehend batch operations. They only accept `Resource: *`, so they get their own, suppressed policy. */
  allowComprehend(actions: readonly ComprehendAction[]): this {
    const policy = new iam.Policy(this, 'comprehend', {
      statements: [
        new iam.PolicyStatement({ actions: [...new Set(actions)].map((a) => `comprehend:${a}`), resources: ['*'] }),
      ],
    });
    policy.attachToRole(this.role);
    acknowledge(
      policy,
      'AwsSolutions-IAM5',
      'Comprehend real-time detection APIs (BatchDetectSentiment, BatchDetectDominantLanguage, BatchDetectKeyPhrases) act on no resource and require Resource "*".',
      ['Resource::*'],
    );
    return this;
  }
}

function prefixForPolicy(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}
