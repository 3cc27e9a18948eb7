{{/* Names, labels and the pieces every pod shares. */}}

{{- define "kafka-train.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kafka-train.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* selector labels of one component: (dict "root" $ "component" "trainer") */}}
{{- define "kafka-train.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kafka-train.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-credentials" (include "kafka-train.fullname" .)) -}}
{{- end -}}

{{- define "kafka-train.apiTokenSecretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-api-token" (include "kafka-train.fullname" .)) -}}
{{- end -}}

{{/* an image reference: (dict "root" $ "repository" "kafka-train/x" "suffix" "") */}}
{{- define "kafka-train.image" -}}
{{- $tag := printf "%s%s" (.root.Values.image.tag | default .root.Chart.AppVersion) (.suffix | default "") -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .repository $tag -}}
{{- end -}}
{{- end -}}

{{- define "kafka-train.sasl" -}}
{{- hasPrefix "SASL_" .Values.kafka.securityProtocol -}}
{{- end -}}

{{- define "kafka-train.tls" -}}
{{- has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") -}}
{{- end -}}

{{/* Kafka client settings as the services read them (KAFKA_* = kafka.* of every service). */}}
{{- define "kafka-train.kafkaEnv" -}}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: KAFKA_SECURITY_PROTOCOL
  value: {{ .Values.kafka.securityProtocol | quote }}
{{- if eq (include "kafka-train.sasl" .) "true" }}
- name: KAFKA_SASL_MECHANISM
  value: {{ .Values.kafka.sasl.mechanism | quote }}
- name: SASL_USERNAME
  value: {{ .Values.kafka.sasl.username | quote }}
- name: SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "kafka-train.secretName" . }}
      key: kafka-sasl-password
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(SASL_USERNAME)\" password=\"$(SASL_PASSWORD)\";" (ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq .Values.kafka.sasl.mechanism "PLAIN")) | quote }}
{{- end }}
{{- if and (eq (include "kafka-train.tls" .) "true") .Values.kafka.tls.caSecret }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/kafka-train/kafka-ca/ca.crt
{{- end }}
{{- end -}}

{{- define "kafka-train.apiTokenEnv" -}}
- name: KAFKA_TRAIN_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "kafka-train.apiTokenSecretName" . }}
      key: api-token
{{- end -}}

{{/* a component's probes on SmallRye Health: (dict "port" "http" "startupSeconds" 300) */}}
{{- define "kafka-train.probes" -}}
startupProbe:
  httpGet: {path: /q/health/started, port: http}
  periodSeconds: 5
  failureThreshold: {{ div .startupSeconds 5 }}
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 15
  failureThreshold: 4
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 10
  failureThreshold: 3
{{- end -}}

{{- define "kafka-train.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: ["ALL"]}
{{- end -}}

{{- define "kafka-train.kafkaCaVolume" -}}
{{- if and (eq (include "kafka-train.tls" .) "true") .Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret: {secretName: {{ .Values.kafka.tls.caSecret }}}
{{- end }}
{{- end -}}

{{- define "kafka-train.kafkaCaMount" -}}
{{- if and (eq (include "kafka-train.tls" .) "true") .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/kafka-train/kafka-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/* The checkpoint store's settings: endpoint, bucket, region, credentials from the Secret, the CA of a TLS endpoint. */}}
{{/* inference-service's S3 settings: its own read-only keys when s3.inferenceKeys says the Secret holds them */}}
{{- define "kafka-train.inferenceS3Env" -}}
{{- include "kafka-train.s3Env" (merge (dict "keyPrefix" (ternary "inference-" "" .Values.s3.inferenceKeys)) .) }}
{{- end }}

{{- define "kafka-train.s3Env" -}}
- name: S3_ENDPOINT
  value: {{ required "s3.endpoint is required" .Values.s3.endpoint | quote }}
- name: S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: S3_REGION
  value: {{ .Values.s3.region | quote }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ include "kafka-train.secretName" . }}, key: {{ .keyPrefix | default "" }}s3-access-key}
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef: {name: {{ include "kafka-train.secretName" . }}, key: {{ .keyPrefix | default "" }}s3-secret-key}
{{- if .Values.s3.tls.caSecret }}
- name: S3_CA_FILE
  value: /etc/kafka-train/s3-ca/ca.crt
{{- end }}
{{- end }}

{{- define "kafka-train.s3CaVolume" -}}
{{- if .Values.s3.tls.caSecret }}
- name: s3-ca
  secret: {secretName: {{ .Values.s3.tls.caSecret }}}
{{- end }}
{{- end }}

{{- define "kafka-train.s3CaMount" -}}
{{- if .Values.s3.tls.caSecret }}
- {name: s3-ca, mountPath: /etc/kafka-train/s3-ca, readOnly: true}
{{- end }}
{{- end }}

{{/*
The names a component answers to (its Service's, in short and long forms, loopback for port-forwards, the
dashboard's Ingress host, and allowedHosts); a request naming another Host gets 403 (DNS rebinding).
(dict "root" $ "component" "trainer" "extra" (list "more.names"))
*/}}
{{- define "kafka-train.allowedHostsEnv" -}}
{{- $name := printf "%s-%s" (include "kafka-train.fullname" .root) .component -}}
{{- $ns := .root.Release.Namespace -}}
{{- $hosts := list "localhost" "127.0.0.1" "::1" $name (printf "%s.%s" $name $ns) (printf "%s.%s.svc" $name $ns) (printf "%s.%s.svc.cluster.local" $name $ns) -}}
{{- $hosts = concat $hosts (.extra | default list) .root.Values.allowedHosts -}}
- name: KAFKA_TRAIN_ALLOWED_HOSTS
  value: {{ join "," $hosts | quote }}
{{- end -}}
