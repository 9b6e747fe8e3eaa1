export * from './policy';
export * from './key';
