{{/*
A stateless service: Deployment, Service and PodDisruptionBudget.
(dict "root" $ "component" "metrics" "port" 8082 "values" .Values.metrics "env" list-yaml "volumes" yaml "mounts" yaml)
*/}}
{{- define "kafka-train.statelessService" -}}
{{- $root := .root -}}
{{- $name := printf "%s-%s" (include "kafka-train.fullname" $root) .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "kafka-train.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  replicas: {{ .values.replicas }}
  selector:
    matchLabels:
      {{- include "kafka-train.selector" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "kafka-train.selector" (dict "root" $root "component" .component) | nindent 8 }}
    spec:
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      {{- with $root.Values.image.pullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "kafka-train.image" (dict "root" $root "repository" .values.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - {name: http, containerPort: {{ .port }}}
          env:
            {{- include "kafka-train.kafkaEnv" $root | nindent 12 }}
            {{- include "kafka-train.allowedHostsEnv" (dict "root" $root "component" .component "extra" .hosts) | nindent 12 }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with .values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- include "kafka-train.probes" (dict "startupSeconds" 120) | nindent 10 }}
          resources:
            {{- toYaml .values.resources | nindent 12 }}
          {{- include "kafka-train.containerSecurity" $root | nindent 10 }}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            {{- include "kafka-train.kafkaCaMount" $root | nindent 12 }}
            {{- with .mounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- include "kafka-train.kafkaCaVolume" $root | nindent 8 }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with .values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "kafka-train.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  selector:
    {{- include "kafka-train.selector" (dict "root" $root "component" .component) | nindent 4 }}
  ports:
    - {name: http, port: {{ .port }}, targetPort: http}
---
# at most one pod of the service away at a time during node drains
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  labels:
    {{- include "kafka-train.labels" $root | nindent 4 }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      {{- include "kafka-train.selector" (dict "root" $root "component" .component) | nindent 6 }}
{{- end -}}
