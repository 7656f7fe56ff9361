// Validation of a rendered spec: the schema and the cross-field rules together,
// which is what a spec must pass once its templates are merged and rendered.
import type { FieldError } from '../admission/field-errors.js';
import { validateSpecRules } from './rules.js';
import { validateSpecSchema } from './validate.js';

/**
 * Validates a rendered spec against the InferenceServiceSpec schema and the
 * cross-field rules, reporting fields under `path`. A cause that both report,
 * such as a container without a name, appears once.
 */
export function validateRenderedSpec(spec: unknown, path = 'spec'): FieldError[] {
  const errors = validateSpecSchema(spec, path);
  const reported = new Set(errors.map((error) => `${error.type} ${error.field}`));
  for (const error of validateSpecRules(spec, path)) {
    if (!reported.has(`${error.type} ${error.field}`)) errors.push(error);
  }
  return errors;
}
