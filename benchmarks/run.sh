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

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p)"
echo
echo "== 1. empty independent tasks, submission to completion (target >= 200000 tasks/s)"
java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 1000000 5 2>/dev/null

echo
echo "== 2. INOUT chain, latency per link (target <= 20 us)"
java -javaagent:$agent -cp $cp io.weft.benchmarks.InOutChain 100000 5 2>/dev/null

echo
echo "== 3. blocked matmul, 16 x 16 blocks of 128 x 128 (target speed-up >= 1.8 on 2 cores)"
echo "   each round runs the three variants back to back; speed-ups are within a round (the host's memory"
echo "   bandwidth drifts between rounds, so only same-round ratios are comparable)"
ms() { "$@" 2>&1 >/dev/null | sed -n 's/^matmul: \([0-9.]*\) ms$/\1/p'; }
ratios=()
for r in $(seq "$repeats"); do
  s=$(ms java -cp $cp io.weft.examples.matmul.Matmul 16 128)
  w=$(ms java -javaagent:$agent -cp $cp io.weft.examples.matmul.Matmul 16 128)
  p=$(ms java -cp $cp io.weft.examples.matmul.ThreadPoolMatmul 16 128)
  awk -v r="$r" -v s="$s" -v w="$w" -v p="$p" 'BEGIN {
    printf "round %d: sequential %7.1f ms | Weft %7.1f ms, speed-up %.2fx | thread pool %7.1f ms, speed-up %.2fx (ceiling)\n",
      r, s, w, s / w, p, s / p }'
  ratios+=("$(awk -v s="$s" -v w="$w" -v p="$p" 'BEGIN { printf "%.3f %.3f", s / w, s / p }')")
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
w_med=$(printf '%s\n' "${ratios[@]}" | awk '{ print $1 }' | median)
p_med=$(printf '%s\n' "${ratios[@]}" | awk '{ print $2 }' | median)
echo "median speed-up: Weft ${w_med}x, thread pool ${p_med}x"

echo
echo "== 4. one million tasks submitted in a loop with -Xmx512m"
java -cp $cp io.weft.benchmarks.ManyTasks 1000000 2>/dev/null
java -Xmx512m -javaagent:$agent -cp $cp io.weft.benchmarks.ManyTasks 1000000
