/**
 * The cfn-lint warnings the proof suite accepts, each with its reason. cfn-lint.test.ts fails on
 * any error, on any other warning, and on an exception that no longer matches a warning.
 */
import { LintException } from './lint-templates';

/** A logical id: the construct path's ids and an 8-digit hash. */
const id = (path: string) => new RegExp(`^${path}[0-9A-F]{8}$`);
/** The quoted dependency at the start of a W3005 message. */
const dependencyOn = (path: string) => new RegExp(`^'${path}[0-9A-F]{8}' dependency already enforced by a 'GetAtt'`);

/** The accepted warnings. */
export const CFN_LINT_EXCEPTIONS: LintException[] = [
  {
    rule: 'W3005',
    resource: id('[A-Za-z0-9]*'),
    message: dependencyOn('[A-Za-z0-9]*(Role|ServiceRole|ExecutionRole)'),
    reason: 'Obsolete DependsOn on the service role of an agent, flow or knowledge base, whose ARN the resource already ' +
      'reads with GetAtt. The library makes the resource depend on the Role construct (src/private/wiring.ts, ' +
      'dependOnRole) so that it waits for every policy attached to the role, which Bedrock checks at create time; ' +
      'aws-cdk-lib renders that as DependsOn on the role and on each policy, and only the entry for the role itself ' +
      'is redundant. Harmless: CloudFormation orders the same way with or without it.',
  },
  {
    rule: 'W3005',
    resource: id('[A-Za-z0-9]*'),
    message: dependencyOn('[A-Za-z0-9]*VectorIndex'),
    reason: 'Obsolete DependsOn of an S3 Vectors knowledge base on its vector index, whose ARN it already reads with ' +
      'GetAtt. Every vector store names the resources the knowledge base must wait for (VectorStoreBinding.dependencies); ' +
      'for OpenSearch Serverless the index is named by a string and the dependency is needed, for S3 Vectors it repeats ' +
      'the GetAtt. Harmless.',
  },
  {
    rule: 'W3005',
    resource: id('[A-Za-z0-9]*(FlowPolicy|MemoryPolicy)'),
    message: dependencyOn('[A-Za-z0-9]*'),
    reason: "Obsolete DependsOn of a flow's FlowPolicy on the flow, whose ARN its kms:EncryptionContext condition already " +
      "reads with GetAtt, and of a harness's MemoryPolicy on the harness, whose memory ARN it reads with GetAtt. " +
      'writePolicyAfter (src/wiring/policy-writer.ts) always makes a policy that names a resource wait for it, ' +
      'since a statement may name it by a pattern instead of a reference. Harmless.',
  },
];
