{{/* The release's full name: the release name alone when it already names the chart. */}}
{{- define "atrium-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the operator pods; never change them after an install (selectors are immutable). */}}
{{- define "atrium-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object the chart renders. */}}
{{- define "atrium-operator.labels" -}}
{{ include "atrium-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: atrium
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.extraLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Metadata annotations on every object the chart renders (nothing when none are set). */}}
{{- define "atrium-operator.annotations" -}}
{{- with .Values.extraAnnotations }}
annotations:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "atrium-operator.serviceAccountName" -}}
{{- default (include "atrium-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The operator image: global.imageRegistry wins over image.registry; a digest pins it. */}}
{{- define "atrium-operator.image" -}}
{{- $registry := .Values.global.imageRegistry | default .Values.image.registry | trimSuffix "/" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s/%s@%s" $registry .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Registry of the platforms' component images: global.imageRegistry wins. */}}
{{- define "atrium-operator.platformRegistry" -}}
{{- .Values.global.imageRegistry | default .Values.platformImageRegistry | trimSuffix "/" -}}
{{- end -}}

{{/* "true" when a prometheus-operator object is to be rendered: asked for, or "auto" and the API is served. */}}
{{- define "atrium-operator.monitoringEnabled" -}}
{{- $setting := index . 0 -}}
{{- $kind := index . 1 -}}
{{- $root := index . 2 -}}
{{- if eq (toString $setting) "true" -}}
true
{{- else if and (eq (toString $setting) "auto") ($root.Capabilities.APIVersions.Has (printf "monitoring.coreos.com/v1/%s" $kind)) -}}
true
{{- end -}}
{{- end -}}
