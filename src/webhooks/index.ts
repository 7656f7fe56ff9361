// The three admission webhooks, built from their dependencies.
import type { Webhook } from '../admission/webhook.js';
import { compileSchemas } from '../api/index.js';
import { RenderCache } from '../inferenceservice/render-cache.js';
import type { WebhookDependencies } from './common.js';
import { createMutateInferenceService } from './mutate-inferenceservice.js';
import { createValidateInferenceService } from './validate-inferenceservice.js';
import { createValidateTemplate } from './validate-template.js';

export type { WebhookDependencies } from './common.js';

/** Builds the webhooks and compiles the JSON Schemas now, so no review pays for it. */
export function createWebhooks(options: WebhookDependencies): Webhook[] {
  compileSchemas();
  const dependencies = { ...options, renderCache: options.renderCache ?? new RenderCache() };
  return [
    createMutateInferenceService(dependencies),
    createValidateInferenceService(dependencies),
    createValidateTemplate(dependencies),
  ];
}
