// The validating webhook for InferenceServiceTemplate: checks a template's
// fields and expressions, refuses to delete a template that services still
// use, and refuses an update that would make one of them invalid.
import { fieldErrors, formatFieldError, type FieldError } from '../admission/field-errors.js';
import {
  allowed,
  forbidden,
  invalid,
  unavailable,
  type ResponseBody,
} from '../admission/responses.js';
import type { AdmissionRequest, JsonObject } from '../admission/review.js';
import type { Webhook } from '../admission/webhook.js';
import { validateInferenceServiceTemplate } from '../api/index.js';
import {
  API_GROUP,
  INFERENCE_SERVICE_TEMPLATE,
  type InferenceServiceTemplate,
} from '../api/types.js';
import { isObject } from '../inferenceservice/defaults.js';
import { namespaceOf } from '../inferenceservice/render.js';
import { MergeError, mergeSpec } from '../merge/index.js';
import { checkTemplateStrings } from '../render/index.js';
import { checkRequest, nameOf, requireObject, type WebhookDependencies } from './common.js';
import { brokenUsers, ServiceReadError } from './template-users.js';

export const VALIDATE_TEMPLATE_PATH = '/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate';

/** How many users a denial names; the total is always given. */
export const MAX_NAMED_USERS = 5;

/** Checks a template's own fields, its expressions, and that it can be merged at all. */
export function templateFieldErrors(object: JsonObject): FieldError[] {
  const errors = validateInferenceServiceTemplate(object);
  if (errors.length > 0) return errors;
  const spec = isObject(object.spec) ? object.spec : {};
  for (const problem of checkTemplateStrings(spec, 'spec')) {
    errors.push(fieldErrors.invalid(problem.path, undefined, problem.message));
  }
  try {
    mergeSpec({}, spec);
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    errors.push(fieldErrors.invalid(error.path || 'spec', undefined, error.message));
  }
  return errors;
}

function describeUsers(
  total: number,
  users: ReadonlyArray<{ namespace: string; name: string }>,
): string {
  const names = users.slice(0, MAX_NAMED_USERS).map((user) => `${user.namespace}/${user.name}`);
  const more = total > names.length ? ` and ${total - names.length} more` : '';
  const noun = total === 1 ? 'InferenceService' : 'InferenceServices';
  return `${total} ${noun}: ${names.join(', ')}${more}`;
}

function reviewDelete(request: AdmissionRequest, dependencies: WebhookDependencies): ResponseBody {
  const old = isObject(request.oldObject) ? request.oldObject : {};
  const name = nameOf(old, request);
  const namespace = namespaceOf(old, request.namespace);
  const services = dependencies.services;
  if (!services) return allowed();
  if (!services.isReady())
    return unavailable('the InferenceService cache is not synced yet; retry the request');
  const { total, users } = services.usersOf(namespace, name, MAX_NAMED_USERS);
  if (total === 0) return allowed();
  return forbidden(
    `InferenceServiceTemplate "${namespace}/${name}" is in use by ${describeUsers(total, users)}; ` +
      'remove it from their spec.templateRefs first',
  );
}

async function reviewWrite(
  request: AdmissionRequest,
  object: JsonObject,
  dependencies: WebhookDependencies,
): Promise<ResponseBody> {
  const identity = {
    group: API_GROUP,
    kind: INFERENCE_SERVICE_TEMPLATE,
    name: nameOf(object, request),
  };
  const errors = templateFieldErrors(object);
  if (errors.length > 0) return invalid(identity, errors);
  // A CREATE matters too: a template in a service's namespace shadows the
  // system template of the same name for every service there.
  if (!dependencies.services) return allowed();
  if (!dependencies.services.isReady()) {
    return unavailable('the InferenceService cache is not synced yet; retry the request');
  }

  const namespace = namespaceOf(object, request.namespace);
  let broken: Awaited<ReturnType<typeof brokenUsers>>;
  try {
    broken = await brokenUsers(
      object as InferenceServiceTemplate,
      namespace,
      identity.name,
      dependencies,
    );
  } catch (error) {
    if (!(error instanceof ServiceReadError)) throw error;
    return unavailable(`${error.message}; retry the request`);
  }
  if (broken.failures.length === 0) return allowed(broken.warnings);
  const causes = broken.failures
    .slice(0, MAX_NAMED_USERS)
    .map((failure) =>
      fieldErrors.forbidden(
        'spec',
        `would make InferenceService "${failure.namespace}/${failure.name}" invalid: ${formatFieldError(failure.error)}`,
      ),
    );
  return invalid(identity, causes, broken.warnings);
}

export function createValidateTemplate(dependencies: WebhookDependencies): Webhook {
  return {
    path: VALIDATE_TEMPLATE_PATH,
    name: 'validate-inferenceservicetemplate',
    async review(request: AdmissionRequest): Promise<ResponseBody> {
      const rejection = checkRequest(request, INFERENCE_SERVICE_TEMPLATE, [
        'CREATE',
        'UPDATE',
        'DELETE',
      ]);
      if (rejection) return rejection;
      // On DELETE the object is null and the stored template is in oldObject.
      if (request.operation === 'DELETE') return reviewDelete(request, dependencies);
      const found = requireObject(request);
      if ('response' in found) return found.response;
      return reviewWrite(request, found.object, dependencies);
    },
  };
}
