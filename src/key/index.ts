export * from './bedrock-key';
