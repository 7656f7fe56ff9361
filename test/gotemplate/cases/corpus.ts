// Expressions that real runtime-base and preset templates use, executed against
// many merged specs, plus field chains through the spec's optional fields and the
// pod templates. Each spec is decoded as Go decodes it, so absent fields are nil.

import type { TemplateCase } from '../oracle.js';

export const runtimeArgs = `set -e
dp_size={{ deref .Spec "Parallelism" "Data" | default 1 }}
dp_local={{ deref .Spec "Parallelism" "DataLocal" | default (deref .Spec "Parallelism" "Data" | default 1) }}
pool="{{ if .Spec.InferencePoolRefs }}{{ (index .Spec.InferencePoolRefs 0).Name }}{{ end }}"
for ((i = 0; i < dp_local; i++)); do
  vllm serve "{{ deref .Spec "Model" "Name" }}" \\
    --tensor-parallel-size {{ deref .Spec "Parallelism" "Tensor" | default 1 }} \\
    --data-parallel-rpc-port {{ deref .Spec "Parallelism" "DataRPCPort" | default 13345 }} \\
    {{ if deref .Spec "Parallelism" "Expert" }}--enable-expert-parallel{{ end }} \\
    $(ISVC_EXTRA_ARGS) &
done
wait
`;

export const expressions: string[] = [
  runtimeArgs,
  'kv@{{ .Namespace }}/{{ .Name }}@{{ deref .Spec "Model" "Name" }}',
  '{{ deref .Spec "Model" "Name" }}',
  '--enable-expert-parallel={{ deref .Spec "Parallelism" "Expert" | default true }}',
  '--tensor-parallel-size={{ deref .Spec "Parallelism" "Tensor" | default 1 }}',
  '--max-num-batched-tokens={{ mulf (deref .Spec "Parallelism" "Tensor" | default 1) 500000 }}',
  '--int-product={{ mul (deref .Spec "Parallelism" "Tensor" | default 1) 500000 }}',
  '--workers={{ div (deref .Spec "Parallelism" "Data" | default 1) (deref .Spec "Parallelism" "DataLocal" | default 1) }}',
  '--ratio={{ divf (deref .Spec "Parallelism" "Data" | default 1) (deref .Spec "Parallelism" "DataLocal" | default 1) }}',
  '{{ .Labels.model }}',
  '{{ index .Labels "app.kubernetes.io/name" }}',
  '{{ .Spec.Model.Name }}',
  '{{ .Spec.Parallelism.Tensor }}',
  '{{ .Spec.Parallelism }}',
  '{{ .Spec.Replicas }}',
  '{{ .Spec.Framework }}',
  '{{ .Spec.Service.Target }}',
  '{{ deref .Spec "Service" "Target" }}',
  '{{ deref .Spec "Parallelism" }}',
  '{{ deref .Spec "Parallelism" "Nope" }}',
  '{{ deref .Spec "Replicas" "X" }}',
  '{{ deref .Spec "Parallelism" "Data" "X" }}',
  '{{ deref .Spec.Model "Name" }}',
  '{{ deref nil "Name" }}',
  '{{ deref .Labels "app" }}',
  '{{ deref .Spec "InferencePoolRefs" }}',
  '{{ len .Spec.InferencePoolRefs }} {{ len .Spec.TemplateRefs }}',
  '{{ range .Spec.TemplateRefs }}{{ .Name }}/{{ .Kind }}/{{ .Group }};{{ end }}',
  '{{ range $i, $r := .Spec.TemplateRefs }}{{ $i }}={{ deref $r "Kind" }} {{ end }}',
  '{{ with .Spec.Parallelism }}{{ .Data }}{{ else }}none{{ end }}',
  '{{ with deref .Spec "Parallelism" "Data" }}{{ . }}{{ else }}unset{{ end }}',
  '{{ if and .Spec.Parallelism (deref .Spec "Parallelism" "Pipeline") }}pp{{ else }}no-pp{{ end }}',
  '{{ if .Spec.Parallelism }}{{ if .Spec.Parallelism.Expert }}{{ .Spec.Parallelism.Expert }}{{ end }}{{ end }}',
  '{{ deref .Spec "Parallelism" "Tensor" | mul 2 }} {{ deref .Spec "Parallelism" "Tensor" | add1 }}',
  '{{ printf "%d" (deref .Spec "Parallelism" "Tensor" | default 1) }}',
  '{{ printf "%v-%s" .Spec.Replicas .Name }}',
  '{{ eq (deref .Spec "Framework") "vllm" }}',
  '{{ eq (deref .Spec "Parallelism" "Data" | default 0) 8 }}',
  '{{ toJson .Spec.Parallelism }} {{ toJson .Spec.Model }} {{ toJson .Labels }}',
  '{{ .Spec.Template.Spec.NodeSelector }}',
  '{{ range .Spec.Template.Spec.Containers }}{{ .Name }}:{{ .Image }} {{ end }}',
  '{{ range (index .Spec.Template.Spec.Containers 0).Env }}{{ .Name }}={{ .Value }};{{ end }}',
  '{{ (index .Spec.Template.Spec.Containers 0).Ports }}',
  '{{ range (index .Spec.Template.Spec.Containers 0).Ports }}{{ .ContainerPort }}/{{ .Protocol }} {{ end }}',
  '{{ .Spec.Template.Labels }} {{ .Spec.Template.ObjectMeta.Labels }} {{ .Spec.Template.Name }}',
  '{{ .Spec.WorkerTemplate.Spec.Containers }}',
  '{{ deref .Spec "WorkerTemplate" "Spec" "Containers" }}',
  '{{ deref .Spec "Template" "Spec" "NodeSelector" "accelerator" }}',
  '{{ deref .Spec "Template" "Spec" "RestartPolicy" }}',
  '{{ deref .Spec "Template" "Spec" "TerminationGracePeriodSeconds" }}',
  '{{ upper .Spec.Template.Spec.RestartPolicy }}',
  '{{ .Spec.Parallelism.Data | upper }}',
  '{{ .Spec.Foo }}',
  '{{ .Foo }}',
  '{{ .Spec.Model.Name.X }}',
  '{{ .Spec.InferencePoolRefs.Name }}',
  '{{ index .Spec.InferencePoolRefs 0 }}',
  '{{ keys .Labels }}',
  '{{ pick .Labels "app" }}',
  '{{ default "none" .Labels.missing }}',
  '{{ .Spec.Parallelism.Data }}',
  '{{ add .Spec.Parallelism.Data 1 }}',
  '{{ lt .Spec.Parallelism.Data 10 }}',
  '{{ .Spec.Parallelism.DataRPCPort }} {{ .Spec.Parallelism.DataLocal }}',
];

const pod = {
  metadata: { labels: { 'app.kubernetes.io/component': 'inference' }, name: 'pod' },
  spec: {
    restartPolicy: 'Always',
    nodeSelector: { accelerator: 'mi250', 'node.kubernetes.io/zone': 'a' },
    containers: [
      {
        name: 'main',
        image: 'registry.example.com/vllm:0.11.0',
        env: [
          { name: 'A', value: '1' },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        ports: [
          { name: 'http', containerPort: 8000 },
          { containerPort: 9000, protocol: 'UDP' },
        ],
      },
    ],
  },
};

const specs: Record<string, unknown>[] = [
  {},
  { replicas: 1 },
  { replicas: 0, framework: 'vllm' },
  { model: { name: 'meta-llama/Llama-3.2-1B-Instruct' }, parallelism: { tensor: 2 } },
  {
    model: { name: 'deepseek-ai/DeepSeek-R1' },
    parallelism: { data: 8, dataLocal: 8, expert: true },
  },
  { parallelism: { data: 12, dataLocal: 8, tensor: 2 }, model: { name: 'm' } },
  { parallelism: { expert: false } },
  { parallelism: { expert: true, tensor: 4 } },
  { parallelism: { pipeline: 2, dataRPCPort: 20000 } },
  { parallelism: {} },
  { inferencePoolRefs: [{ name: 'pool-a' }], model: { name: 'x' } },
  { inferencePoolRefs: [] },
  { service: { target: 'leader' }, framework: 'sglang' },
  { service: {} },
  {
    templateRefs: [
      { name: 'vllm', group: 'odin.moreh.io', kind: 'InferenceServiceTemplate' },
      { name: 'preset' },
    ],
  },
  { template: pod, replicas: 2 },
  { workerTemplate: pod, parallelism: { data: 2 } },
  { template: { spec: { containers: [] } } },
  { template: { metadata: {} } },
];

const metas = [
  { Name: 'demo', Namespace: 'team-a', Labels: { app: 'demo' } },
  { Name: 'svc', Namespace: 'mif', Labels: { model: 'demo-model', 'app.kubernetes.io/name': 'x' } },
  { Name: '', Namespace: 'default', Labels: null },
];

/** Builds cases: each expression against a few specs, the full runtime script against all. */
export function corpusCases(): TemplateCase[] {
  const cases: TemplateCase[] = [];
  specs.forEach((spec, i) => {
    const meta = metas[i % metas.length];
    cases.push({ template: runtimeArgs, context: { ...meta, Spec: spec } });
    expressions.forEach((template, j) => {
      if ((i + j) % 4 !== 0) return;
      cases.push({ template, context: { ...meta, Spec: spec } });
    });
  });
  return cases;
}
