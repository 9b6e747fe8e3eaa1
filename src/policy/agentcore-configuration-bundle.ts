import * as iam from 'aws-cdk-lib/aws-iam';
import { inIdentityPolicy, inKeyPolicy, Placement, viaAgentCore } from './agentcore';
import { allOf, stringMatch } from './conditions';
import { BedrockResourceType } from './resource-type';
import { PolicyScope } from './scope';

/** The encryption context key AgentCore sets on a configuration bundle's data keys: the bundle's ARN. */
const BUNDLE_CONTEXT_KEY = 'kms:EncryptionContext:aws:bedrock-agentcore:configurationBundleArn';

/**
 * Statements for AgentCore configuration bundles encrypted with a customer managed key
 * (`CreateConfigurationBundle` with `kmsKeyArn`). AgentCore encrypts the component
 * configurations with data keys it asks for with the caller's identity (forward access
 * sessions). The page conditions the data-key statement on the bundle encryption context; the
 * library adds `kms:ViaService` = AgentCore to both statements, the path every such call takes.
 *
 * `kms:ReEncrypt*` is kept: the page lists it for the caller ("AllowCallerCryptoOps"), required
 * for key rotation, that is changing the KMS key on an existing bundle. It is allowed only through
 * AgentCore and under the bundle encryption context, like the data-key actions.
 */
export class AgentCoreConfigurationBundleEncryptionStatements {
  /** Key-policy statements for the principal that creates, updates or reads bundles (for CloudFormation, the deployment role). */
  // Source: Amazon Bedrock AgentCore Developer Guide, "Configuration bundle encryption",
  // https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/configuration-bundles-encryption.html, "AllowCallerAccess",
  // "AllowCallerCryptoOps" (kms:ReEncrypt*: "required for key rotation (changing the KMS key on an existing bundle)"); kms:ViaService added.
  public static callerKeyUse(scope: PolicyScope, caller: iam.IPrincipal): iam.PolicyStatement[] {
    return AgentCoreConfigurationBundleEncryptionStatements.statements(scope, inKeyPolicy(caller),
      BedrockResourceType.AGENTCORE_CONFIGURATION_BUNDLE.arnPattern(scope));
  }

  /** The same permissions as identity statements on `keyArn`, for the bundle `bundleArn` (or an ARN pattern). */
  // Source: configuration-bundles-encryption.html, the statements above as identity statements.
  public static callerIdentity(scope: PolicyScope, keyArn: string, bundleArn: string): iam.PolicyStatement[] {
    return AgentCoreConfigurationBundleEncryptionStatements.statements(scope, inIdentityPolicy(keyArn), bundleArn);
  }

  private static statements(scope: PolicyScope, placement: Placement, bundleArn: string): iam.PolicyStatement[] {
    const via = viaAgentCore(scope);
    return [
      new iam.PolicyStatement({ ...placement, actions: ['kms:DescribeKey'], conditions: via }),
      new iam.PolicyStatement({
        ...placement,
        actions: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:ReEncrypt*'],
        conditions: allOf(via, stringMatch(BUNDLE_CONTEXT_KEY, bundleArn)),
      }),
    ];
  }

  private constructor() {}
}
