#!/usr/bin/env bash
# Shows that the test suite keeps to itself: takes a snapshot of a user's running local stack (the processes' pids,
# the broker's topics with their partitions' log sizes, the bucket's objects with sizes and times), runs a command
# (default: the README's ./mvnw verify), takes the snapshot again and prints the difference. Exit 0 when nothing of
# the user's stack changed, 1 otherwise. Start the stack first and give it something to lose, e.g.
#   ./kafka-train demo && tools/check_stack_untouched.sh
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(./kafka-train stack env)"
[[ -f $KT_HOME/kafka/kafka.pid ]] || { echo "no local stack under $KT_HOME: start it first (./kafka-train demo)" >&2; exit 2; }
out=$(mktemp -d)

snapshot() {
  ./kafka-train stack status || true
  echo "## topics (partition dir: bytes in its logs)"
  for dir in "$KT_HOME"/kafka/data/*-[0-9]*; do
    [[ -d $dir ]] && printf '%s %s\n' "$(basename "$dir")" "$(cat "$dir"/*.log 2>/dev/null | wc -c)"
  done | grep -v '^__' | sort
  echo "## bucket objects (key bytes mtime)"
  find "$KT_HOME/s3/data" -type f -printf '%P %s %T@\n' | sort
}

snapshot > "$out/before.txt"
echo "check_stack_untouched: $(grep -c '' "$out/before.txt") lines of the stack under $KT_HOME recorded; running: ${*:-./mvnw verify}" >&2
set +e
if [[ $# -gt 0 ]]; then "$@"; else ./mvnw verify; fi
rc=$?
set -e
snapshot > "$out/after.txt"
if diff -u "$out/before.txt" "$out/after.txt"; then
  echo "check_stack_untouched: the stack under $KT_HOME is as it was (the command exited $rc)"
  exit 0
fi
echo "check_stack_untouched: the stack under $KT_HOME changed (diff above; the command exited $rc)" >&2
exit 1
