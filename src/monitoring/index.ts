export * from './key-activity';
export * from './key-activity-monitor';
