// Re-renders the services that use a template against a changed version of
// it, to find the ones the change would make invalid.
import type { FieldError } from '../admission/field-errors.js';
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { renderInferenceService } from '../inferenceservice/render.js';
import type { TemplateSource } from '../templates/source.js';
import type { WebhookDependencies } from './common.js';

/**
 * The maximum number of users re-rendered for one template change. Rendering
 * an example service takes about a millisecond (an estimate from the test
 * suite), so this keeps the review well inside the apiserver's timeout.
 */
export const MAX_RERENDERED_USERS = 200;

/** A user of the template could not be read, so the change cannot be judged now. */
export class ServiceReadError extends Error {}

async function readService(
  services: NonNullable<WebhookDependencies['services']>,
  namespace: string,
  name: string,
): Promise<InferenceService | undefined> {
  try {
    return await services.fetchService(namespace, name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ServiceReadError(`reading InferenceService "${namespace}/${name}" failed: ${reason}`);
  }
}

export interface UserFailure {
  namespace: string;
  name: string;
  error: FieldError;
}

/** Returns a template source in which one template is replaced. */
function withReplacement(
  source: TemplateSource,
  namespace: string,
  name: string,
  template: InferenceServiceTemplate,
): TemplateSource {
  return {
    getTemplate: (ns, n) => (ns === namespace && n === name ? template : source.getTemplate(ns, n)),
    isReady: () => source.isReady(),
  };
}

/**
 * Returns the users that render and validate with the stored template but
 * not with the new one. A service that was already invalid is not blamed on
 * this change.
 */
export async function brokenUsers(
  template: InferenceServiceTemplate,
  namespace: string,
  name: string,
  dependencies: WebhookDependencies,
): Promise<{ failures: UserFailure[]; warnings: string[] }> {
  const services = dependencies.services;
  if (!services) return { failures: [], warnings: [] };
  const { total, users } = services.usersOf(namespace, name, MAX_RERENDERED_USERS);
  const changed = withReplacement(dependencies.templates, namespace, name, template);
  const failures: UserFailure[] = [];
  for (const user of users) {
    const service = await readService(services, user.namespace, user.name);
    if (!service) continue;
    const options = {
      systemNamespace: dependencies.systemNamespace,
      namespace: user.namespace,
      renderLimits: dependencies.renderLimits,
    };
    // The proposed template may be rejected, so its renders stay out of the cache.
    const after = renderInferenceService(service, changed, options);
    if (after.errors.length === 0) continue;
    const before = renderInferenceService(service, dependencies.templates, {
      ...options,
      cache: dependencies.renderCache,
    });
    if (before.errors.length > 0) continue;
    failures.push({ namespace: user.namespace, name: user.name, error: after.errors[0] });
  }
  const warnings =
    total > users.length
      ? [
          `only ${users.length} of the ${total} InferenceServices that use this template were re-rendered`,
        ]
      : [];
  return { failures, warnings };
}
