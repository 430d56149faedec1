import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { COMPREHEND_JOBS } from '../../shared/config/comprehend-jobs.js';
import { ENV } from '../../shared/config/env-names.js';
import { PIPELINE_METRICS } from '../../shared/config/resources.js';
import { acknowledge, arnResourceFinding } from '../nag.js';
import type { FeedbackFunction } from './feedback-function.js';

export interface ComprehendJobsProps {
  /** The ingest bucket: job input and output live under `COMPREHEND_JOBS` prefixes in it. */
  readonly bucket: s3.Bucket;
  /** The function that starts and checks the jobs. */
  readonly ingest: FeedbackFunction;
  /** Its Powertools service name (the `service` dimension of the job metrics). */
  readonly serviceName: string;
  /** Prefix of alarm names, e.g. `feedback-dev`. */
  readonly namePrefix: string;
  readonly alarmTopic: sns.ITopic;
  /** Alarm when a file's jobs have run this long. @default Duration.hours(2) */
  readonly stuckAfter?: Duration;
  /** Job files are transient (results go to the text cache). @default COMPREHEND_JOBS.expireAfterDays */
  readonly expireAfterDays?: number;
}

/**
 * What Comprehend's asynchronous jobs need: the data-access role Comprehend assumes (trusted only for this account's
 * Comprehend jobs; reads the input prefix, writes the output prefix, nothing else), the ingest function's right to
 * start, check and stop sentiment and key-phrase jobs and to pass that role (to Comprehend only), its access to the
 * job files, their expiry, and alarms for jobs that fail or stay running.
 */
export class ComprehendJobs extends Construct {
  readonly role: iam.Role;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ComprehendJobsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = this.dataAccessRole(props.bucket, stack);
    this.bindIngest(props, stack);
    props.bucket.addLifecycleRule({
      id: 'expire-comprehend-jobs',
      prefix: COMPREHEND_JOBS.rootPrefix,
      expiration: Duration.days(props.expireAfterDays ?? COMPREHEND_JOBS.expireAfterDays),
    });
    this.alarms = this.jobAlarms(props);
  }

  private dataAccessRole(bucket: s3.Bucket, stack: Stack): iam.Role {
    const role = new iam.Role(this, 'data-access-role', {
      description: 'Assumed by Amazon Comprehend to read asynchronous job input and write job output.',
      assumedBy: new iam.ServicePrincipal('comprehend.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:comprehend:${stack.region}:${stack.account}:*` },
        },
      }),
    });
    const input = COMPREHEND_JOBS.inputPrefix;
    const output = COMPREHEND_JOBS.outputPrefix;
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${input}*`)] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${input}*`] } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${output}*`)] }),
    );
    if (bucket.encryptionKey) {
      bucket.encryptionKey.grantDecrypt(role);
      bucket.encryptionKey.grantEncrypt(role);
    }
    acknowledge(
      role,
      'AwsSolutions-IAM5',
      `Comprehend reads only job input under ${input} and writes only job output under ${output}; the keys below each prefix are made per file and job.`,
      [arnResourceFinding(bucket, `/${input}*`), arnResourceFinding(bucket, `/${output}*`)],
    );
    return role;
  }

  /** The role ARN setting, PassRole on this role only, the job API, and the ingest function's job files. */
  private bindIngest(props: ComprehendJobsProps, stack: Stack): void {
    const { ingest, bucket } = props;
    ingest.setEnvironment(ENV.comprehendJobRole, this.role.roleArn);
    ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'comprehend.amazonaws.com' } },
      }),
    );
    const jobArns = ['sentiment-detection-job', 'key-phrases-detection-job'].map((type) =>
      stack.formatArn({ service: 'comprehend', resource: type, resourceName: '*' }),
    );
    ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['Start', 'Describe', 'Stop'].flatMap((verb) => [
          `comprehend:${verb}SentimentDetectionJob`,
          `comprehend:${verb}KeyPhrasesDetectionJob`,
        ]),
        resources: jobArns,
      }),
    );
    acknowledge(
      ingest.role,
      'AwsSolutions-IAM5',
      'Comprehend job ids are assigned when a job starts: the function may start, check and stop only sentiment and key-phrase detection jobs of this account and region.',
      jobArns.map((arn) => `Resource::${joinedFinding(stack, arn)}`),
    );
    ingest.bindBucket(bucket, {
      read: [COMPREHEND_JOBS.keysPrefix, COMPREHEND_JOBS.outputPrefix],
      write: [COMPREHEND_JOBS.inputPrefix, COMPREHEND_JOBS.keysPrefix],
    });
  }

  private jobAlarms(props: ComprehendJobsProps): cloudwatch.Alarm[] {
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: PIPELINE_METRICS.namespace,
        metricName,
        dimensionsMap: { service: props.serviceName },
        statistic,
        period: Duration.minutes(5),
      });
    const stuckMinutes = (props.stuckAfter ?? Duration.hours(2)).toMinutes();
    const alarms = [
      new cloudwatch.Alarm(this, 'jobs-failed', {
        alarmName: `${props.namePrefix}-comprehend-jobs-failed`,
        alarmDescription: 'A Comprehend job of a big file failed or was stopped: the file was rejected.',
        metric: metric(COMPREHEND_JOBS.metrics.jobsFailed, 'Sum'),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'jobs-stuck', {
        alarmName: `${props.namePrefix}-comprehend-jobs-stuck`,
        alarmDescription: `A file's Comprehend jobs have run for ${stuckMinutes} minutes or more.`,
        metric: metric(COMPREHEND_JOBS.metrics.jobWaitMinutes, 'Maximum'),
        threshold: stuckMinutes,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    const action = new SnsAction(props.alarmTopic);
    for (const alarm of alarms) alarm.addAlarmAction(action);
    return alarms;
  }
}

/** cdk-nag's spelling of an `Fn::Join` ARN in an IAM5 finding: its parts joined, pseudo parameters as `<AWS::…>`. */
function joinedFinding(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn) as { 'Fn::Join': [string, unknown[]] };
  const [separator, parts] = resolved['Fn::Join'];
  return parts.map((p) => (typeof p === 'string' ? p : `<${(p as { Ref: string }).Ref}>`)).join(separator);
}
