#!/bin/sh
# minio-init: creates the checkpoints bucket, a user for the trainer that can read and write only that bucket, and
# one for inference that can only read it.
# Runs on every `compose up`; each step leaves what exists alone.
set -eu
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" > /dev/null
mc mb --ignore-existing "local/$S3_BUCKET"
cat > /tmp/policy.json <<POLICY
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$S3_BUCKET"]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::$S3_BUCKET/*"]}
]}
POLICY
mc admin policy create local kafka-train-checkpoints /tmp/policy.json > /dev/null 2>&1 || true
mc admin user add local "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
mc admin policy attach local kafka-train-checkpoints --user "$S3_ACCESS_KEY" > /dev/null 2>&1 || true
cat > /tmp/read-policy.json <<POLICY
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Resource": ["arn:aws:s3:::$S3_BUCKET"]},
  {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::$S3_BUCKET/*"]}
]}
POLICY
mc admin policy create local kafka-train-checkpoints-read /tmp/read-policy.json > /dev/null 2>&1 || true
mc admin user add local "$INFERENCE_S3_ACCESS_KEY" "$INFERENCE_S3_SECRET_KEY"
mc admin policy attach local kafka-train-checkpoints-read --user "$INFERENCE_S3_ACCESS_KEY" > /dev/null 2>&1 || true
echo "bucket $S3_BUCKET, user $S3_ACCESS_KEY (read-write) and user $INFERENCE_S3_ACCESS_KEY (read) ready"
