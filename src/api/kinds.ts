// The two kinds of the API group: their names for the CRDs, and which
// definitions their spec and status use.

/** A top-level kind: its name, plural, short names and the definition of its spec. */
export interface KindDefinition {
  kind: string;
  plural: string;
  shortNames: string[];
  specDefinition: string;
  specDescription: string;
  /** The status definition, for kinds with the status subresource. */
  statusDefinition?: string;
  statusDescription?: string;
}

export const KINDS: readonly KindDefinition[] = [
  {
    kind: 'InferenceService',
    plural: 'inferenceservices',
    shortNames: ['isvc', 'is'],
    specDefinition: 'InferenceServiceSpec',
    specDescription: 'Specification of the desired behavior of the InferenceService.',
    statusDefinition: 'InferenceServiceStatus',
    statusDescription: 'Most recently observed status of the InferenceService.',
  },
  {
    kind: 'InferenceServiceTemplate',
    plural: 'inferenceservicetemplates',
    shortNames: ['ist'],
    specDefinition: 'InferenceServiceTemplateSpec',
    specDescription: 'Specification of the desired behavior of the InferenceServiceTemplate.',
  },
];

export const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object.';
export const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents.';
export const METADATA_DESCRIPTION = "Standard object's metadata.";
