export * from './bedrock-key';
export * from './bedrock-service-role';
