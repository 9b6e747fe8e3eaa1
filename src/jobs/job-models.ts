import { PolicyScope } from '../policy/scope';
import { accountModelArnType, MODEL_FORMS, parseModel } from '../private/model-arns';
import { isResolved, PropsValidator } from '../private/validation';

/**
 * Account model types invoked by their own ARN: custom models (and their on-demand
 * deployments), provisioned throughput, imported models and application inference profiles.
 */
const INVOKABLE_ACCOUNT_MODELS = ['custom-model', 'custom-model-deployment', 'provisioned-model', 'imported-model', 'application-inference-profile'];

/** The forms `evaluatorModels` accepts. */
export const INVOKABLE_MODEL_FORMS = `${MODEL_FORMS}, or the ARN of a custom model, custom model deployment, ` +
  "provisioned model, imported model or application inference profile ('arn:aws:bedrock:<region>:<account>:provisioned-model/<id>')";

/** The forms `baseModel` accepts: what CreateModelCustomizationJob takes as `baseModelIdentifier`. */
export const BASE_MODEL_FORMS =
  "a foundation model id ('amazon.titan-text-express-v1:0:8k'), a foundation-model ARN " +
  "('arn:aws:bedrock:<region>::foundation-model/<model-id>') or a custom-model ARN " +
  "('arn:aws:bedrock:<region>:<account>:custom-model/<id>')";

/** Records a problem for each model that is not a model id or model ARN. */
export function validateInvokableModels(v: PropsValidator, prop: string, models: string[] | undefined, scope: PolicyScope): void {
  (models ?? []).forEach((model, i) => {
    if (!isResolved(model)) return;
    if (parseModel(scope, model) === undefined && !INVOKABLE_ACCOUNT_MODELS.includes(accountModelArnType(model) ?? '')) {
      v.fail(`${prop}[${i}]`, JSON.stringify(model), INVOKABLE_MODEL_FORMS);
    }
  });
}

/** Records a problem when the base model is not a foundation model id/ARN or a custom-model ARN. */
export function validateBaseModel(v: PropsValidator, prop: string, model: string, scope: PolicyScope): void {
  if (!isResolved(model)) return;
  const parsed = parseModel(scope, model);
  if (parsed?.kind === 'foundation-model' || accountModelArnType(model) === 'custom-model') return;
  v.fail(prop, JSON.stringify(model), BASE_MODEL_FORMS);
}

/**
 * The ARN the `baseModelIdentifier` names, for `bedrock:CreateModelCustomizationJob`'s
 * optional foundation-model resource; the value as given for custom models and tokens.
 */
export function baseModelArn(scope: PolicyScope, model: string): string {
  const parsed = parseModel(scope, model);
  return parsed?.kind === 'foundation-model' ? parsed.modelArn : model;
}
