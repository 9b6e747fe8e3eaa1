import * as iam from 'aws-cdk-lib/aws-iam';
import { allOf, BEDROCK_SERVICE_PRINCIPAL, ENCRYPT_DECRYPT_ACTIONS, viaService } from './conditions';
import { PolicyScope, PolicyScopes } from './scope';

/** The encryption context keys S3 Vectors sets on every KMS request. */
const S3_VECTORS_CONTEXT_KEYS = ['aws:s3vectors:arn', 'aws:s3vectors:resource-id'];

/** What the principal that creates a managed knowledge base lets Bedrock do with its key. */
/** The operations of the grant Bedrock creates for a managed knowledge base (encryption-kb.html, managed ingestion). */
const MANAGED_KB_GRANT_OPERATIONS = ['CreateGrant', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'DescribeKey', 'Encrypt', 'Decrypt'];

/** Statements for knowledge bases whose data, vector store and sessions use customer managed keys. */
export class KnowledgeBaseEncryptionStatements {
  /**
   * Identity statement for the knowledge base's service role: the key that encrypts transient
   * data while a data source is ingested.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of knowledge base resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html,
  // "Encryption of transient data storage during data ingestion".
  public static ingestionIdentity(keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: [keyArn],
      }),
    ];
  }

  /**
   * Identity statement for the knowledge base's service role: decrypt the data source bucket's
   * objects, only through Amazon S3.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of knowledge base resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html,
  // "Permissions to decrypt your AWS KMS key for your data sources in Amazon S3".
  public static s3DataSourceIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: viaService(scope, 's3'),
      }),
    ];
  }

  /**
   * Identity statement for the knowledge base's service role: decrypt the Secrets Manager
   * secret that holds a third-party vector store's credentials, only through Secrets Manager.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of knowledge base resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html,
  // "Permissions to decrypt an AWS Secrets Manager secret"; kms:ViaService added, as the AWS Secrets Manager User Guide,
  // "Secret encryption and decryption in AWS Secrets Manager", https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html, shows it.
  public static secretIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [keyArn],
        conditions: viaService(scope, 'secretsmanager'),
      }),
    ];
  }

  /**
   * Key-policy statement for `bedrock.amazonaws.com`: encrypt the session context of
   * `RetrieveAndGenerate` requests that name this key in `sessionConfiguration.kmsKeyArn`.
   *
   * It has no condition, as the AWS page gives it: no page documents an encryption context or a
   * source key that Bedrock sends on these calls, and a condition they do not meet makes every
   * `RetrieveAndGenerate` with the key fail. Put it only on a key that encrypts nothing but
   * retrieval sessions (`EncryptedKnowledgeBase` creates one), never on a key that protects data.
   */
  // Source: Amazon Bedrock User Guide, "Encryption of knowledge base resources", "Encryption of knowledge base retrieval",
  // https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html#encryption-kb-runtime.
  public static retrievalSessionKeyUse(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(BEDROCK_SERVICE_PRINCIPAL)],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
      }),
    ];
  }

  /**
   * Identity statement for a caller of `RetrieveAndGenerate` that names the session key: use of
   * the key only through Bedrock.
   */
  // Source: not documented: the page gives only Bedrock's statement for the session key. The caller's use of it, through
  // Bedrock only, is the library's; see docs/POLICIES.md.
  public static retrievalSessionCallerIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: [keyArn],
        conditions: viaService(scope, 'bedrock'),
      }),
    ];
  }

  /**
   * Key-policy statement for the S3 Vectors indexing service: decrypt only for vector buckets
   * of this account and region, and only under the S3 Vectors encryption context.
   */
  // Source: Amazon S3 User Guide, "Data protection and encryption in S3 Vectors" (s3-vectors-data-encryption.html), indexing.s3vectors.amazonaws.com statement.
  public static s3VectorsIndexingKeyUse(scope: PolicyScope): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('indexing.s3vectors.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          'ArnLike': { 'aws:SourceArn': PolicyScopes.arn(scope, 's3vectors', 'bucket/*') },
          'StringEquals': { 'aws:SourceAccount': scope.account },
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': S3_VECTORS_CONTEXT_KEYS },
        },
      }),
    ];
  }

  /**
   * Identity statement for a principal that reads or writes vectors (the knowledge base's
   * role): data keys only through S3 Vectors and under its encryption context.
   */
  // Source: Amazon S3 User Guide, "Data protection and encryption in S3 Vectors", statement for application roles.
  public static s3VectorsIdentity(scope: PolicyScope, keyArn: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [keyArn],
        conditions: allOf(viaService(scope, 's3vectors'), {
          'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': S3_VECTORS_CONTEXT_KEYS },
        }),
      }),
    ];
  }

  /**
   * Key-policy statement for the principal that creates the S3 Vectors bucket and index with the
   * key (the stack's deployment role): data keys, only through S3 Vectors.
   */
  // Source: Amazon S3 User Guide, "Data protection and encryption in S3 Vectors", https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-data-encryption.html
  // ("kms:GenerateDataKey – Required to create a vector bucket by using the customer managed key"); kms:ViaService
  // s3vectors.<region> as in the page's statement for principals that call S3 Vectors ("AllowApplicationAccess").
  public static s3VectorsCreatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [creator],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: viaService(scope, 's3vectors'),
      }),
    ];
  }

  /**
   * Key-policy statements for the principal that creates an OpenSearch Serverless collection
   * encrypted with the key (the stack's deployment role): describe the key and create a grant
   * for the collection, only through OpenSearch Serverless.
   */
  // Source: Amazon OpenSearch Service Developer Guide, "Encryption at rest for Amazon OpenSearch Serverless" (serverless-encryption.html), key policy.
  public static openSearchCollectionCreatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        principals: [creator],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: viaService(scope, 'aoss'),
      }),
      new iam.PolicyStatement({
        principals: [creator],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: allOf(viaService(scope, 'aoss'), {
          'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'] },
          'Bool': { 'kms:GrantIsForAWSResource': 'true' },
        }),
      }),
    ];
  }

  /**
   * Key-policy statements for the principal that creates a managed knowledge base (type
   * `MANAGED`, `managedKnowledgeBaseConfiguration.serverSideEncryptionConfiguration.kmsKeyArn`):
   * Bedrock checks it can use the key and creates a grant on it, for the operations the page
   * lists; data keys, all only through Bedrock. The knowledge base's service role needs no key
   * permissions (same page).
   */
  // Source: Amazon Bedrock User Guide, "Encryption of knowledge base resources", https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html,
  // "Encryption of data storage in fully managed knowledge base": kms:CreateGrant with kms:ViaService bedrock.<region> and
  // kms:GrantOperations, and kms:GenerateDataKey + kms:Decrypt with kms:ViaService; kms:GrantIsForAWSResource added on CreateGrant.
  public static managedCreatorKeyUse(scope: PolicyScope, creator: iam.IPrincipal): iam.PolicyStatement[] {
    const throughBedrock = viaService(scope, 'bedrock');
    return [
      new iam.PolicyStatement({
        principals: [creator],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: allOf(throughBedrock, {
          'ForAllValues:StringEquals': { 'kms:GrantOperations': MANAGED_KB_GRANT_OPERATIONS },
          'Bool': { 'kms:GrantIsForAWSResource': 'true' },
        }),
      }),
      new iam.PolicyStatement({
        principals: [creator],
        actions: ENCRYPT_DECRYPT_ACTIONS,
        resources: ['*'],
        conditions: throughBedrock,
      }),
    ];
  }

  private constructor() {}
}
