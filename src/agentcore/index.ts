export * from './encrypted-harness';
