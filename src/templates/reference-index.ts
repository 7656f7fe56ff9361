// An index from template names to the services that reference them, shared
// by the file-backed and the cluster-backed service indexes. Services are
// grouped by referenced name and then by namespace, so counting the users of
// a template costs one step per namespace, not per service.
import type { TemplateReference } from '../api/types.js';
import type { ServiceReferences, TemplateUsers } from './source.js';
import { isSupportedReference } from './references.js';

type ServiceKey = string;

function serviceKey(namespace: string, name: string): ServiceKey {
  return `${namespace}/${name}`;
}

export class ReferenceIndex {
  /** Referenced template name -> service namespace -> services naming it. */
  private readonly byTemplateName = new Map<
    string,
    Map<string, Map<ServiceKey, ServiceReferences>>
  >();
  private readonly services = new Map<ServiceKey, ServiceReferences>();

  constructor(private readonly systemNamespace: string) {}

  get size(): number {
    return this.services.size;
  }

  /** Adds or replaces a service's references. */
  put(service: ServiceReferences): void {
    this.delete(service.namespace, service.name);
    const key = serviceKey(service.namespace, service.name);
    this.services.set(key, service);
    for (const name of referencedNames(service.templateRefs)) {
      let byNamespace = this.byTemplateName.get(name);
      if (!byNamespace) this.byTemplateName.set(name, (byNamespace = new Map()));
      let users = byNamespace.get(service.namespace);
      if (!users) byNamespace.set(service.namespace, (users = new Map()));
      users.set(key, service);
    }
  }

  delete(namespace: string, name: string): void {
    const key = serviceKey(namespace, name);
    const existing = this.services.get(key);
    if (!existing) return;
    this.services.delete(key);
    for (const templateName of referencedNames(existing.templateRefs)) {
      const byNamespace = this.byTemplateName.get(templateName);
      const users = byNamespace?.get(namespace);
      users?.delete(key);
      if (users && users.size === 0) byNamespace?.delete(namespace);
      if (byNamespace && byNamespace.size === 0) this.byTemplateName.delete(templateName);
    }
  }

  /**
   * Returns the users of the template `namespace/name`. `hasLocalTemplate`
   * returns whether a namespace has its own template of that name, which then
   * shadows the system namespace's one for the services there.
   */
  usersOf(
    namespace: string,
    name: string,
    limit: number,
    hasLocalTemplate: (namespace: string) => boolean,
  ): TemplateUsers {
    const byNamespace = this.byTemplateName.get(name);
    const result: TemplateUsers = { total: 0, users: [] };
    if (!byNamespace) return result;
    const namespaces =
      namespace === this.systemNamespace
        ? [...byNamespace.keys()].filter((ns) => ns === namespace || !hasLocalTemplate(ns))
        : [namespace];
    for (const ns of namespaces.sort()) {
      const users = byNamespace.get(ns);
      if (!users) continue;
      result.total += users.size;
      for (const user of users.values()) {
        if (result.users.length >= limit) break;
        result.users.push(user);
      }
    }
    return result;
  }
}

function referencedNames(references: readonly TemplateReference[]): Set<string> {
  const names = new Set<string>();
  for (const reference of references) {
    if (isSupportedReference(reference) && typeof reference.name === 'string') {
      names.add(reference.name);
    }
  }
  return names;
}
