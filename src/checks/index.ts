export * from './rules';
export * from './bedrock-encryption-checks';
