#!/usr/bin/env bash
# Runs Weft's distributed benchmarks: the master and 2 worker JVMs on this host (the agent option workers=2), talking
# over loopback, and prints each figure next to its target and a baseline measured in the same run.
#
#   benchmarks/cluster.sh [repeats=3]       # each benchmark runs in `repeats` fresh JVMs (the machine is noisy)
#
# The programs are the local-mode ones of run.sh plus ObjectTransfer; Placements reads their placement records
# (placements=FILE), LoopbackTransfer is the plain-socket baseline. Dask distributed, on this machine, for reference:
# 645 empty tasks/s, 6 ms per chain link.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}

if [ ! -f agent/target/weft-agent.jar ] || [ ! -f benchmarks/target/classes/io/weft/benchmarks/ObjectTransfer.class ]; then
  mvn -q -B -DskipTests package
fi
agent=agent/target/weft-agent.jar
cp=benchmarks/target/classes:examples/target/classes:api/target/weft-api.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
placements() { java -cp benchmarks/target/classes io.weft.benchmarks.Placements "$@"; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p); master + 2 worker JVMs on loopback"
echo
echo "== 1. empty independent tasks on 2 workers, submission to completion (target >= 100000 tasks/s; Dask: 645/s)"
for r in $(seq "$repeats"); do
  printf 'run %d, 2 workers:  ' "$r"
  java -javaagent:$agent=workers=2 -cp $cp io.weft.benchmarks.EmptyTasks 500000 5 2>/dev/null
done
printf 'baseline, local mode (one JVM, no workers):  '
java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 500000 5 2>/dev/null

echo
echo "== 2. INOUT chain whose links alternate between the 2 workers, latency per link (target <= 100 us; Dask: 6 ms)"
echo "   workers=2,threads=1,scheduler=fifo: equally free workers take turns; the placement record says where each"
echo "   link ran (its times are the master's: end = the report's arrival, start = end - the run time on the worker)"
for r in $(seq "$repeats"); do
  printf 'run %d, 2 workers:  ' "$r"
  java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,placements=$tmp/chain.jsonl -cp $cp \
    io.weft.benchmarks.InOutChain 20000 5 2>/dev/null
  placements chain "$tmp/chain.jsonl" | sed 's/^/   /'
done
printf 'baseline, local mode, one executor:  '
java -javaagent:$agent=threads=1 -cp $cp io.weft.benchmarks.InOutChain 20000 5 2>/dev/null

echo
echo "== 3. a 100 MB object (double[12500000]) written on one worker and read on the other (target >= 500 MB/s)"
echo "   each round: produce() makes the block, checksum() reads it and returns its sum (which the program waits for)."
echo "   scheduler=fifo puts the reader on the other worker, which fetches the block from the writer's store;"
echo "   scheduler=locality puts it on the writer's worker, which takes it from its store without a copy. The"
echo "   difference of the gaps before the reader (from the placement records) is the transfer. 12 rounds per run,"
echo "   the first dropped (warm-up)."
ratios=()
for r in $(seq "$repeats"); do
  echo "run $r:"
  printf '   other worker: '
  java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,placements=$tmp/cross.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer 100 12 2>/dev/null
  printf '   same worker:  '
  java -javaagent:$agent=workers=2,threads=1,scheduler=locality,placements=$tmp/same.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer 100 12 2>/dev/null
  out=$(placements transfer "$tmp/cross.jsonl" "$tmp/same.jsonl" 100)
  printf '%s\n' "$out" | sed 's/^/   /'
  base=$(java -cp benchmarks/target/classes io.weft.benchmarks.LoopbackTransfer 100 12 2>/dev/null)
  printf '   baseline: %s\n' "$base"
  weft=$(printf '%s\n' "$out" | sed -n 's/^transfer.*median [0-9.-]* ms = \([0-9.-]*\) MB\/s.*/\1/p')
  sock=$(printf '%s\n' "$base" | sed -n 's/^loopback-socket.*: best=[0-9]* MB\/s median=\([0-9]*\) MB\/s;.*/\1/p')
  ratio=$(awk -v w="$weft" -v s="$sock" 'BEGIN { printf "%.2f", w / s }')
  echo "   Weft's median transfer is ${ratio}x the median of the same block over a plain loopback socket"
  ratios+=("$ratio")
done
printf 'ratio to the loopback socket, per run: %s\n' "${ratios[*]}"

echo
echo "== 4. a 1 GiB file moved between two workers: not measured. The workers of a local cluster share this host's"
echo "   disk and a file is passed to a task by its path, so nothing moves; moving files between hosts is not"
echo "   implemented yet."

echo
echo "== 5. the cost of tls=true: the chain and the 100 MB object again, with and without TLS, one run each"
for tls in false true; do
  printf 'tls=%s, chain:  ' "$tls"
  java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,tls=$tls -cp $cp io.weft.benchmarks.InOutChain 20000 5 \
    2>/dev/null
  java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,tls=$tls,placements=$tmp/cross.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer 100 12 >/dev/null 2>&1
  java -javaagent:$agent=workers=2,threads=1,scheduler=locality,tls=$tls,placements=$tmp/same.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer 100 12 >/dev/null 2>&1
  printf 'tls=%s, 100 MB: ' "$tls"
  placements transfer "$tmp/cross.jsonl" "$tmp/same.jsonl" 100 | sed -n 's/^transfer/transfer/p'
done
