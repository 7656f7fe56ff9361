// TypeScript shapes of the odin.moreh.io/v1alpha1 objects, as they arrive in
// admission requests. Every field is optional because a request may carry any
// JSON at all: validation decides what is acceptable.
import type { JsonObject } from '../admission/review.js';

export const API_GROUP = 'odin.moreh.io';
export const API_VERSION = 'v1alpha1';
export const INFERENCE_SERVICE = 'InferenceService';
export const INFERENCE_SERVICE_TEMPLATE = 'InferenceServiceTemplate';

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  resourceVersion?: string;
  [key: string]: unknown;
}

export interface TemplateReference {
  group?: string;
  kind?: string;
  name?: string;
}

export interface Parallelism {
  data?: number;
  dataLocal?: number;
  dataRPCPort?: number;
  expert?: boolean;
  pipeline?: number;
  tensor?: number;
}

export interface InferenceServiceTemplateSpec {
  framework?: string;
  model?: { name?: string };
  parallelism?: Parallelism;
  service?: { target?: string };
  template?: JsonObject;
  workerTemplate?: JsonObject;
}

export interface InferenceServiceSpec extends InferenceServiceTemplateSpec {
  inferencePoolRefs?: Array<{ name?: string }>;
  replicas?: number;
  templateRefs?: TemplateReference[];
}

export interface InferenceService {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: InferenceServiceSpec;
  status?: JsonObject & { renderedSpec?: InferenceServiceSpec };
}

export interface InferenceServiceTemplate {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: InferenceServiceTemplateSpec;
}
