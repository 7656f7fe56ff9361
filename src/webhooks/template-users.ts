// Re-renders the services that use a template against a changed version of
// it, to find the ones the change would make invalid.
import type { FieldError } from '../admission/field-errors.js';
import type { InferenceServiceTemplate } from '../api/types.js';
import { renderInferenceService } from '../inferenceservice/render.js';
import type { TemplateSource } from '../templates/source.js';
import type { WebhookDependencies } from './common.js';

/**
 * The most users re-rendered for one template update. Rendering takes about
 * a millisecond per service, so this bounds the review well inside the
 * apiserver's webhook timeout.
 */
export const MAX_RERENDERED_USERS = 200;

export interface UserFailure {
  namespace: string;
  name: string;
  error: FieldError;
}

/** A template source that sees one template replaced. */
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
    const service = await services.fetchService(user.namespace, user.name);
    if (!service) continue;
    const options = {
      systemNamespace: dependencies.systemNamespace,
      namespace: user.namespace,
      renderLimits: dependencies.renderLimits,
    };
    const after = renderInferenceService(service, changed, options);
    if (after.errors.length === 0) continue;
    const before = renderInferenceService(service, dependencies.templates, options);
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
