// InferenceServiceTemplates of the whole cluster, kept in memory by a
// reflector. Templates are small and few, so whole objects are kept (less
// their managedFields, which the webhook never reads).
import type { InferenceServiceTemplate } from '../api/types.js';
import type { JsonObject } from '../admission/review.js';
import type { TemplateSource } from '../templates/source.js';
import type { ReflectorStore } from './reflector.js';

function templateKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Returns the template without its managedFields, or undefined when it has no namespace and name. */
export function decodeTemplate(object: JsonObject): InferenceServiceTemplate | undefined {
  const template = object as InferenceServiceTemplate;
  const metadata = template.metadata;
  if (typeof metadata?.name !== 'string' || typeof metadata.namespace !== 'string')
    return undefined;
  if (!('managedFields' in metadata)) return template;
  const { managedFields: _dropped, ...rest } = metadata;
  return { ...template, metadata: rest };
}

export class ClusterTemplateSource
  implements TemplateSource, ReflectorStore<InferenceServiceTemplate>
{
  private templates = new Map<string, InferenceServiceTemplate>();
  private listed = false;

  getTemplate(namespace: string, name: string): InferenceServiceTemplate | undefined {
    return this.templates.get(templateKey(namespace, name));
  }

  /** Number of templates held, for logs and tests. */
  get size(): number {
    return this.templates.size;
  }

  isReady(): boolean {
    return this.listed;
  }

  replace(items: InferenceServiceTemplate[]): void {
    const templates = new Map<string, InferenceServiceTemplate>();
    for (const template of items) templates.set(keyOf(template), template);
    this.templates = templates;
    this.listed = true;
  }

  upsert(template: InferenceServiceTemplate): void {
    this.templates.set(keyOf(template), template);
  }

  remove(template: InferenceServiceTemplate): void {
    this.templates.delete(keyOf(template));
  }
}

/** Only decoded templates reach the store, so both names are present. */
function keyOf(template: InferenceServiceTemplate): string {
  return templateKey(template.metadata?.namespace ?? '', template.metadata?.name ?? '');
}
