export * from './bedrock-customer-managed-key';
