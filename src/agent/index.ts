export * from './agent-memory';
export * from './knowledge-base-reference';
export * from './encrypted-agent';
