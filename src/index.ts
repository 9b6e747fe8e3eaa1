export * from './policy';
export * from './key';
export * from './agent';
export * from './flow';
export * from './knowledge-base';
export * from './jobs';
