// Where templates and their users come from: YAML files for a cluster-less
// run, or caches fed by a watch inside a cluster. The webhook cores read
// through these interfaces only, so they never know which one they have.
import type { InferenceService, InferenceServiceTemplate, TemplateReference } from '../api/types.js';

export interface TemplateSource {
  /** Returns the template with that name in that namespace, if there is one. */
  getTemplate(namespace: string, name: string): InferenceServiceTemplate | undefined;
  /** False until the first full listing has been loaded. */
  isReady(): boolean;
}

/** What the template checks need of an InferenceService: who it is and what it references. */
export interface ServiceReferences {
  namespace: string;
  name: string;
  templateRefs: TemplateReference[];
}

export interface ServiceIndex {
  /**
   * Returns the services whose references resolve to the template
   * `namespace/name` in `systemNamespace` semantics: a service in the same
   * namespace that names it, or, for a template in the system namespace, a
   * service in any namespace that names it and has no local template of
   * that name.
   */
  usersOf(namespace: string, name: string): ServiceReferences[];
  /**
   * Reads one whole service, for re-rendering it against a changed template.
   * The index keeps only references, so this may call the apiserver.
   */
  fetchService(namespace: string, name: string): Promise<InferenceService | undefined>;
  /** False until the first full listing has been loaded. */
  isReady(): boolean;
}
