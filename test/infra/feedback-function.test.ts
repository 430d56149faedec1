import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackFunction } from '../../infra/constructs/feedback-function.js';
import { logicalIdOf } from '../../infra/nag.js';
import type { TextEncoding } from '../../shared/ingest/types.js';
import { roleActions, roleStatements } from './helpers/app.js';

describe('FeedbackFunction', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'feedback-function-'));
  let stack: Stack;
  let fn: FeedbackFunction;
  let template: Template;

  beforeAll(() => {
    // Prepare: one stack, bundled for real once (esbuild), with every bind helper used.
    const app = new App({ outdir });
    stack = new Stack(app, 'function-test', { env: { account: '123456789012', region: 'eu-west-1' } });
    const table = new Table(stack, 'table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const bucket = new Bucket(stack, 'bucket');
    const bus = new EventBus(stack, 'bus');
    const queue = new Queue(stack, 'queue');
    const secret = new Secret(stack, 'secret', { secretName: 'test/hash-key' });
    const configurationSet = new ConfigurationSet(stack, 'config-set', { configurationSetName: 'test-set' });
    fn = new FeedbackFunction(stack, 'fn', {
      entry: new URL('./fixtures/handler.ts', import.meta.url).pathname,
      functionName: 'test-fn',
      serviceName: 'test-service',
      metricsNamespace: 'TestNamespace',
      environment: { EXTRA: 'value' },
      bundledFiles: ['config/taxonomy.json'],
    })
      .bindTable(table, ['GetItem', 'Query', 'GetItem'])
      .bindBucket(bucket, { read: ['in/'], write: ['out'] })
      .bindEventBus(bus, 'test.source')
      .bindQueue(queue)
      .bindHashKeySecret(secret)
      .bindEmail({
        identityArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
        configurationSet,
        from: 'sender@example.com',
        recipients: ['a@example.com', 'b@example.com'],
      })
      .allowComprehend(['BatchDetectSentiment']);
    app.synth();
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('fixes runtime, architecture, tracing, JSON logging and defaults', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'test-fn',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 512,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: Match.anyValue(),
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/lambda/test-fn', RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });

  it('sets each bound resource in the environment variable the handlers read', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'test-service',
          POWERTOOLS_METRICS_NAMESPACE: 'TestNamespace',
          NODE_OPTIONS: '--enable-source-maps',
          EXTRA: 'value',
          TABLE_NAME: { Ref: logicalIdOf(stack.node.findChild('table')) },
          BUCKET_NAME: { Ref: logicalIdOf(stack.node.findChild('bucket')) },
          EVENT_BUS_NAME: { Ref: logicalIdOf(stack.node.findChild('bus')) },
          EVENT_SOURCE: 'test.source',
          QUEUE_URL: { Ref: logicalIdOf(stack.node.findChild('queue')) },
          HASH_KEY_PARAMETER: { Ref: logicalIdOf(stack.node.findChild('secret')) },
          SES_FROM: 'sender@example.com',
          SES_CONFIGURATION_SET: { Ref: logicalIdOf(stack.node.findChild('config-set')) },
          DIGEST_RECIPIENTS: 'a@example.com,b@example.com',
        },
      },
    });
  });

  it('grants exactly the actions of the bound resources, de-duplicated', () => {
    expect(roleActions(template, fn.role)).toEqual([
      'comprehend:BatchDetectSentiment',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'events:PutEvents',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:GetObjectVersion',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
      'ses:SendEmail',
      'sqs:SendMessage',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('normalises prefixes and scopes object access to them', () => {
    const bucketArn = { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild('bucket')), 'Arn'] };
    const statements = roleStatements(template, fn.role);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/in/*']] },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [bucketArn, '/out/*']] } }),
    );
  });

  it('reads the hash key from that one secret only', () => {
    expect(roleStatements(template, fn.role)).toContainEqual(
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: logicalIdOf(stack.node.findChild('secret')) },
      }),
    );
  });

  it('keeps the Comprehend wildcard in its own policy', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'comprehend:BatchDetectSentiment', Resource: '*' }],
      },
      Roles: [{ Ref: logicalIdOf(fn.role) }],
    });
  });

  it('bundles a minified ESM module with source map that loads and runs on this Node.js', async () => {
    // Prepare
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const key: unknown = functions[0]?.Properties.Code.S3Key;
    expect(typeof key).toBe('string');
    const assetDir = join(outdir, `asset.${String(key).replace(/\.zip$/, '')}`);
    const bundle = join(assetDir, 'index.mjs');

    // Act
    const source = readFileSync(bundle, 'utf8');
    const module: {
      handler: (event: { text: string }) => Promise<string>;
      decode: (bytes: Uint8Array, encoding: TextEncoding) => string;
    } = await import(pathToFileURL(bundle).href);

    // Assess
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // Files the handler reads at run time sit at the same relative path as in the project.
    expect(readFileSync(join(assetDir, 'config/taxonomy.json'), 'utf8')).toBe(
      readFileSync('config/taxonomy.json', 'utf8'),
    );
    expect(source.startsWith("import { createRequire as __feedbackCreateRequire } from 'node:module';")).toBe(true);
    // Minified: the only line breaks are inside string literals (iconv-lite's code-page tables), none between statements.
    expect(source.length / source.split('\n').length).toBeGreaterThan(10_000);
    expect(await module.handler({ text: 'hello' })).toMatch(/^[0-9a-f]{64}$/);
    // The code tables left out of the bundle are not ones the ingest's encodings need.
    const samples: [TextEncoding, string][] = [
      ['gb18030', 'c0fbbac3a3acb7fecef1b2eea1a3'],
      ['big5', 'abdca66ea141aa41b0c8a950a8eca143'],
      ['windows-1252', '436166e92080'],
      ['utf-16le', '7d59558a'],
    ];
    expect(samples.map(([enc, hex]) => module.decode(Buffer.from(hex, 'hex'), enc))).toEqual(
      samples.map(([enc, hex]) => iconv.decode(Buffer.from(hex, 'hex'), enc)),
    );
  });
});
