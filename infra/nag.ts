/**
 * cdk-nag v3 acknowledgements. cdk-nag 3 runs as a CDK policy-validation plugin and reads CDK's own
 * `Validations.of(construct).acknowledge()` records (on the resource or any ancestor). Findings of rules that
 * report several per resource (IAM4, IAM5) are acknowledged one by one as `RuleId[Finding]`, so every
 * wildcard is listed explicitly with its reason.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges a rule on `scope` and everything below it; with `findings`, only those findings. */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string, findings?: readonly string[]): void {
  const validations = Validations.of(scope);
  if (findings === undefined) {
    validations.acknowledge({ id: ruleId, reason });
    return;
  }
  for (const finding of findings) validations.acknowledge({ id: `${ruleId}[${finding}]`, reason });
}

/** The logical id of a construct's CloudFormation resource (the L2's default child, or the L1 itself). */
export function logicalIdOf(construct: IConstruct): string {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (resource === undefined || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource to name`);
  }
  const logicalId: unknown = Stack.of(resource).resolve(resource.logicalId);
  if (typeof logicalId !== 'string') throw new Error(`${construct.node.path}: logical id did not resolve`);
  return logicalId;
}

/** cdk-nag's spelling of `{ "Fn::GetAtt": [<resource>, "Arn"] }` followed by `suffix`, as an IAM5 finding. */
export function arnResourceFinding(construct: IConstruct, suffix: string): string {
  return `Resource::<${logicalIdOf(construct)}.Arn>${suffix}`;
}
