import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadEnvironments } from './config.js';
import { FeedbackPipelineStack } from './stacks/feedback-pipeline-stack.js';

/**
 * Adds one pipeline stack per configured environment (or only the one chosen with `-c env=<name>`) and the
 * cdk-nag AwsSolutions checks (cdk-nag 3 is a policy-validation plugin: any unacknowledged finding fails synth). Throws `InvalidConfigurationError` before any bundling when the context is invalid.
 */
export function buildApp(app: App): FeedbackPipelineStack[] {
  const environments = loadEnvironments(app.node.tryGetContext('environments'), app.node.tryGetContext('env'));
  const stacks = environments.map(
    (config) =>
      new FeedbackPipelineStack(app, `FeedbackPipeline-${config.name}`, {
        config,
        env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
        description: `Customer-feedback pipeline (${config.name})`,
      }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stacks;
}
