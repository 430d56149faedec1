import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../infra/config.js';
import { logicalIdOf } from '../../infra/nag.js';
import type { FeedbackPipelineStack } from '../../infra/stacks/feedback-pipeline-stack.js';
import { COST_ENV, loadCostConfig } from '../../shared/config/cost.js';
import { PIPELINE_METRICS, SERVICE_NAMES } from '../../shared/config/resources.js';
import { buildTestApp, environmentSettings } from './helpers/app.js';

describe('Comprehend budget (dev, from cdk.json)', () => {
  let stack: FeedbackPipelineStack;
  let template: Template;

  beforeAll(() => {
    // Prepare: one synthesis for the file.
    const [dev] = buildTestApp({ context: { env: 'dev' } }).stacks;
    if (!dev) throw new Error('no dev stack');
    stack = dev;
    template = Template.fromStack(stack);
  });

  it('gives the ingest function the price table and the monthly budget, as the handler reads them', () => {
    // Act
    const fn = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: 'feedback-dev-ingest' } }),
    )[0] as { Properties: { Environment: { Variables: Record<string, string> } } };
    const variables = fn.Properties.Environment.Variables;

    // Assess
    expect(JSON.parse(variables[COST_ENV.unitPrices] ?? '')).toEqual({
      sentiment: 0.0001,
      keyPhrases: 0.0001,
      dominantLanguage: 0.0001,
    });
    expect(variables[COST_ENV.monthlyBudget]).toBe('25');
    expect(loadCostConfig(variables)).toEqual({
      unitPrices: { sentiment: 0.0001, keyPhrases: 0.0001, dominantLanguage: 0.0001 },
      monthlyBudgetUsd: 25,
    });
  });

  it('alarms at 80 % of the budget on the maximum month-to-date spend the ingest function reports', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'feedback-dev-comprehend-budget',
      Namespace: PIPELINE_METRICS.namespace,
      MetricName: PIPELINE_METRICS.comprehendSpendMonthToDate,
      Dimensions: [{ Name: 'service', Value: SERVICE_NAMES.ingest }],
      Statistic: 'Maximum',
      Threshold: 20,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalIdOf(stack.operations.topic) }],
    });
  });

  it('draws held files and the month-to-date spend on the dashboard', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    expect(body).toContain(`\\"${PIPELINE_METRICS.filesHeld}\\"`);
    expect(body).toContain(`\\"${PIPELINE_METRICS.comprehendSpendMonthToDate}\\"`);
  });

  it('re-queues held files at the start of each UTC month through the ingest queue, with a DLQ', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'feedback-dev-requeue-held-files',
      ScheduleExpression: 'cron(15 0 1 * ? *)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(stack.ingestQueue), 'Arn'] },
        Input: JSON.stringify({ requeueHeld: true }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild('digest-schedule-dlq')), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3 },
      },
    });
  });

  it('lets the schedule role send to the ingest queue and its DLQ only, assumed by Scheduler of this account', () => {
    const role = stack.node.findChild('held-files').node.findChild('role');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(role) }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Resource: [
              { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild('digest-schedule-dlq')), 'Arn'] },
              { 'Fn::GetAtt': [logicalIdOf(stack.ingestQueue), 'Arn'] },
            ],
          },
        ],
      },
    });
  });
});

describe('cost settings in cdk.json', () => {
  it('requires a monthly budget for every environment', () => {
    // Prepare
    const settings = environmentSettings('dev');
    delete settings.cost;

    // Act / Assess
    expect(() => parseEnvironment('dev', settings)).toThrow(/environments\.dev\.cost: /);
  });

  it('defaults the price table to the list prices and the alarm to 80 %', () => {
    // Prepare
    const settings = { ...environmentSettings('dev'), cost: { monthlyBudgetUsd: 10 } };

    // Act
    const config = parseEnvironment('dev', settings);

    // Assess
    expect(config.cost).toEqual({
      monthlyBudgetUsd: 10,
      alarmAtShare: 0.8,
      usdPerUnit: { sentiment: 0.0001, keyPhrases: 0.0001, dominantLanguage: 0.0001 },
    });
  });

  it('refuses a price given per character instead of per unit', () => {
    // Prepare
    const settings = {
      ...environmentSettings('dev'),
      cost: { monthlyBudgetUsd: 10, usdPerUnit: { sentiment: 2, keyPhrases: 0.0001, dominantLanguage: 0.0001 } },
    };

    // Act / Assess
    expect(() => parseEnvironment('dev', settings)).toThrow(/environments\.dev\.cost\.usdPerUnit\.sentiment: /);
  });
});
