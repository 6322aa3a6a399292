#!/usr/bin/env bash
# Runs Weft's distributed benchmarks: the master and 2 worker JVMs on this host (the agent option workers=2), talking
# over loopback, and prints each figure next to its target and a baseline measured in the same run.
#
#   benchmarks/cluster.sh [repeats=3] [sections=12345]   # each benchmark runs in `repeats` fresh JVMs (the machine
#                                                        # is noisy); `sections` picks which of the five to run
#
# The programs are the local-mode ones of run.sh plus ObjectTransfer and FileTransfer; Placements reads their
# placement records (placements=FILE); LoopbackTransfer and LoopbackFileTransfer are the plain-socket baselines.
# Dask distributed, on this machine, for reference: 645 empty tasks/s, 6 ms per chain link.
# OBJECT_MB (default 100) and FILE_MIB (default 1024) shrink sections 3-5 for a quick check of the script itself; the
# targets below are for the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
sections=${2:-12345}
want() { [[ $sections == *$1* ]]; }
mb=${OBJECT_MB:-100}
mib=${FILE_MIB:-1024}
file_mb=$(awk -v m="$mib" 'BEGIN { printf "%.2f", m * 1.048576 }')

if [ ! -f agent/target/weft-agent.jar ] || [ ! -f benchmarks/target/classes/io/weft/benchmarks/FileTransfer.class ]; then
  mvn -q -B -DskipTests package
fi
agent=agent/target/weft-agent.jar
cp=benchmarks/target/classes:examples/target/classes:api/target/weft-api.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
placements() { java -cp benchmarks/target/classes io.weft.benchmarks.Placements "$@"; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p); master + 2 worker JVMs on loopback"
if want 1; then
echo
echo "== 1. empty independent tasks on 2 workers, submission to completion (target >= 100000 tasks/s; Dask: 645/s)"
for r in $(seq "$repeats"); do
  printf 'run %d, 2 workers:  ' "$r"
  java -javaagent:$agent=workers=2 -cp $cp io.weft.benchmarks.EmptyTasks 500000 5 2>/dev/null
done
printf 'baseline, local mode (one JVM, no workers):  '
java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 500000 5 2>/dev/null

fi
if want 2; then
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

fi
if want 3; then
echo
echo "== 3. a $mb MB object (double[$((mb * 125000))]) written on one worker and read on the other (target >= 500 MB/s)"
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
    io.weft.benchmarks.ObjectTransfer $mb 12 2>/dev/null
  printf '   same worker:  '
  java -javaagent:$agent=workers=2,threads=1,scheduler=locality,placements=$tmp/same.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer $mb 12 2>/dev/null
  out=$(placements transfer "$tmp/cross.jsonl" "$tmp/same.jsonl" "$mb")
  printf '%s\n' "$out" | sed 's/^/   /'
  base=$(java -cp benchmarks/target/classes io.weft.benchmarks.LoopbackTransfer $mb 12 2>/dev/null)
  printf '   baseline: %s\n' "$base"
  weft=$(printf '%s\n' "$out" | sed -n 's/^transfer.*median [0-9.-]* ms = \([0-9.-]*\) MB\/s.*/\1/p')
  sock=$(printf '%s\n' "$base" | sed -n 's/^loopback-socket.*: best=[0-9]* MB\/s median=\([0-9]*\) MB\/s;.*/\1/p')
  ratio=$(awk -v w="$weft" -v s="$sock" 'BEGIN { printf "%.2f", w / s }')
  echo "   Weft's median transfer is ${ratio}x the median of the same block over a plain loopback socket"
  ratios+=("$ratio")
done
printf 'ratio to the loopback socket, per run: %s\n' "${ratios[*]}"

fi
if want 4; then
echo
echo "== 4. a $mib MiB file written on one worker and read on the other (target >= 1 GiB/s = 1074 MB/s)"
echo "   two workers adopted through <External>, as srun would start them, with no shared disk declared: each keeps"
echo "   the files its tasks write in its own directory. Each round: produce() writes $mib MiB, checksum() reads it"
echo "   back. scheduler=fifo puts the reader on the other worker, which streams the file from the writer first;"
echo "   scheduler=locality puts it on the writer's worker, which reads it in place. The difference of the gaps"
echo "   before the reader is the transfer. 5 rounds per run, the first dropped."
files=$tmp/files
mkdir -p "$files"
cat > "$files/resources.xml" <<'XML'
<ResourcesList>
  <ComputeNode Name="f1"><Processor Name="MainProcessor"><ComputingUnits>1</ComputingUnits></Processor></ComputeNode>
  <ComputeNode Name="f2"><Processor Name="MainProcessor"><ComputingUnits>1</ComputingUnits></Processor></ComputeNode>
</ResourcesList>
XML
# Runs FileTransfer with two hand-started workers; $1: scheduler, $2: placement record, $3: more agent options.
file_run() {
  local port=$((20000 + RANDOM % 20000))
  cat > "$files/project.xml" <<XML
<Project><MasterNode><Host>127.0.0.1</Host><Port>$port</Port></MasterNode>
  <ComputeNode Name="f1"><InstallDir>$PWD/agent/target</InstallDir><WorkingDir>$files/work</WorkingDir><Launch><External/></Launch></ComputeNode>
  <ComputeNode Name="f2"><InstallDir>$PWD/agent/target</InstallDir><WorkingDir>$files/work</WorkingDir><Launch><External/></Launch></ComputeNode>
</Project>
XML
  for node in f1 f2; do
    WEFT_NODE=$node WEFT_RUN_SECRET_FILE=$files/secret java -cp $agent:$cp io.weft.runtime.worker.process.WorkerMain \
      --master 127.0.0.1:$port --work-dir "$files/work/$node" --cores 1 >/dev/null 2>&1 &
  done
  WEFT_RUN_SECRET_FILE=$files/secret java -javaagent:$agent=resources=$files/resources.xml,project=$files/project.xml,threads=1,scheduler=$1,placements=$2$3 \
    -cp $cp io.weft.benchmarks.FileTransfer "$files/data" "$mib" 5 2>/dev/null
  wait
}
for r in $(seq "$repeats"); do
  echo "run $r:"
  printf '   other worker: '
  file_run fifo "$tmp/fcross.jsonl" ""
  printf '   same worker:  '
  file_run locality "$tmp/fsame.jsonl" ""
  placements transfer "$tmp/fcross.jsonl" "$tmp/fsame.jsonl" "$file_mb" | sed 's/^/   /'
  printf '   baseline: '
  java -cp benchmarks/target/classes io.weft.benchmarks.LoopbackFileTransfer "$files/data" "$mib" 5 2>/dev/null
done
printf 'tls=true, other worker: '
file_run fifo "$tmp/fcross.jsonl" ",tls=true"
placements transfer "$tmp/fcross.jsonl" "$tmp/fsame.jsonl" "$file_mb" | sed -n 's/^transfer/tls=true, transfer/p'

fi
if want 5; then
echo
echo "== 5. the cost of tls=true: the chain and the $mb MB object again, with and without TLS, one run each"
for tls in false true; do
  printf 'tls=%s, chain:  ' "$tls"
  java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,tls=$tls -cp $cp io.weft.benchmarks.InOutChain 20000 5 \
    2>/dev/null
  java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,tls=$tls,placements=$tmp/cross.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer $mb 12 >/dev/null 2>&1
  java -javaagent:$agent=workers=2,threads=1,scheduler=locality,tls=$tls,placements=$tmp/same.jsonl -cp $cp \
    io.weft.benchmarks.ObjectTransfer $mb 12 >/dev/null 2>&1
  printf 'tls=%s, %s MB: ' "$tls" "$mb"
  placements transfer "$tmp/cross.jsonl" "$tmp/same.jsonl" "$mb" | sed -n 's/^transfer/transfer/p'
done
fi
