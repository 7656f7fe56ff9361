// Cross-field rules of an InferenceService spec, checked on the rendered spec
// (templates merged, expressions rendered, defaults applied) because a
// template or a service's own spec may be a partial overlay. Each error sits on
// the field a user would change, and its detail names the other field involved.
import { FieldPath, fieldErrors, type FieldError } from '../admission/field-errors.js';

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function own(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Checks which pod templates are set and how they fit the parallelism settings. */
function checkParallelism(spec: JsonRecord, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const hasTemplate = isSet(own(spec, 'template'));
  const hasWorkerTemplate = isSet(own(spec, 'workerTemplate'));
  const parallelismValue = own(spec, 'parallelism');
  const parallelism = isRecord(parallelismValue) ? parallelismValue : {};
  const parallelismPath = path.child('parallelism');
  const data = own(parallelism, 'data');
  const dataLocal = own(parallelism, 'dataLocal');
  const pipeline = own(parallelism, 'pipeline');

  if (!hasTemplate && !hasWorkerTemplate) {
    errors.push(
      fieldErrors.required(path, 'at least one of `template` and `workerTemplate` must be set'),
    );
  }
  if (hasWorkerTemplate && !isSet(data) && !isSet(pipeline)) {
    const detail = '`data` or `pipeline` must be set when `workerTemplate` is set';
    errors.push(fieldErrors.required(parallelismPath, detail));
  }
  if (isSet(data) && isSet(pipeline)) {
    errors.push(
      fieldErrors.forbidden(parallelismPath, '`data` and `pipeline` are mutually exclusive'),
    );
  }
  if (isSet(dataLocal) && !isSet(data)) {
    errors.push(
      fieldErrors.required(parallelismPath.child('data'), 'must be set when `dataLocal` is set'),
    );
  }
  if (isPositiveInteger(data) && isPositiveInteger(dataLocal) && data % dataLocal !== 0) {
    const detail = `must divide \`data\` (${data}) evenly, because a group runs \`data / dataLocal\` worker pods`;
    errors.push(fieldErrors.invalid(parallelismPath.child('dataLocal'), dataLocal, detail));
  }
  return errors;
}

function isMissingString(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Checks that a container has a name, an image, and port names unique within it. */
function checkContainer(container: JsonRecord, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  if (isMissingString(own(container, 'name')))
    errors.push(fieldErrors.required(path.child('name')));
  if (isMissingString(own(container, 'image')))
    errors.push(fieldErrors.required(path.child('image')));

  const ports = own(container, 'ports');
  if (!Array.isArray(ports)) return errors;
  const portNames = new Set<string>();
  ports.forEach((port: unknown, index) => {
    const name = isRecord(port) ? own(port, 'name') : undefined;
    if (typeof name !== 'string' || name === '') return;
    if (portNames.has(name)) {
      errors.push(fieldErrors.duplicate(path.child('ports').index(index).child('name'), name));
    }
    portNames.add(name);
  });
  return errors;
}

/**
 * Checks that a pod template has at least one container and that every
 * container and init container is complete. Names must be unique across both
 * lists, as the apiserver requires of a pod.
 */
function checkPodTemplate(template: JsonRecord, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  const specPath = path.child('spec');
  const podSpecValue = own(template, 'spec');
  const podSpec = isRecord(podSpecValue) ? podSpecValue : {};
  const containers = own(podSpec, 'containers');
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push(
      fieldErrors.required(specPath.child('containers'), 'must have at least one container'),
    );
  }

  const containerNames = new Set<string>();
  for (const listName of ['initContainers', 'containers']) {
    const list = own(podSpec, listName);
    if (!Array.isArray(list)) continue;
    list.forEach((container: unknown, index) => {
      if (!isRecord(container)) return;
      const containerPath = specPath.child(listName).index(index);
      errors.push(...checkContainer(container, containerPath));
      const name = own(container, 'name');
      if (typeof name !== 'string' || name === '') return;
      if (containerNames.has(name))
        errors.push(fieldErrors.duplicate(containerPath.child('name'), name));
      containerNames.add(name);
    });
  }
  return errors;
}

/**
 * Checks the cross-field rules on a rendered spec. A pod template must be set,
 * and `workerTemplate` needs `data` or `pipeline`, which exclude each other.
 * `data` must be a multiple of `dataLocal`. Every container needs a name and
 * an image, and port names must be unique within a container. `path` is where
 * the spec sits, such as `status.renderedSpec`. Values of the wrong type are
 * left to schema validation.
 */
export function validateSpecRules(spec: unknown, path = 'spec'): FieldError[] {
  const root = FieldPath.root(path);
  if (!isSet(spec)) return checkParallelism({}, root);
  if (!isRecord(spec)) return [];

  const errors = checkParallelism(spec, root);
  for (const name of ['template', 'workerTemplate']) {
    const template = own(spec, name);
    if (isRecord(template)) errors.push(...checkPodTemplate(template, root.child(name)));
  }
  return errors;
}
