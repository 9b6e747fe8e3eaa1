export * from './knowledge-base-reference';
