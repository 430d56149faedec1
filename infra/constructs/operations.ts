import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PIPELINE_METRICS } from '../../shared/config/resources.js';

/** A function to watch, with the Powertools service name its custom metrics carry. */
export interface MonitoredFunction {
  readonly label: string;
  readonly function: IFunction;
  readonly serviceName: string;
}

export interface PipelineOperationsProps {
  /** Prefix of alarm and dashboard names, e.g. `feedback-dev`. */
  readonly namePrefix: string;
  readonly alarmEmail: string;
  readonly ingest: MonitoredFunction;
  readonly digest: MonitoredFunction;
  readonly ingestQueue: IQueue;
  /** Dead-letter queues by label; each gets a depth alarm and a line on the dashboard. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** Alarm when the oldest ingest message is older than this. @default Duration.hours(1) */
  readonly maxIngestBacklogAge?: Duration;
  /** The month's Comprehend budget: an alarm when the month-to-date spend reaches `alarmAtShare` of it. */
  readonly comprehendBudget?: { readonly monthlyUsd: number; readonly alarmAtShare: number };
}

/**
 * Alarms to an encrypted SNS topic (email subscription) and one dashboard: files, rows, Comprehend usage,
 * durations, queue backlog and dead-letter depth.
 */
export class PipelineOperations extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineOperationsProps) {
    super(scope, id);

    // CloudWatch cannot publish to a topic encrypted with the AWS managed aws/sns key, so the topic gets its own.
    const key = new kms.Key(this, 'alarm-topic-key', {
      description: `${props.namePrefix} alarm topic encryption`,
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'alarm-topic', {
      displayName: `${props.namePrefix} pipeline alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      description: string,
      threshold = 1,
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.namePrefix}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    const dlqDepth = Object.entries(props.deadLetterQueues).map(([label, queue]) => {
      const metric = queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      });
      alarm(`${label}-depth`, metric, `Messages are waiting in the ${label} dead-letter queue: inspect and redrive.`);
      return metric.with({ label });
    });

    for (const fn of [props.ingest, props.digest]) {
      alarm(
        `${fn.label}-errors`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        `The ${fn.label} function reported errors.`,
      );
      alarm(
        `${fn.label}-throttles`,
        fn.function.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        `The ${fn.label} function was throttled (reserved concurrency or account limit reached).`,
      );
    }

    const backlogAge = props.ingestQueue.metricApproximateAgeOfOldestMessage({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(5),
    });
    alarm(
      'ingest-backlog-age',
      backlogAge,
      'Exports have waited in the ingest queue for over the allowed age: ingest is failing or throttled.',
      (props.maxIngestBacklogAge ?? Duration.hours(1)).toSeconds(),
    );

    const custom = (name: string, label: string, service: string, statistic: string = cloudwatch.Stats.SUM) =>
      new cloudwatch.Metric({
        namespace: PIPELINE_METRICS.namespace,
        metricName: name,
        dimensionsMap: { service },
        statistic,
        period: Duration.hours(1),
        label,
      });
    const ingestService = props.ingest.serviceName;
    const width = 12;
    if (props.comprehendBudget) {
      const { monthlyUsd, alarmAtShare } = props.comprehendBudget;
      // The ingest function reports the month's total at each admission: its maximum is the spend so far.
      alarm(
        'comprehend-budget',
        new cloudwatch.Metric({
          namespace: PIPELINE_METRICS.namespace,
          metricName: PIPELINE_METRICS.comprehendSpendMonthToDate,
          dimensionsMap: { service: ingestService },
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.hours(1),
        }),
        `Comprehend spend this month reached ${Math.round(alarmAtShare * 100)} % of its $${monthlyUsd} budget: files beyond it will be held.`,
        monthlyUsd * alarmAtShare,
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'dashboard', {
      dashboardName: props.namePrefix,
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Files',
            width,
            left: [
              custom(PIPELINE_METRICS.filesProcessed, 'processed', ingestService),
              custom(PIPELINE_METRICS.filesRejected, 'rejected', ingestService),
              custom(PIPELINE_METRICS.filesHeld, 'held (over budget)', ingestService),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Rows',
            width,
            stacked: true,
            left: [
              custom(PIPELINE_METRICS.rowsAccepted, 'accepted', ingestService),
              custom(PIPELINE_METRICS.rowsRejected, 'rejected', ingestService),
              custom(PIPELINE_METRICS.rowsDuplicate, 'duplicate', ingestService),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Comprehend',
            width,
            left: [custom(PIPELINE_METRICS.comprehendCalls, 'calls', ingestService)],
            right: [
              custom(PIPELINE_METRICS.comprehendUnits, 'units (100 chars)', ingestService),
              custom(
                PIPELINE_METRICS.comprehendSpendMonthToDate,
                'month-to-date $',
                ingestService,
                cloudwatch.Stats.MAXIMUM,
              ),
            ],
          }),
          new cloudwatch.GraphWidget({
            title: 'Duration (ms)',
            width,
            left: [
              props.ingest.function.metricDuration({ statistic: cloudwatch.Stats.p(50), label: 'ingest p50' }),
              props.ingest.function.metricDuration({ statistic: cloudwatch.Stats.p(99), label: 'ingest p99' }),
              props.digest.function.metricDuration({ statistic: cloudwatch.Stats.MAXIMUM, label: 'digest max' }),
            ],
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', width, left: dlqDepth }),
          new cloudwatch.GraphWidget({
            title: 'Ingest queue',
            width,
            left: [
              props.ingestQueue.metricApproximateNumberOfMessagesVisible({
                label: 'waiting',
                statistic: cloudwatch.Stats.MAXIMUM,
              }),
              props.ingestQueue.metricApproximateNumberOfMessagesNotVisible({
                label: 'in flight',
                statistic: cloudwatch.Stats.MAXIMUM,
              }),
            ],
            right: [backlogAge.with({ label: 'oldest message age (s)' })],
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Errors and throttles',
            width: 24,
            left: [props.ingest, props.digest].flatMap((fn) => [
              fn.function.metricErrors({ label: `${fn.label} errors`, statistic: cloudwatch.Stats.SUM }),
              fn.function.metricThrottles({ label: `${fn.label} throttles`, statistic: cloudwatch.Stats.SUM }),
            ]),
          }),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: this.alarms })],
      ],
    });
  }

  /**
   * A row for a part of the pipeline that brings its own alarms (Comprehend's asynchronous jobs): the metrics they
   * watch, and their state.
   */
  addSection(title: string, alarms: readonly cloudwatch.Alarm[]): void {
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title, width: 12, left: alarms.map((a) => a.metric) }),
      new cloudwatch.AlarmStatusWidget({ title: `${title}: alarms`, width: 12, alarms: [...alarms] }),
    );
  }
}
