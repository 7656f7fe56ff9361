// Objects the benchmark sends and caches: two templates of about 8 KB for a
// service with two references, services sized by their env list, filler
// templates, and folders of generated services that reference `vllm`.
// Everything is built from code, so a run needs nothing but the examples.
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const SYSTEM_NAMESPACE = 'mif';
export const RUNTIME_TEMPLATE = 'bench-runtime';
export const PRESET_TEMPLATE = 'bench-preset';
const API_VERSION = 'odin.moreh.io/v1alpha1';
const EXAMPLE_TEMPLATES = new URL('../examples/templates/', import.meta.url).pathname;

type Json = Record<string, unknown>;

/** Env entries of equal length, so a size target maps to an entry count. */
function envList(prefix: string, count: number, valueLength = 40): Json[] {
  const entries: Json[] = [];
  for (let i = 0; i < count; i++) {
    const index = String(i).padStart(6, '0');
    entries.push({ name: `${prefix}_${index}`, value: `v${index}`.padEnd(valueLength, 'x') });
  }
  return entries;
}

/** Builds a runtime base like examples/templates/vllm.yaml, padded with env entries. */
function runtimeTemplateSpec(): Json {
  const args =
    'set -e\nexec vllm serve "{{ deref .Spec "Model" "Name" }}" \\\n' +
    '  --port 8000 \\\n' +
    '  --tensor-parallel-size {{ deref .Spec "Parallelism" "Tensor" | default 1 }} \\\n' +
    '  {{ if deref .Spec "Parallelism" "Expert" }}--enable-expert-parallel{{ end }} \\\n' +
    '  $(ISVC_EXTRA_ARGS)\n';
  const env = [
    { name: 'ISVC_EXTRA_ARGS', value: '--disable-uvicorn-access-log' },
    { name: 'SERVED_MODEL_NAME', value: '{{ deref .Spec "Model" "Name" }}' },
    { name: 'SERVICE_NAME', value: '{{ .Name }}.{{ .Namespace }}' },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ...envList('RUNTIME', 60),
  ];
  const container = {
    name: 'main',
    image: 'registry.example.com/inference/vllm:0.11.0',
    command: ['/bin/bash', '-c'],
    args: [args],
    env,
    ports: [{ name: 'http', containerPort: 8000 }],
    readinessProbe: { httpGet: { path: '/health', port: 8000 }, periodSeconds: 10 },
    volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
  };
  return {
    framework: 'vllm',
    template: {
      metadata: { labels: { 'app.kubernetes.io/component': 'inference' } },
      spec: {
        imagePullSecrets: [{ name: 'registry-credentials' }],
        containers: [container],
        volumes: [{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } }],
      },
    },
  };
}

/** Builds a model preset like examples/templates/preset-llama-3.2-1b-tp2.yaml, padded with env entries. */
function presetTemplateSpec(): Json {
  const container = {
    name: 'main',
    env: [{ name: 'ISVC_EXTRA_ARGS', value: '--max-model-len 8192' }, ...envList('PRESET', 30)],
    resources: { limits: { 'amd.com/gpu': '2' }, requests: { 'amd.com/gpu': '2' } },
  };
  return {
    model: { name: 'meta-llama/Llama-3.2-1B-Instruct' },
    parallelism: { tensor: 2 },
    template: {
      spec: {
        containers: [container],
        nodeSelector: { 'accelerator.example.com/model': 'mi250' },
        tolerations: [{ key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      },
    },
  };
}

function templateObject(name: string, spec: Json): Json {
  const metadata = { name, namespace: SYSTEM_NAMESPACE };
  return { apiVersion: API_VERSION, kind: 'InferenceServiceTemplate', metadata, spec };
}

/** Returns the two templates of the service with references, and the JSON size of their specs in bytes. */
export function referencedTemplates(): { templates: Json[]; specBytes: number } {
  const templates = [
    templateObject(RUNTIME_TEMPLATE, runtimeTemplateSpec()),
    templateObject(PRESET_TEMPLATE, presetTemplateSpec()),
  ];
  const specBytes = templates.reduce((sum, t) => sum + JSON.stringify(t.spec).length, 0);
  return { templates, specBytes };
}

/** Builds a service that references the runtime and the preset and overrides env on `main`. */
export function referencingService(envCount: number): Json {
  const container = { name: 'main', env: envList('SERVICE', envCount) };
  return {
    apiVersion: API_VERSION,
    kind: 'InferenceService',
    metadata: {
      name: 'llama-tp2',
      namespace: 'team-a',
      labels: { 'mif.moreh.io/aigateway': 'mif' },
    },
    spec: {
      replicas: 2,
      templateRefs: [{ name: RUNTIME_TEMPLATE }, { name: PRESET_TEMPLATE }],
      template: { spec: { containers: [container] } },
    },
  };
}

/** Builds a service that needs no template, whose size grows with `envCount`. */
export function selfContainedService(envCount: number): Json {
  const container = {
    name: 'main',
    image: 'registry.example.com/inference/sglang:0.5.0',
    args: ['--model-path', 'Qwen/Qwen3-0.6B'],
    // Long values keep a 1 MiB object under the webhook's 10,000 items per
    // list, past which it rejects the list without validating its items.
    env: envList('APP', envCount, 120),
  };
  return {
    apiVersion: API_VERSION,
    kind: 'InferenceService',
    metadata: { name: 'self-contained', namespace: 'team-a' },
    spec: {
      framework: 'sglang',
      model: { name: 'Qwen/Qwen3-0.6B' },
      template: { spec: { containers: [container] } },
    },
  };
}

/**
 * Returns the env count at which `size(count)` reaches `targetBytes`, for a
 * size in bytes that grows linearly with the count.
 */
export function envCountFor(targetBytes: number, size: (count: number) => number): number {
  const base = size(0);
  const perEntry = (size(100) - base) / 100;
  return Math.max(0, Math.ceil((targetBytes - base) / perEntry));
}

/** Writes the example templates, the two bench templates and fillers up to `count` in all, one per file. */
export async function writeTemplateFolder(directory: string, count: number): Promise<void> {
  await mkdir(directory, { recursive: true });
  const examples = (await readdir(EXAMPLE_TEMPLATES)).filter((name) => /\.ya?ml$/.test(name));
  for (const name of examples) await copyFile(join(EXAMPLE_TEMPLATES, name), join(directory, name));

  const { templates } = referencedTemplates();
  for (const template of templates) {
    const name = (template.metadata as Json).name as string;
    await writeFile(join(directory, `${name}.yaml`), stringify(template));
  }
  const fillers = Math.max(0, count - examples.length - templates.length);
  const preset = presetTemplateSpec();
  for (let i = 0; i < fillers; i++) {
    const name = `bench-filler-${String(i).padStart(6, '0')}`;
    await writeFile(join(directory, `${name}.yaml`), stringify(templateObject(name, preset)));
  }
}

/**
 * The format of generated service files. JSON is what the webhook reads from
 * the apiserver in a cluster; YAML is what people write.
 */
export type ServiceFormat = 'json' | 'yaml';

/** Returns a generated service as one JSON text, as the apiserver lists it. */
function serviceJson(index: number, namespace: string): string {
  const name = `svc-${String(index).padStart(6, '0')}`;
  const secret = { secretKeyRef: { name: 'hf-token', key: 'token' } };
  return JSON.stringify({
    apiVersion: API_VERSION,
    kind: 'InferenceService',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      templateRefs: [{ name: 'vllm' }, { name: 'preset-llama-3.2-1b-tp2' }],
      template: {
        spec: { containers: [{ name: 'main', env: [{ name: 'HF_TOKEN', valueFrom: secret }] }] },
      },
    },
  });
}

function serviceYaml(index: number, namespace: string): string {
  const name = `svc-${String(index).padStart(6, '0')}`;
  return `apiVersion: ${API_VERSION}
kind: InferenceService
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  templateRefs:
    - name: vllm
    - name: preset-llama-3.2-1b-tp2
  template:
    spec:
      containers:
        - name: main
          env:
            - name: HF_TOKEN
              valueFrom:
                secretKeyRef:
                  name: hf-token
                  key: token
`;
}

/**
 * Writes `count` services, one per file, spread over at most 100 namespaces,
 * each referencing `vllm` and a preset from the system namespace.
 */
export async function writeServiceFolder(
  directory: string,
  count: number,
  format: ServiceFormat = 'json',
): Promise<void> {
  await mkdir(directory, { recursive: true });
  const namespaces = Math.max(1, Math.min(count, 100));
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const namespace = `team-${String(i % namespaces).padStart(3, '0')}`;
    const file = join(directory, `svc-${String(i).padStart(6, '0')}.${format}`);
    const text = format === 'json' ? serviceJson(i, namespace) : serviceYaml(i, namespace);
    batch.push(writeFile(file, text));
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}
