export * from './bedrock-service-role';
