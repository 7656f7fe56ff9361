// InferenceServices of the whole cluster, reduced to their namespace, name
// and templateRefs, so memory grows with references and not with pod
// templates. The users of a template come from a ReferenceIndex, whose cost
// grows with the namespaces that reference a name, not with all services.
import type { InferenceService } from '../api/types.js';
import type { JsonObject } from '../admission/review.js';
import { ReferenceIndex } from '../templates/reference-index.js';
import { templateReferencesOf } from '../templates/references.js';
import type {
  ServiceIndex,
  ServiceReferences,
  TemplateSource,
  TemplateUsers,
} from '../templates/source.js';
import type { ReflectorStore } from './reflector.js';

/** Reads one whole service; undefined when it does not exist. */
export type ServiceFetcher = (
  namespace: string,
  name: string,
) => Promise<InferenceService | undefined>;

/** Returns the references of a service object, or undefined when it has no namespace and name. */
export function decodeServiceReferences(object: JsonObject): ServiceReferences | undefined {
  const service = object as InferenceService;
  const namespace = service.metadata?.namespace;
  const name = service.metadata?.name;
  if (typeof namespace !== 'string' || typeof name !== 'string') return undefined;
  // Copies only name, group and kind, so the rest of the object can be freed.
  const templateRefs = templateReferencesOf(service.spec).map(({ name, group, kind }) => ({
    name,
    group,
    kind,
  }));
  return { namespace, name, templateRefs };
}

export class ClusterServiceIndex implements ServiceIndex, ReflectorStore<ServiceReferences> {
  private index: ReferenceIndex;
  private listed = false;

  constructor(
    private readonly systemNamespace: string,
    private readonly templates: TemplateSource,
    private readonly fetcher: ServiceFetcher,
  ) {
    this.index = new ReferenceIndex(systemNamespace);
  }

  /** Number of services held, for logs and tests. */
  get size(): number {
    return this.index.size;
  }

  usersOf(namespace: string, name: string, limit: number): TemplateUsers {
    // A namespace's own template of that name shadows the system namespace's.
    const hasLocalTemplate = (ns: string): boolean =>
      this.templates.getTemplate(ns, name) !== undefined;
    return this.index.usersOf(namespace, name, limit, hasLocalTemplate);
  }

  fetchService(namespace: string, name: string): Promise<InferenceService | undefined> {
    return this.fetcher(namespace, name);
  }

  /** True once services and templates are both listed, because shadowing reads templates. */
  isReady(): boolean {
    return this.listed && this.templates.isReady();
  }

  replace(items: ServiceReferences[]): void {
    const index = new ReferenceIndex(this.systemNamespace);
    for (const service of items) index.put(service);
    this.index = index;
    this.listed = true;
  }

  upsert(service: ServiceReferences): void {
    this.index.put(service);
  }

  remove(service: ServiceReferences): void {
    this.index.delete(service.namespace, service.name);
  }
}
