// Builders and comparisons shared by the API tests.
import type { FieldError, FieldErrorType } from '../../src/admission/field-errors.js';

export interface Cause {
  field: string;
  type: FieldErrorType;
}

/** Reduces field errors to their field and type, sorted by field, for table comparisons. */
export function causes(errors: readonly FieldError[]): Cause[] {
  return errors
    .map(({ field, type }) => ({ field, type }))
    .sort((a, b) => a.field.localeCompare(b.field) || a.type.localeCompare(b.type));
}

export function sortedCauses(expected: Cause[]): Cause[] {
  return [...expected].sort(
    (a, b) => a.field.localeCompare(b.field) || a.type.localeCompare(b.type),
  );
}

/** Returns a valid InferenceService around the given spec. */
export function service(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceService',
    metadata: { name: 'demo', namespace: 'team-a' },
    spec,
  };
}

/** Returns a valid InferenceServiceTemplate around the given spec. */
export function template(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'odin.moreh.io/v1alpha1',
    kind: 'InferenceServiceTemplate',
    metadata: { name: 'vllm', namespace: 'mif' },
    spec,
  };
}

/** Returns a pod template with one complete container, extended by `container`. */
export function podTemplate(container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    spec: { containers: [{ name: 'main', image: 'registry.example/vllm:0.11.0', ...container }] },
  };
}
