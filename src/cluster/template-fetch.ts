// Reads the templates that some services reference straight from the
// apiserver, with the caller's own credentials, for the `render` and
// `validate` commands. Each reference is looked up where resolution would
// look: the service's namespace and the system namespace. No list or watch
// rights are needed, only `get` on those two namespaces.
import type { InferenceService, InferenceServiceTemplate } from '../api/types.js';
import { API_GROUP, API_VERSION } from '../api/types.js';
import { MemoryTemplateSource } from '../templates/memory-source.js';
import { isSupportedReference, templateReferencesOf } from '../templates/references.js';
import { searchedNamespaces } from '../templates/resolve.js';
import { ApiClient, ApiError } from './api-client.js';

function templatePath(namespace: string, name: string): string {
  const encoded = `${encodeURIComponent(namespace)}/inferenceservicetemplates/${encodeURIComponent(name)}`;
  return `/apis/${API_GROUP}/${API_VERSION}/namespaces/${encoded}`;
}

/** GETs one template; undefined for 404. Other failures name the template and the apiserver's reason. */
export async function fetchTemplate(
  client: ApiClient,
  namespace: string,
  name: string,
): Promise<InferenceServiceTemplate | undefined> {
  try {
    return (await client.getJson(templatePath(namespace, name))) as InferenceServiceTemplate;
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 404) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read InferenceServiceTemplate "${namespace}/${name}": ${reason}`);
  }
}

/**
 * Returns a source holding every template that the services' references
 * could resolve to. `namespaceOf` gives the namespace each service lives in.
 */
export async function fetchReferencedTemplates(
  client: ApiClient,
  services: readonly InferenceService[],
  namespaceOf: (service: InferenceService) => string,
  systemNamespace: string,
): Promise<MemoryTemplateSource> {
  const lookups = new Map<string, { namespace: string; name: string }>();
  for (const service of services) {
    for (const reference of templateReferencesOf(service.spec)) {
      if (
        !isSupportedReference(reference) ||
        typeof reference.name !== 'string' ||
        reference.name === ''
      )
        continue;
      for (const namespace of searchedNamespaces(namespaceOf(service), systemNamespace)) {
        lookups.set(`${namespace}/${reference.name}`, { namespace, name: reference.name });
      }
    }
  }

  const source = new MemoryTemplateSource(systemNamespace);
  const fetched = await Promise.all(
    [...lookups.values()].map(({ namespace, name }) => fetchTemplate(client, namespace, name)),
  );
  for (const template of fetched) {
    if (template) source.put(template);
  }
  return source;
}
