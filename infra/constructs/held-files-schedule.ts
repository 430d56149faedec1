import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REQUEUE_HELD_MESSAGE } from '../../shared/pipeline/held-files.js';

export interface HeldFilesScheduleProps {
  /** Prefix of the schedule's name, e.g. `feedback-dev`. */
  readonly namePrefix: string;
  /** The ingest queue: the schedule sends it the re-queue message, which the ingest function handles. */
  readonly ingestQueue: IQueue;
  /** Where Scheduler puts a message it could not deliver. */
  readonly deadLetterQueue: IQueue;
  /** When to re-queue, in UTC (budget months are UTC months). @default 00:15 UTC on the 1st of each month */
  readonly cron?: string;
}

/**
 * Files held for want of Comprehend budget resume by themselves when the budget does: EventBridge Scheduler puts a
 * fixed message on the ingest queue at the start of each month, and the ingest function sends every file held in an
 * earlier month back through the pipeline (shared/pipeline/held-files.ts). No extra function: the ingest function
 * already has the table and the queue.
 */
export class HeldFilesSchedule extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: HeldFilesScheduleProps) {
    super(scope, id);
    const role = new iam.Role(this, 'role', {
      description: 'Assumed by EventBridge Scheduler to put the monthly held-files message on the ingest queue.',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.schedule = new scheduler.Schedule(this, 'schedule', {
      scheduleName: `${props.namePrefix}-requeue-held-files`,
      description: 'Re-queues files held over the Comprehend budget when a new budget month begins',
      schedule: scheduler.ScheduleExpression.expression(props.cron ?? 'cron(15 0 1 * ? *)'),
      target: new schedulerTargets.SqsSendMessage(props.ingestQueue, {
        input: scheduler.ScheduleTargetInput.fromObject(REQUEUE_HELD_MESSAGE),
        role,
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
