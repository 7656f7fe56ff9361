// In-memory template source and service index, filled from files or tests.
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { ReferenceIndex } from './reference-index.js';
import { templateReferencesOf } from './references.js';
import type { ServiceIndex, TemplateSource, TemplateUsers } from './source.js';

export class MemoryTemplateSource implements TemplateSource {
  private readonly templates = new Map<string, InferenceServiceTemplate>();

  constructor(private readonly defaultNamespace: string) {}

  put(template: InferenceServiceTemplate): void {
    const name = template.metadata?.name;
    if (typeof name !== 'string' || name === '') return;
    const namespace = template.metadata?.namespace ?? this.defaultNamespace;
    this.templates.set(`${namespace}/${name}`, template);
  }

  delete(namespace: string, name: string): void {
    this.templates.delete(`${namespace}/${name}`);
  }

  getTemplate(namespace: string, name: string): InferenceServiceTemplate | undefined {
    return this.templates.get(`${namespace}/${name}`);
  }

  list(): InferenceServiceTemplate[] {
    return [...this.templates.values()];
  }

  isReady(): boolean {
    return true;
  }
}

export class MemoryServiceIndex implements ServiceIndex {
  private readonly index: ReferenceIndex;
  private readonly services = new Map<string, InferenceService>();

  constructor(
    systemNamespace: string,
    private readonly templates: TemplateSource,
    private readonly defaultNamespace: string,
  ) {
    this.index = new ReferenceIndex(systemNamespace);
  }

  put(service: InferenceService): void {
    const name = service.metadata?.name;
    if (typeof name !== 'string' || name === '') return;
    const namespace = service.metadata?.namespace ?? this.defaultNamespace;
    this.services.set(`${namespace}/${name}`, service);
    this.index.put({ namespace, name, templateRefs: templateReferencesOf(service.spec) });
  }

  delete(namespace: string, name: string): void {
    this.services.delete(`${namespace}/${name}`);
    this.index.delete(namespace, name);
  }

  usersOf(namespace: string, name: string, limit: number): TemplateUsers {
    return this.index.usersOf(
      namespace,
      name,
      limit,
      (ns) => this.templates.getTemplate(ns, name) !== undefined,
    );
  }

  fetchService(namespace: string, name: string): Promise<InferenceService | undefined> {
    return Promise.resolve(this.services.get(`${namespace}/${name}`));
  }

  isReady(): boolean {
    return true;
  }
}
