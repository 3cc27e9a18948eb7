#!/usr/bin/env bash
# The engine against PyTorch eager on a GPU machine that has no Java: ResNet-50 training img/s at 224 px, batch 64
# and 256, fp32 and bf16 + channels_last (fused Adam in both), the Java ComputeBench through a shared/gpu-kit
# bundle bound to the machine's own libtorch, and tools/pytorch_compute_bench.py on the same GPU, turn about.
#
#   bash tools/gpu_bench.sh bundle   here: builds gpu-bundle/ (git-ignored; about 25 MiB) from the engine's classes
#   bash tools/gpu_bench.sh run      there, from the repo root, with gpu-bundle carried; figures to $OUT
#
# The device tool's call, once the bundle is built:
#   run(command="bash tools/gpu_bench.sh run", carry=["gpu-bundle"], timeout_s=540)
# Try it here first on the CPU against Bytedeco's CPU libtorch (the kit's fake site):
#   ../shared/gpu-kit/tools/fake_torch_site.sh /tmp/fts
#   TORCH_SITE=/tmp/fts BENCH_DEVICE=cpu GPU_BENCH_BATCHES=2 GPU_BENCH_STEPS=1 GPU_BENCH_ROUNDS=1 \
#     PYTHON=/tmp/pyref/bin/python OUT=/tmp/gpu-out bash tools/gpu_bench.sh run
#
# env: BENCH_DEVICE (cuda), GPU_BENCH_BATCHES ("64 256"), GPU_BENCH_SIZE (224), GPU_BENCH_STEPS (20 a round),
#      GPU_BENCH_ROUNDS (5), GPU_BENCH_VARIANTS (fp32,bf16+cl), PYTHON (python3), GPU_KIT (../shared/gpu-kit)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUNDLE=$ROOT/gpu-bundle

bundle() {
  local kit=${GPU_KIT:-$ROOT/../shared/gpu-kit} cp=$ROOT/target/gpu-classpath.txt
  mkdir -p "$ROOT/target"
  "$ROOT/mvnw" -q -pl benchmarks -am install -DskipTests
  # ComputeBench (benchmarks) loads only the engine and contracts: the engine's runtime classpath is all it needs
  "$ROOT/mvnw" -q -pl trainer-engine dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$cp"
  # Left out: the test frameworks, and contracts' Kafka client and codecs, which the benchmark never loads.
  "$kit/bundle.sh" --classpath-file "$cp" \
    --classes "$ROOT/trainer-engine/target/classes:$ROOT/benchmarks/target/classes" \
    --out "$BUNDLE" --main org.kafkatrain.bench.ComputeBench \
    --exclude 'junit-*' --exclude 'assertj-*' --exclude 'byte-buddy-*' --exclude 'opentest4j-*' \
    --exclude 'apiguardian-*' --exclude 'jspecify-*' --exclude 'kafka-clients-*' --exclude 'zstd-jni-*' \
    --exclude 'lz4-java-*' --exclude 'snappy-java-*' --exclude 'protobuf-java-*'
}

run() {
  local out=${OUT:-/tmp/gpu-bench} size=${GPU_BENCH_SIZE:-224} steps=${GPU_BENCH_STEPS:-20}
  local rounds=${GPU_BENCH_ROUNDS:-5} variants=${GPU_BENCH_VARIANTS:-fp32,bf16+cl} python=${PYTHON:-python3}
  [[ -f $BUNDLE/run.sh ]] || { echo "gpu_bench: no $BUNDLE; build it with: bash tools/gpu_bench.sh bundle" >&2; exit 2; }
  mkdir -p "$out"
  export BENCH_DEVICE=${BENCH_DEVICE:-cuda} BENCH_RESULTS=$out/results.jsonl PYTHONUNBUFFERED=1
  : > "$BENCH_RESULTS"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
  "$python" -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda,
    "cuDNN", torch.backends.cudnn.version(), "GPU", torch.cuda.is_available())'
  local batch failed=0
  for batch in ${GPU_BENCH_BATCHES:-64 256}; do
    # one process each, the same rounds, steps and batches; Java first, then PyTorch, so neither starts warm
    RUN_TIMEOUT=${GPU_BENCH_JAVA_TIMEOUT:-200} bash "$BUNDLE/run.sh" -- org.kafkatrain.bench.ComputeBench \
      "$steps" "$batch" "$rounds" "$size" "$variants" 2>&1 | tee -a "$out/java.log" || failed=1
    "$python" "$ROOT/tools/pytorch_compute_bench.py" "$steps" "$batch" "$rounds" "$size" "$variants" 2>&1 \
      | tee -a "$out/pytorch.log" || failed=1
  done
  "$python" - "$BENCH_RESULTS" <<'EOF'
import json, sys
figures = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
java = {f["name"]: f["value"] for f in figures if f["bench"] == "compute" and f["unit"] == "img/s"}
torch = {f["name"]: f["value"] for f in figures if f["bench"] == "pytorch"}
print(f"\n{'setting':<30} {'engine img/s':>13} {'PyTorch img/s':>14} {'ratio':>7}")
for name in java:
    if name in torch:
        ratio = java[name] / torch[name]
        print(f"{name:<30} {java[name]:13.1f} {torch[name]:14.1f} {ratio:7.3f}")
        print(f"RESULT {name.replace(' ', '_').replace(',', '')} engine={java[name]:.1f} pytorch={torch[name]:.1f} ratio={ratio:.3f}")
EOF
  return $failed
}

case "${1:-}" in
  bundle) bundle ;;
  run) run ;;
  *) sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
