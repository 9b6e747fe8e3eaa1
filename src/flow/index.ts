export * from './encrypted-flow';
export { FlowDefinitionPermissions } from './flow-definition-permissions';
