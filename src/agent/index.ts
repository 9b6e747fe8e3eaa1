export * from './agent-memory';
export * from './agent-knowledge-base';
export * from './encrypted-agent';
