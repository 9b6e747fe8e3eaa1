import { Token } from 'aws-cdk-lib';
import { PolicyScope } from '../policy/scope';
import { parseModel } from '../private/model-arns';
import { isResolved, PropsValidator } from '../private/validation';

/** The vector sizes one embedding model produces. */
interface EmbeddingModelSpec {
  /** Every size the model can produce. */
  readonly dimensions: number[];
  /** The size Bedrock uses when none is given. */
  readonly defaultDimensions: number;
}

/**
 * Embedding models Bedrock knowledge bases support, by model id without its version suffix,
 * and the vector sizes each produces.
 */
// Source: Bedrock User Guide, "Supported models and Regions for Amazon Bedrock knowledge bases"
// (knowledge-base-supported.html) and the model cards (Titan Text Embeddings V2: 256/512/1024;
// Titan Multimodal Embeddings G1: 256/384/1024; Titan Embeddings G1 - Text: 1536; Cohere Embed v3: 1024).
const KNOWN_EMBEDDING_MODELS: Record<string, EmbeddingModelSpec> = {
  'amazon.titan-embed-text-v2': { dimensions: [256, 512, 1024], defaultDimensions: 1024 },
  'amazon.titan-embed-text-v1': { dimensions: [1536], defaultDimensions: 1536 },
  'amazon.titan-embed-g1-text-02': { dimensions: [1536], defaultDimensions: 1536 },
  'amazon.titan-embed-image-v1': { dimensions: [256, 384, 1024], defaultDimensions: 1024 },
  'cohere.embed-english-v3': { dimensions: [1024], defaultDimensions: 1024 },
  'cohere.embed-multilingual-v3': { dimensions: [1024], defaultDimensions: 1024 },
};

/** An embedding model, resolved to the ARN and vector size the knowledge base uses. */
export interface ResolvedEmbeddingModel {
  /** `arn:<partition>:bedrock:<region>::foundation-model/<model-id>`, or the token as given. */
  readonly modelArn: string;
  /** The vector size; undefined only when it cannot be known (a token model without `dimensions`). */
  readonly dimensions?: number;
  /** True when the model id is not in the table of known embedding models. */
  readonly unknown: boolean;
  /**
   * True when the knowledge base should name the vector size in `embeddingModelConfiguration`:
   * the model produces more than one size, or it is not a known model.
   */
  readonly configurable: boolean;
}

/**
 * Parses `embeddingModel` (a model id or foundation-model ARN) and checks `dimensions` against
 * the sizes the model supports. Problems are recorded on `v`; tokens are not validated.
 */
export function resolveEmbeddingModel(
  v: PropsValidator, scope: PolicyScope, embeddingModel: string, dimensions: number | undefined,
): ResolvedEmbeddingModel {
  const expected = 'a Bedrock embedding model id (\'amazon.titan-embed-text-v2:0\') or foundation-model ARN ' +
    `('arn:aws:bedrock:<region>::foundation-model/amazon.titan-embed-text-v2:0'); known models: ${Object.keys(KNOWN_EMBEDDING_MODELS).join(', ')}`;
  v.range('dimensions', dimensions, 1, 4096);

  const model = parseModel(scope, embeddingModel);
  if (model === undefined || model.kind === 'inference-profile') {
    v.fail('embeddingModel', JSON.stringify(embeddingModel), expected);
    return { modelArn: embeddingModel, dimensions, unknown: true, configurable: dimensions !== undefined };
  }
  if (model.kind === 'unresolved') {
    return { modelArn: model.value, dimensions, unknown: true, configurable: dimensions !== undefined };
  }

  const modelId = model.modelArn.split('foundation-model/')[1];
  const spec = isResolved(modelId) ? KNOWN_EMBEDDING_MODELS[modelId.split(':')[0]] : undefined;
  if (spec === undefined) {
    // A model this library does not know: accepted only with explicit dimensions, which the
    // vector index needs.
    if (dimensions === undefined) {
      v.fail('embeddingModel', JSON.stringify(embeddingModel),
        `${expected}; for another embedding model, give its vector size in 'dimensions'`);
    }
    return { modelArn: model.modelArn, dimensions, unknown: true, configurable: dimensions !== undefined };
  }
  if (dimensions !== undefined && !Token.isUnresolved(dimensions) && !spec.dimensions.includes(dimensions)) {
    v.fail('dimensions', String(dimensions), `one of ${spec.dimensions.join(', ')} for ${modelId}`);
  }
  return { modelArn: model.modelArn, dimensions: dimensions ?? spec.defaultDimensions, unknown: false, configurable: spec.dimensions.length > 1 };
}
