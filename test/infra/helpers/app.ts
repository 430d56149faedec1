import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/build-app.js';
import { logicalIdOf } from '../../../infra/nag.js';
import type { FeedbackPipelineStack } from '../../../infra/stacks/feedback-pipeline-stack.js';

/** The real cdk.json context (feature flags and both environments). */
export function cdkJsonContext(): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('context' in parsed))
    throw new Error('cdk.json has no context');
  const { context } = parsed;
  if (typeof context !== 'object' || context === null) throw new Error('cdk.json context is not an object');
  return { ...context };
}

export interface TestAppOptions {
  /** Context values laid over cdk.json's. */
  readonly context?: Record<string, unknown>;
  /** Run esbuild (slow); by default the stacks are synthesized with placeholder assets. */
  readonly bundle?: boolean;
}

/** Builds the app from cdk.json's context, as `cdk synth` does, skipping asset bundling unless asked. */
export function buildTestApp(options: TestAppOptions = {}): { app: App; stacks: FeedbackPipelineStack[] } {
  const context = { ...cdkJsonContext(), ...options.context };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context });
  const stacks = buildApp(app);
  return { app, stacks };
}

/** A deep copy of one environment's settings from cdk.json, for tests to modify. */
export function environmentSettings(name: string): Record<string, unknown> {
  const environments = cdkJsonContext().environments;
  if (typeof environments !== 'object' || environments === null) throw new Error('no environments');
  const settings: unknown = structuredClone(Object.fromEntries(Object.entries(environments))[name]);
  if (typeof settings !== 'object' || settings === null) throw new Error(`no environment ${name}`);
  return { ...settings };
}

interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every Allow statement of the policies attached to the role, in template form. */
export function roleStatements(template: Template, role: Parameters<typeof logicalIdOf>[0]): PolicyStatementJson[] {
  const roleId = logicalIdOf(role);
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: PolicyStatementJson[] = [];
  for (const policy of Object.values(policies)) {
    const roles: unknown[] = policy.Properties.Roles;
    if (!roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }))) continue;
    statements.push(...policy.Properties.PolicyDocument.Statement);
  }
  return statements;
}

/** The sorted, de-duplicated actions a role is allowed. */
export function roleActions(template: Template, role: Parameters<typeof logicalIdOf>[0]): string[] {
  const actions = roleStatements(template, role)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(actions)].sort();
}
