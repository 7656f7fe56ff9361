// Sources of templates and of the services that use them: manifest files for a
// run without a cluster, or caches fed by a watch inside a cluster. The
// webhook cores read through these interfaces only, so either one fits.
import type {
  InferenceService,
  InferenceServiceTemplate,
  TemplateReference,
} from '../api/types.js';

export interface TemplateSource {
  /** Returns the template with that name in that namespace, if there is one. */
  getTemplate(namespace: string, name: string): InferenceServiceTemplate | undefined;
  /** False until the first full listing has been loaded. */
  isReady(): boolean;
}

/** The part of an InferenceService that template checks read: its identity and references. */
export interface ServiceReferences {
  namespace: string;
  name: string;
  templateRefs: TemplateReference[];
}

/** Services that use one template: at most `limit` of them, and how many there are. */
export interface TemplateUsers {
  total: number;
  users: ServiceReferences[];
}

export interface ServiceIndex {
  /**
   * Returns the services whose references resolve to the template
   * `namespace/name`: services in that namespace that name it and, for a
   * template in the system namespace, services in any namespace that name it
   * and have no template of that name in their own namespace. Only references
   * with group `odin.moreh.io` (or empty) and kind `InferenceServiceTemplate`
   * (or empty) count. The cost grows with the number of namespaces, not of
   * services, so `total` is cheap even for a template that 100,000 services use.
   */
  usersOf(namespace: string, name: string, limit: number): TemplateUsers;
  /**
   * Reads one whole service, for re-rendering it against a changed template.
   * The index keeps only references, so this may call the apiserver.
   */
  fetchService(namespace: string, name: string): Promise<InferenceService | undefined>;
  /** False until the first full listing has been loaded. */
  isReady(): boolean;
}
