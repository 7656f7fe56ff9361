{{/* Chart name, or nameOverride. */}}
{{- define "odin-webhook.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every resource name, at most 63 characters because it is also the
Service name (a DNS label). A release name that already contains the chart
name is used alone, so "odin-webhook" does not become "odin-webhook-odin-webhook".
*/}}
{{- define "odin-webhook.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "odin-webhook.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "odin-webhook.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "odin-webhook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the webhook pods; they must not change between upgrades. */}}
{{- define "odin-webhook.selectorLabels" -}}
app.kubernetes.io/name: {{ include "odin-webhook.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "odin-webhook.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "odin-webhook.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference: repository@digest when a digest is set, else repository:tag. */}}
{{- define "odin-webhook.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Secret that holds the serving certificate (tls.crt, tls.key) mounted into the pods. */}}
{{- define "odin-webhook.tlsSecretName" -}}
{{- if eq .Values.certificates.mode "secret" }}
{{- required "certificates.secret.name is required when certificates.mode is secret" .Values.certificates.secret.name }}
{{- else }}
{{- printf "%s-tls" (include "odin-webhook.fullname" .) }}
{{- end }}
{{- end }}

{{/* DNS names by which the apiserver reaches the webhook Service. */}}
{{- define "odin-webhook.serviceDNSNames" -}}
{{- $service := include "odin-webhook.fullname" . }}
{{- $namespace := .Release.Namespace }}
- {{ $service }}
- {{ printf "%s.%s" $service $namespace }}
- {{ printf "%s.%s.svc" $service $namespace }}
- {{ printf "%s.%s.svc.cluster.local" $service $namespace }}
{{- end }}

{{/*
Namespaces left out of every webhook: the configured list plus, unless turned
off, the release namespace. Returns a YAML list, possibly empty.
*/}}
{{- define "odin-webhook.excludedNamespaces" -}}
{{- $namespaces := .Values.webhook.excludedNamespaces }}
{{- if .Values.webhook.excludeReleaseNamespace }}
{{- $namespaces = append $namespaces .Release.Namespace }}
{{- end }}
{{- toYaml (uniq $namespaces) }}
{{- end }}

{{/*
clientConfig of one webhook. Takes a dict with root (the top-level context),
path (the server's URL path) and caBundle (base64 PEM, or empty to leave it
to cert-manager's cainjector or to the apiserver's trust roots).
*/}}
{{- define "odin-webhook.clientConfig" -}}
{{- $values := .root.Values }}
{{- if $values.webhook.url }}
url: {{ printf "%s%s" (trimSuffix "/" $values.webhook.url) .path | quote }}
{{- else }}
service:
  name: {{ include "odin-webhook.fullname" .root }}
  namespace: {{ .root.Release.Namespace }}
  path: {{ .path }}
  port: {{ $values.service.port }}
{{- end }}
{{- with .caBundle }}
caBundle: {{ . }}
{{- end }}
{{- end }}

{{/*
Settings that the three webhooks share. The NotIn selector is omitted when no
namespace is excluded, because NotIn requires at least one value.
*/}}
{{- define "odin-webhook.commonWebhookFields" -}}
{{- $excluded := include "odin-webhook.excludedNamespaces" . | fromYamlArray }}
failurePolicy: {{ .Values.webhook.failurePolicy }}
sideEffects: None
admissionReviewVersions:
  - v1
timeoutSeconds: {{ .Values.webhook.timeoutSeconds }}
matchPolicy: Equivalent
{{- if $excluded }}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        {{- toYaml $excluded | nindent 8 }}
{{- else }}
namespaceSelector: {}
{{- end }}
{{- end }}
