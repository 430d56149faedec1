import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers/app.js';

/** The cdk-nag AwsSolutions findings left after acknowledgements, as `rule @ construct path`. */
function findings(app: App): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
}

describe('cdk-nag AwsSolutions', () => {
  let app: App;

  beforeAll(() => {
    // Prepare: both environments, as `npm run synth` builds them.
    ({ app } = buildTestApp());
  });

  it('reports no unacknowledged finding for any environment', () => {
    expect(findings(app)).toEqual([]);
  });

  it('is registered on the app, so a finding fails synthesis', () => {
    // Prepare: the same app plus a bucket that breaks S1 and S10.
    const { app: failing, stacks } = buildTestApp({ context: { env: 'dev' } });
    const [stack] = stacks;
    if (!stack) throw new Error('no stack');
    new Bucket(stack, 'careless-bucket', { encryption: BucketEncryption.S3_MANAGED });

    // Act
    const synth = () => failing.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-S10/);
  });

  it('still sees findings that are acknowledged only elsewhere (acknowledgements are scoped)', () => {
    // Prepare
    const scratch = new App();
    const stack = new Stack(scratch, 'scratch');
    const acknowledged = new Bucket(stack, 'acknowledged', { enforceSSL: true });
    new Bucket(stack, 'other', { enforceSSL: true });
    Validations.of(acknowledged).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' });

    // Act
    const left = findings(scratch).filter((f) => f.startsWith('AwsSolutions-S1 '));

    // Assess
    expect(left).toEqual(['AwsSolutions-S1 @ scratch/other/Resource']);
  });

  it('acknowledges only findings that exist, each with a specific reason', () => {
    // Prepare: every finding before acknowledgements, and every acknowledgement with where it was made.
    const raw = new AwsSolutionsChecks(undefined, { verbose: false });
    Object.defineProperty(raw, 'isAcknowledged', { value: () => false });
    const rawFindings = raw
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
    const acknowledgements = app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data ?? {}))
        .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason, path: construct.node.path })),
    );

    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason, path } of acknowledgements) {
      expect(String(reason).length, id).toBeGreaterThan(40);
      const covered = rawFindings.filter((f) => f.rule === id && (f.path === path || f.path.startsWith(`${path}/`)));
      expect(covered, `${id} acknowledged on ${path} matches no finding`).not.toEqual([]);
    }
  });
});
