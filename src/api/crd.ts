// Builds the apiextensions.k8s.io/v1 CustomResourceDefinition of each kind
// from the same schema documents the validator uses. A CRD schema must be
// structural and self-contained, so every `$ref` is inlined and each keyword
// that CRDs do not support is rewritten or dropped (see toStructural).
import { toStructural } from './crd-structural.js';
import { API_VERSION_DESCRIPTION, KIND_DESCRIPTION, KINDS, type KindDefinition } from './kinds.js';
import type { Schema } from './schema.js';
import type { SchemaDocument } from './json-schema.js';
import { API_GROUP, API_VERSION } from './types.js';

/** Category for `kubectl get odin`, which lists both kinds. */
export const CATEGORIES = ['odin'];

interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
}

const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
};

/**
 * A service usually takes its framework and model from templates, so its
 * columns show the rendered spec that the webhook records in its status.
 */
const PRINTER_COLUMNS: Record<string, PrinterColumn[]> = {
  InferenceService: [
    { name: 'Framework', type: 'string', jsonPath: '.status.renderedSpec.framework' },
    { name: 'Model', type: 'string', jsonPath: '.status.renderedSpec.model.name' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
    AGE_COLUMN,
  ],
  InferenceServiceTemplate: [
    { name: 'Framework', type: 'string', jsonPath: '.spec.framework' },
    { name: 'Model', type: 'string', jsonPath: '.spec.model.name' },
    AGE_COLUMN,
  ],
};

/** Options that the generator measures the CRDs with. */
export interface CrdOptions {
  /**
   * Keeps `status.renderedSpec` as an open object instead of the full spec
   * schema, for when four inlined pod templates make the CRD too large.
   */
  openRenderedSpec: boolean;
}

/** Tells `kubectl explain` readers why the rendered spec has no schema in the CRD. */
const OPEN_RENDERED_SPEC_NOTE =
  'Its schema is left out of the CRD, which would otherwise repeat both pod templates and ' +
  'outgrow the size that kubectl apply can store; the admission webhook writes and validates it.';

function rootSchema(kind: KindDefinition, document: SchemaDocument, options: CrdOptions): Schema {
  const properties: Record<string, Schema> = {
    apiVersion: { type: 'string', description: API_VERSION_DESCRIPTION },
    kind: { type: 'string', description: KIND_DESCRIPTION },
    // The apiserver validates metadata itself and rejects a CRD whose root
    // `metadata` schema declares anything but its type (even a description).
    metadata: { type: 'object' },
    spec: toStructural(document.properties?.spec ?? {}, document.$defs),
  };
  const status = document.properties?.status;
  if (status) {
    const statusSchema = toStructural(status, document.$defs);
    if (options.openRenderedSpec && statusSchema.properties?.renderedSpec) {
      const description = statusSchema.properties.renderedSpec.description ?? '';
      statusSchema.properties.renderedSpec = {
        type: 'object',
        description: `${description} ${OPEN_RENDERED_SPEC_NOTE}`,
        'x-kubernetes-preserve-unknown-fields': true,
      };
    }
    properties.status = statusSchema;
  }
  return { type: 'object', properties };
}

function subresources(kind: KindDefinition): Record<string, unknown> | undefined {
  if (!kind.statusDefinition) return undefined;
  return {
    status: {},
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.hpaPodSelector',
    },
  };
}

/** Builds the CRD manifest of one kind. */
export function buildCrd(
  kind: KindDefinition,
  document: SchemaDocument,
  options: CrdOptions,
): Record<string, unknown> {
  const version: Record<string, unknown> = {
    name: API_VERSION,
    served: true,
    storage: true,
    schema: { openAPIV3Schema: rootSchema(kind, document, options) },
  };
  const resources = subresources(kind);
  if (resources) version.subresources = resources;
  version.additionalPrinterColumns = PRINTER_COLUMNS[kind.kind];

  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${API_GROUP}` },
    spec: {
      group: API_GROUP,
      names: {
        kind: kind.kind,
        listKind: `${kind.kind}List`,
        plural: kind.plural,
        singular: kind.kind.toLowerCase(),
        shortNames: kind.shortNames,
        categories: CATEGORIES,
      },
      scope: 'Namespaced',
      versions: [version],
    },
  };
}

/** Builds the CRD of every kind, keyed by kind. */
export function buildCrds(
  documents: Record<string, SchemaDocument>,
  options: CrdOptions,
): Record<string, Record<string, unknown>> {
  const crds: Record<string, Record<string, unknown>> = {};
  for (const kind of KINDS) crds[kind.kind] = buildCrd(kind, documents[kind.kind], options);
  return crds;
}
