export * from './job-parameters';
export * from './encrypted-job-props';
export * from './encrypted-evaluation-job';
export * from './encrypted-model-customization';
export * from './encrypted-model-import';
export * from './encrypted-batch-inference';
export * from './encrypted-invocation-logging';
export * from './encrypted-token-vault';
