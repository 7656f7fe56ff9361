// The odin.moreh.io/v1alpha1 API: schema validation of whole objects, the
// cross-field rules of a rendered spec, and the constants that defaulting and
// template resolution share with the generated schemas and CRDs.
export {
  compileSchemas,
  validateInferenceService,
  validateInferenceServiceTemplate,
  validateSpecSchema,
} from './validate.js';
export { validateSpecRules } from './rules.js';
export { validateRenderedSpec } from './rendered.js';
export {
  DEFAULT_REPLICAS,
  DEFAULT_SERVICE_TARGET,
  DEFAULT_TEMPLATE_GROUP,
  DEFAULT_TEMPLATE_KIND,
  FRAMEWORKS,
  SERVICE_TARGETS,
} from './definitions.js';
export * from './types.js';
