#!/usr/bin/env bash
# Measures what worker processes (the agent option workers=2: the master and 2 worker JVMs on this host, over
# loopback) cost or gain against local mode and against the plain sequential program, as whole-process times taken
# here, in the shell, since that is the time a user meets.
#
#   benchmarks/distributed.sh [rounds=3] [SECTION...]     # sections a to h, default all: `distributed.sh 3 a c`
#                                                         # or `distributed.sh 3 ac`
#
#   a. Cholesky (CHOLESKY_TILES x CHOLESKY_TILES tiles of CHOLESKY_SIZE^2 doubles, default 16 and 256):
#      sequential (no agent) vs local mode (agent, default options) vs workers=2, and their ratios. The three
#      outputs must be identical, or the script stops.
#   b. empty independent tasks (EmptyTasks EMPTY_TASKS 5, default 500000 as in cluster.sh): local vs workers=2.
#   c. INOUT chain with links alternating between the 2 workers (InOutChain CHAIN_LINKS 5, default 20000,
#      workers=2,threads=1,scheduler=fifo as in cluster.sh) vs the same chain in local mode with one executor.
#   d. a 100 MB object and a 1 GiB file moved worker to worker: cluster.sh's sections 3 and 4, `rounds` runs
#      (OBJECT_MB and FILE_MIB shrink them).
#   e. Fragments: 8 task-made fragments of 16 MB, 6 map/reduce iterations, the program never reads a fragment:
#      sequential vs local vs workers=2 (target: workers=2 at most 3x local).
#   f. KMeans as COMPSs' kmeans_frag (8 fragments of 1M 2-d points = 16 MB, k 4, 10 iterations): sequential vs
#      local vs workers=2 (target: workers=2 within 1.5x local).
#   g. LongAndShort: one 3 s task, then 40 of 25 ms: when are the short ones done (measured inside main, and the
#      whole process), threads=2 in one JVM vs workers=2 (target: 1.3x).
#   h. Hello (no task): start-up and shut-down, local vs workers=2 (target: within +1 s).
#
# This machine's speed drifts up to 2x between runs, so only ratios within one round are compared: each round of
# a, b and c runs every variant once, back to back, in an order that rotates from round to round. Medians are over
# the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift || true
sections=$(printf '%s' "${*:-abcdefgh}" | tr -d ' ')
if ! [[ $rounds =~ ^[1-9][0-9]*$ && $sections =~ ^[a-h]+$ ]]; then
  echo "usage: benchmarks/distributed.sh [rounds=3] [SECTION...], sections among a b c d e f g h" >&2
  exit 2
fi
want() { [[ $sections == *$1* ]]; }
tiles=${CHOLESKY_TILES:-16}
size=${CHOLESKY_SIZE:-256}
empty=${EMPTY_TASKS:-500000}
links=${CHAIN_LINKS:-20000}

if [ ! -f agent/target/weft-agent.jar ] || [ ! -f benchmarks/target/classes/io/weft/benchmarks/LongAndShort.class ]; then
  mvn -q -B -DskipTests package
fi
agent=agent/target/weft-agent.jar
cp=benchmarks/target/classes:examples/target/classes:api/target/weft-api.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# timed NAME COMMAND...: runs COMMAND with its output in $tmp/NAME.out and .err; sets ms to its whole-process time.
# A command that fails stops the script with its standard error.
ms=
timed() {
  local name=$1
  shift
  local t0=${EPOCHREALTIME/[.,]/}
  if ! "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    echo "FAILED: $*" >&2
    tail -n 30 "$tmp/$name.err" >&2
    exit 1
  fi
  local t1=${EPOCHREALTIME/[.,]/}
  ms=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1000 }')
}
# median: of the numbers on standard input, one a line; the mean of the middle two for an even count.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else if (NR) printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { printf '%s\n' "${rows[@]}" | awk -v c="$1" '{ print $c }' | median; }
# rotate ROUND A B C...: the variants in the order for that round (round 1: A B C, round 2: B C A, ...).
rotate() {
  local r=$1
  shift
  local n=$# i
  local all=("$@")
  for ((i = 0; i < n; i++)); do printf '%s ' "${all[$(((r - 1 + i) % n))]}"; done
}
summary=()

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p); workers=2 is the master + 2 worker JVMs on loopback"
echo "$rounds rounds, sections $sections; times are whole processes, measured by this script"

# three_way SECTION NAME CLASS ARGS...: sequential vs local vs workers=2, whole processes; the outputs must agree.
three_way() {
  local section=$1 name=$2 class=$3
  shift 3
  rows=()
  for r in $(seq "$rounds"); do
    declare -A t=()
    for v in $(rotate "$r" seq local w2); do
      case $v in
        seq) timed "$name-$v" java -cp $cp "$class" "$@" ;;
        local) timed "$name-$v" java -javaagent:$agent -cp $cp "$class" "$@" ;;
        w2) timed "$name-$v" java -javaagent:$agent=workers=2 -cp $cp "$class" "$@" ;;
      esac
      t[$v]=$ms
      echo "   round $r, $v: $ms ms ($(sed -n "s/^$name: //p" "$tmp/$name-$v.err") inside main)"
    done
    for v in local w2; do
      if ! cmp -s "$tmp/$name-seq.out" "$tmp/$name-$v.out"; then
        echo "MISMATCH in round $r: the $v run printed something else than the sequential run:" >&2
        diff "$tmp/$name-seq.out" "$tmp/$name-$v.out" >&2 || true
        exit 1
      fi
    done
    row=$(awk -v s="${t[seq]}" -v l="${t[local]}" -v w="${t[w2]}" \
      'BEGIN { printf "%.1f %.1f %.1f %.3f %.3f", s, l, w, w / l, s / l }')
    rows+=("$row")
    printf '%s\n' "$row" | awk -v r="$r" '{ printf "round %d: sequential %8.1f ms | local %8.1f ms | workers=2 %8.1f ms |" \
      " workers2/local %.2f (local speed-up %.2fx)\n", r, $1, $2, $3, $4, $5 }'
    unset t
  done
  echo "medians: sequential $(col 1) ms | local $(col 2) ms | workers=2 $(col 3) ms | workers2/local $(col 4)"
  summary+=("$section. $name, sequential|$(col 1) ms|")
  summary+=("$section. $name, local mode|$(col 2) ms|speed-up over sequential $(col 5)x")
  summary+=("$section. $name, workers=2|$(col 3) ms|$(col 4)x local (time ratio)")
}


if want a; then
echo
echo "== a. Cholesky, $tiles x $tiles tiles of $size x $size: sequential vs local mode vs workers=2"
three_way a cholesky io.weft.benchmarks.Cholesky "$tiles" "$size"
fi

if want b; then
echo
echo "== b. empty independent tasks (EmptyTasks $empty 5, best round of 5 inside each process): local vs workers=2"
rows=()
for r in $(seq "$rounds"); do
  declare -A rate=() t=()
  for v in $(rotate "$r" local w2); do
    case $v in
      local) timed "empty-$v" java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks "$empty" 5 ;;
      w2) timed "empty-$v" java -javaagent:$agent=workers=2 -cp $cp io.weft.benchmarks.EmptyTasks "$empty" 5 ;;
    esac
    t[$v]=$ms
    rate[$v]=$(sed -n 's/^empty-tasks .* best=\([0-9]*\) tasks\/s$/\1/p' "$tmp/empty-$v.out")
    [ -n "${rate[$v]}" ] || { echo "FAILED: no rate in the $v output: $(cat "$tmp/empty-$v.out")" >&2; exit 1; }
    echo "   round $r, $v: ${rate[$v]} tasks/s, process $ms ms"
  done
  row=$(awk -v l="${rate[local]}" -v w="${rate[w2]}" -v tl="${t[local]}" -v tw="${t[w2]}" \
    'BEGIN { printf "%d %d %.3f %.1f %.1f", l, w, w / l, tl, tw }')
  rows+=("$row")
  printf '%s\n' "$row" | awk -v r="$r" '{ printf "round %d: local %8d tasks/s | workers=2 %8d tasks/s | workers2/local %.2f" \
    " (processes: %.0f ms, %.0f ms)\n", r, $1, $2, $3, $4, $5 }'
  unset rate t
done
echo "medians: local $(col 1) tasks/s | workers=2 $(col 2) tasks/s | workers2/local $(col 3)"
summary+=("b. empty tasks, local mode|$(col 1) tasks/s|")
summary+=("b. empty tasks, workers=2|$(col 2) tasks/s|$(col 3)x the local rate")
fi

if want c; then
echo
echo "== c. INOUT chain (InOutChain $links 5, best round of 5 inside each process), links alternating between the"
echo "   2 workers (workers=2,threads=1,scheduler=fifo) vs local mode with one executor (threads=1)"
rows=()
for r in $(seq "$rounds"); do
  declare -A us=()
  for v in $(rotate "$r" w2 local); do
    case $v in
      local) timed "chain-$v" java -javaagent:$agent=threads=1 -cp $cp io.weft.benchmarks.InOutChain "$links" 5 ;;
      w2) timed "chain-$v" java -javaagent:$agent=workers=2,threads=1,scheduler=fifo,placements=$tmp/chain.jsonl \
            -cp $cp io.weft.benchmarks.InOutChain "$links" 5 ;;
    esac
    line=$(cat "$tmp/chain-$v.out")
    if [[ $line != *" value=$((links * 5)) "* ]]; then
      echo "FAILED: the $v chain ended with the wrong value: $line" >&2
      exit 1
    fi
    us[$v]=$(printf '%s\n' "$line" | sed -n 's/.* best=\([0-9.]*\) us\/link$/\1/p')
    echo "   round $r, $v: ${us[$v]} us/link, process $ms ms"
    if [ "$v" = w2 ]; then
      java -cp benchmarks/target/classes io.weft.benchmarks.Placements chain "$tmp/chain.jsonl" | sed 's/^/      /'
    fi
  done
  row=$(awk -v w="${us[w2]}" -v l="${us[local]}" 'BEGIN { printf "%.2f %.2f %.1f", w, l, w / l }')
  rows+=("$row")
  printf '%s\n' "$row" | awk -v r="$r" '{ printf "round %d: workers=2 %.2f us/link | local, one executor %.2f us/link |" \
    " workers2/local %.1f\n", r, $1, $2, $3 }'
  unset us
done
echo "medians: workers=2 $(col 1) us/link | local $(col 2) us/link | workers2/local $(col 3)"
summary+=("c. INOUT chain, local, one executor|$(col 2) us/link|")
summary+=("c. INOUT chain, alternating 2 workers|$(col 1) us/link|$(col 3)x the local latency")
fi

if want d; then
echo
echo "== d. object and file moved worker to worker: benchmarks/cluster.sh $rounds 34"
benchmarks/cluster.sh "$rounds" 34 | tee "$tmp/cluster.txt" | sed 's/^/   /'
medians=$(awk '
  /^== 3\./ { s = 3 } /^== 4\./ { s = 4 }
  /^ *transfer \(other-worker/ { match($0, /= [0-9.-]+ MB\/s/); v = substr($0, RSTART + 2, RLENGTH - 7); print s, v }
  /^tls=true, transfer/ { match($0, /= [0-9.-]+ MB\/s/); print "tls", substr($0, RSTART + 2, RLENGTH - 7) }
  ' "$tmp/cluster.txt")
obj=$(printf '%s\n' "$medians" | awk '$1 == 3 { print $2 }' | median)
file=$(printf '%s\n' "$medians" | awk '$1 == 4 { print $2 }' | median)
tls=$(printf '%s\n' "$medians" | awk '$1 == "tls" { print $2 }')
echo "medians over the runs of each run's median transfer: object ${obj:-?} MB/s | file ${file:-?} MB/s" \
  "| file with tls=true (one run) ${tls:-?} MB/s"
summary+=("d. ${OBJECT_MB:-100} MB object, worker to worker|${obj:-?} MB/s|median of the runs' medians")
summary+=("d. ${FILE_MIB:-1024} MiB file, worker to worker|${file:-?} MB/s|tls=true, one run: ${tls:-?} MB/s")
fi

if want e; then
echo
echo "== e. Fragments (8 x 16 MB made by tasks, 6 iterations, never read by the program): sequential vs local vs workers=2"
three_way e fragments io.weft.benchmarks.Fragments 8 16 6
fi

if want f; then
echo
echo "== f. KMeans, COMPSs kmeans_frag shape (8 fragments x 1M points, dim 2, k 4, 10 iterations)"
three_way f kmeans io.weft.examples.kmeans.KMeans 8 1000000 4 10 2
fi

if want g; then
echo
echo "== g. LongAndShort (one 3 s task, then 40 of 25 ms): threads=2 in one JVM vs workers=2"
rows=()
for r in $(seq "$rounds"); do
  declare -A t=() short=()
  for v in $(rotate "$r" local w2); do
    case $v in
      local) timed "ls-$v" java -javaagent:$agent=threads=2 -cp $cp io.weft.benchmarks.LongAndShort ;;
      w2) timed "ls-$v" java -javaagent:$agent=workers=2 -cp $cp io.weft.benchmarks.LongAndShort ;;
    esac
    t[$v]=$ms
    short[$v]=$(sed -n 's/^long-and-short: short tasks done at \([0-9]*\) ms.*/\1/p' "$tmp/ls-$v.err")
    echo "   round $r, $v: short tasks done at ${short[$v]} ms into main, process $ms ms"
  done
  row=$(awk -v l="${short[local]}" -v w="${short[w2]}" -v tl="${t[local]}" -v tw="${t[w2]}" \
    'BEGIN { printf "%d %d %.3f %.1f %.1f %.3f", l, w, w / l, tl, tw, tw / tl }')
  rows+=("$row")
  printf '%s\n' "$row" | awk -v r="$r" '{ printf "round %d: short tasks done, threads=2 %d ms | workers=2 %d ms |" \
    " ratio %.2f (processes: %.0f ms, %.0f ms, ratio %.2f)\n", r, $1, $2, $3, $4, $5, $6 }'
  unset t short
done
echo "medians: short tasks done, threads=2 $(col 1) ms | workers=2 $(col 2) ms | ratio $(col 3) | processes ratio $(col 6)"
summary+=("g. short tasks done (in main), threads=2|$(col 1) ms|")
summary+=("g. short tasks done (in main), workers=2|$(col 2) ms|$(col 3)x threads=2; whole processes $(col 6)x")
fi

if want h; then
echo
echo "== h. Hello (no task): local vs workers=2, whole processes"
rows=()
for r in $(seq "$rounds"); do
  declare -A t=()
  for v in $(rotate "$r" local w2); do
    case $v in
      local) timed "hello-$v" java -javaagent:$agent -cp $cp io.weft.benchmarks.Hello ;;
      w2) timed "hello-$v" java -javaagent:$agent=workers=2 -cp $cp io.weft.benchmarks.Hello ;;
    esac
    t[$v]=$ms
  done
  row=$(awk -v l="${t[local]}" -v w="${t[w2]}" 'BEGIN { printf "%.1f %.1f %.1f", l, w, w - l }')
  rows+=("$row")
  printf '%s\n' "$row" | awk -v r="$r" '{ printf "round %d: local %.0f ms | workers=2 %.0f ms | +%.0f ms\n", r, $1, $2, $3 }'
  unset t
done
echo "medians: local $(col 1) ms | workers=2 $(col 2) ms | difference $(col 3) ms"
summary+=("h. hello, local mode|$(col 1) ms|")
summary+=("h. hello, workers=2|$(col 2) ms|+$(col 3) ms over local")
fi

echo
echo "== summary ($rounds rounds; medians over the rounds; ratios are within a round, then their median)"
printf '%s\n' "${summary[@]}" | awk -F'|' '
  { a[NR] = $1; b[NR] = $2; c[NR] = $3; if (length($1) > w1) w1 = length($1); if (length($2) > w2) w2 = length($2) }
  END { f = "%-" w1 "s  %" w2 "s  %s\n"; for (i = 1; i <= NR; i++) printf f, a[i], b[i], c[i] }'
