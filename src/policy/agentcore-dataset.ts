import * as iam from 'aws-cdk-lib/aws-iam';
import { AGENTCORE_SERVICE_PRINCIPAL, inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { allOf, stringMatch } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key AgentCore sets on a dataset's data keys: the dataset's ARN. */
const DATASET_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore:datasetArn';

/** What the principal that creates or reads an encrypted dataset does with the key. */
const DATASET_CALLER_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'];

/**
 * Statements for AgentCore Evaluations datasets encrypted with a customer managed key
 * (`CreateDataset` with `kmsKeyArn`; S3 SSE-KMS under the dataset encryption context).
 *
 * The page gives the caller's statement no condition; AgentCore checks the caller's key use with
 * forward access sessions, so the library adds `kms:ViaService` = AgentCore. For the service
 * principal the page's scoped-down form conditions `GenerateDataKey` on the source and the
 * dataset encryption context and leaves `Decrypt` and `DescribeKey` without condition. The library
 * conditions `Decrypt` on the dataset encryption context (KMS decrypts a data key only under the
 * context it was generated with, so every read carries it) and gives the service `DescribeKey`
 * without condition, as the page does: AgentCore describes the key when it validates it at
 * dataset creation, a request with no encryption context, and the page warns that source
 * conditions are not sent on the read path.
 */
export class AgentCoreDatasetEncryptionStatements {
  /** Key-policy statement for the principal that creates or reads datasets (for CloudFormation, the deployment role): only through AgentCore. */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Dataset encryption",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/datasets-encryption.html, "AllowCallerAccess"; kms:ViaService added.
  public static callerKeyUse(scope: PolicyScope, caller: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreDatasetEncryptionStatements.callerStatements(scope, inKeyPolicy(caller));
  }

  /** The same permissions as an identity statement on `keyArn`. */
  // Source: datasets-encryption.html, "AllowCallerAccess" as an identity statement; kms:ViaService added.
  public static callerIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return AgentCoreDatasetEncryptionStatements.callerStatements(scope, inIdentityPolicy(keyArn));
  }

  /** Key-policy statements for AgentCore's service principal: write and read this account and region's datasets (`dataset/*`), and describe the key. */
  // Source: datasets-encryption.html, "AllowAgentCoreDatasetWrite" and "AllowAgentCoreDatasetRead"; Decrypt conditioned
  // on the dataset encryption context, DescribeKey without condition as the page writes it (CloudTrail section:
  // "DescribeKey — when validating the key at dataset creation").
  public static serviceKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    const datasets = BedrockResourceType.AGENTCORE_DATASET.arnPattern(scope);
    const service = new iam.ServicePrincipal(AGENTCORE_SERVICE_PRINCIPAL);
    const context = stringMatch(DATASET_CONTEXT_KEY, datasets);
    return [
      new iam.PolicyStatement({
        principals: [service],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: allOf({ StringEquals: { 'aws:SourceAccount': scope.account } }, stringMatch('aws:SourceArn', datasets), context),
      }),
      new iam.PolicyStatement({ principals: [service], actions: ['kms:Decrypt'], resources: ['*'], conditions: context }),
      new iam.PolicyStatement({ principals: [service], actions: ['kms:DescribeKey'], resources: ['*'] }),
    ];
  }

  private static callerStatements(scope: PolicyScope, placement: Placement): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ ...placement, actions: DATASET_CALLER_ACTIONS, conditions: viaAgentCore(scope) })];
  }

  private constructor() {}
}
