#!/usr/bin/env bash
# Runs Weft's benchmarks in local mode and prints each figure next to its baseline, measured in the same run.
# The figures in docs/performance.md come from this script:   benchmarks/run.sh [repeats=3]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}

if [ ! -f agent/target/weft-agent.jar ] || [ ! -d benchmarks/target/classes ]; then
  mvn -q -B -DskipTests package
fi
agent=agent/target/weft-agent.jar
cp=benchmarks/target/classes:examples/target/classes:api/target/weft-api.jar

# best_ms <command...>: the fastest "matmul: X ms" line the command prints to stderr over $repeats runs.
best_ms() {
  local best=""
  for _ in $(seq "$repeats"); do
    local t
    t=$("$@" 2>&1 >/dev/null | sed -n 's/^matmul: \([0-9.]*\) ms$/\1/p')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo
echo "== 1. empty independent tasks, submission to completion (target >= 200000 tasks/s)"
java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 1000000 5 2>/dev/null

echo
echo "== 2. INOUT chain, latency per link (target <= 20 us)"
java -javaagent:$agent -cp $cp io.weft.benchmarks.InOutChain 100000 5 2>/dev/null

echo
echo "== 3. blocked matmul, 16 x 16 blocks of 128 x 128 (target speed-up >= 1.8 on 2 cores)"
seq_ms=$(best_ms java -cp $cp io.weft.examples.matmul.Matmul 16 128)
weft_ms=$(best_ms java -javaagent:$agent -cp $cp io.weft.examples.matmul.Matmul 16 128)
pool_ms=$(best_ms java -cp $cp io.weft.examples.matmul.ThreadPoolMatmul 16 128)
awk -v s="$seq_ms" -v w="$weft_ms" -v p="$pool_ms" 'BEGIN {
  printf "sequential (no agent)      %8.1f ms\n", s
  printf "Weft (agent, all cores)    %8.1f ms   speed-up %.2fx\n", w, s / w
  printf "hand-written thread pool   %8.1f ms   speed-up %.2fx (the hardware ceiling)\n", p, s / p }'

echo
echo "== 4. one million tasks submitted in a loop with -Xmx512m"
java -cp $cp io.weft.benchmarks.ManyTasks 1000000 2>/dev/null
java -Xmx512m -javaagent:$agent -cp $cp io.weft.benchmarks.ManyTasks 1000000
