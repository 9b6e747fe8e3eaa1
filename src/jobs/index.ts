export * from './job-parameters';
export * from './encrypted-evaluation-job';
export * from './encrypted-model-customization';
export * from './encrypted-model-import';
