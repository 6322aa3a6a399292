#!/usr/bin/env bash
# Task Bench (Slaughter et al., SC20) on Weft and on Dask distributed, side by side in one run: METG(50%) per
# dependence pattern for Weft in local mode, the same graph on a JDK ForkJoinPool without Weft, Weft with 2
# worker processes and Dask (a LocalCluster of 2 single-threaded worker processes), their ratios, and the
# mid-sized-task comparison of issue 12.
#
#   benchmarks/taskbench.sh [SECTIONS]      # sections a, b, c; default all: `taskbench.sh bc`
#
#   a. same result: every pattern on a small graph (-all -width 8 -steps 12) run sequentially (no agent), with
#      the agent in local mode, with workers=2 and in Dask; the four must print the same checksums, or the
#      script stops.
#   b. METG(50%) for each pattern in PATTERNS: one sweep per system, each in one process (a warm-up, then the
#      kernel's iterations halved from a task of *_MAX_US µs until two points in a row fall below 50%
#      efficiency; efficiency against the largest granularity of the same sweep, the paper's own-peak method).
#      Beside Weft local, the same sweep without Weft on a JDK ForkJoinPool of 2 threads (TaskBench -sweep
#      -pool 2, no agent): the METG a hand-written Java program gets on this machine.
#   c. mid-sized tasks: stencil_1d and trivial, width 2, compute_bound tasks of about MID_US µs (iterations
#      calibrated once, in a JVM without the agent, and used by every run): FLOP/s of Weft in local mode and of
#      the same graph on a JDK ForkJoinPool of 2 threads with CompletableFutures (TaskBench -pool 2, no agent)
#      against the sequential program (best of MID_REPEAT runs in each process), and the gap between tasks on a
#      core from Weft's placement record (median and 90th percentile), taken in a fourth run (the record costs
#      time of its own). MID_REPEAT=20 shows the runtime warm: the first runs of a process share the 2 cores
#      with the JIT compiling Weft's own code.
#
# Sizes (environment): PATTERNS (default all eleven), WIDTH=2, LOCAL_STEPS=1000, LOCAL_MAX_US=2000,
# W2_STEPS=200, W2_MAX_US=20000, DASK_STEPS=100, DASK_MAX_US=80000, REPS=1 (runs per sweep point of workers=2
# and Dask, best kept), LOCAL_REPS=3 (the same for Weft local and the JDK pool, whose points last only
# milliseconds at the small end),
# MID_US=200, MID_STEPS=1000, MID_REPEAT=3, PYTHON=/usr/bin/python3 (needs Debian's python3-distributed and
# python3-numpy). The steps differ so that each sweep's first point takes seconds, not minutes; METG is per
# task, so the steps change only the share of the graph's start and drain. A quick check of the script:
#   PATTERNS=stencil_1d LOCAL_STEPS=100 W2_STEPS=20 DASK_STEPS=10 MID_STEPS=100 benchmarks/taskbench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sections=$(printf '%s' "${1:-abc}" | tr -d ' ')
if ! [[ $sections =~ ^[a-c]+$ ]]; then
  echo "usage: benchmarks/taskbench.sh [SECTIONS], sections among a b c" >&2
  exit 2
fi
want() { [[ $sections == *$1* ]]; }
patterns=${PATTERNS:-trivial no_comm stencil_1d stencil_1d_periodic dom tree fft all_to_all nearest spread random_nearest}
width=${WIDTH:-2}
local_steps=${LOCAL_STEPS:-1000}
local_max=${LOCAL_MAX_US:-2000}
w2_steps=${W2_STEPS:-200}
w2_max=${W2_MAX_US:-20000}
dask_steps=${DASK_STEPS:-100}
dask_max=${DASK_MAX_US:-80000}
reps=${REPS:-1}
local_reps=${LOCAL_REPS:-3}
mid_us=${MID_US:-200}
mid_steps=${MID_STEPS:-1000}
mid_repeat=${MID_REPEAT:-3}
python=${PYTHON:-/usr/bin/python3}

if [ ! -f agent/target/weft-agent.jar ] || [ ! -f benchmarks/target/classes/io/weft/benchmarks/taskbench/TaskBench.class ]; then
  mvn -q -B -DskipTests package
fi
if [[ $sections == *[ab]* ]] && ! "$python" -c 'import distributed, numpy' 2>/dev/null; then
  echo "$python cannot import distributed and numpy: apt-get install -y --no-install-recommends python3-distributed python3-numpy" >&2
  exit 2
fi
agent=agent/target/weft-agent.jar
cp=benchmarks/target/classes:api/target/weft-api.jar
main=io.weft.benchmarks.taskbench.TaskBench
dask=benchmarks/taskbench/taskbench_dask.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME COMMAND...: runs COMMAND with its output in $tmp/NAME.out and .err; a failure stops the script.
run() {
  local name=$1
  shift
  if ! "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
    echo "FAILED: $*" >&2
    tail -n 30 "$tmp/$name.err" "$tmp/$name.out" >&2
    exit 1
  fi
}
# same_as_sequential WHAT SEQUENTIAL_OUT OTHER_OUT: stops the script if the two runs printed different things.
same_as_sequential() {
  if ! cmp -s "$2" "$3"; then
    echo "MISMATCH: $1 printed something else than the sequential run:" >&2
    diff "$2" "$3" >&2 || true
    exit 1
  fi
}
# metg FILE: the METG figure of a sweep's output ("<= 12.3" when no point fell below 50%, "none" when none reached it).
metg() { sed -n 's/^METG(50%) .*: \(<= \)\{0,1\}\([0-9.]*\) us$/\1\2/p; s/^METG(50%) .*: none.*/none/p' "$1"; }
num() { printf '%s' "$1" | tr -d '<= '; }
ratio() {
  if [[ $(num "$1") =~ ^[0-9.]+$ && $(num "$2") =~ ^[0-9.]+$ ]]; then
    awk -v a="$(num "$1")" -v b="$(num "$2")" 'BEGIN { printf "%.1f", a / b }'
  else
    echo "-"
  fi
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | sed -n 1p), $("$python" -c 'import distributed; print("dask distributed", distributed.__version__)' 2>/dev/null || echo "no dask")"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), sections $sections"

if want a; then
  echo
  echo "== a. every pattern, -all -width 8 -steps 12: sequential, Weft local, Weft workers=2 and Dask print the same"
  small=(-all -width 8 -steps 12 -kernel compute_bound -iter 100 -output 64)
  run all-seq java -cp $cp $main "${small[@]}"
  run all-local java -javaagent:$agent -cp $cp $main "${small[@]}"
  run all-w2 java -javaagent:$agent=workers=2 -cp $cp $main "${small[@]}"
  run all-dask "$python" $dask "${small[@]}"
  for v in local w2 dask; do
    same_as_sequential "the $v run" "$tmp/all-seq.out" "$tmp/all-$v.out"
  done
  echo "same checksums for all $(wc -l <"$tmp/all-seq.out") patterns"
fi

rows=()
if want b; then
  echo
  echo "== b. METG(50%), width $width, compute_bound, 2 cores (Weft local and the JDK pool: $local_steps steps from ${local_max} us;"
  echo "   best of $local_reps runs a point; Weft workers=2: $w2_steps steps from ${w2_max} us; Dask: $dask_steps steps from ${dask_max} us;"
  echo "   $reps run(s) a point)"
  for pattern in $patterns; do
    graph=(-type "$pattern" -width "$width" -kernel compute_bound -sweep -reps "$reps")
    near=(-type "$pattern" -width "$width" -kernel compute_bound -sweep -reps "$local_reps" -steps "$local_steps" -max-us "$local_max" -cores 2)
    run "$pattern-local" java -javaagent:$agent -cp $cp $main "${near[@]}"
    run "$pattern-pool" java -cp $cp $main "${near[@]}" -pool 2
    run "$pattern-w2" java -javaagent:$agent=workers=2 -cp $cp $main "${graph[@]}" -steps "$w2_steps" -max-us "$w2_max" -cores 2
    run "$pattern-dask" "$python" $dask "${graph[@]}" -steps "$dask_steps" -max-us "$dask_max" -workers 2
    for v in local pool w2 dask; do
      echo "-- $pattern, $v"
      grep -E '^(iter|METG)' "$tmp/$pattern-$v.out" | sed 's/^/   /'
    done
    l=$(metg "$tmp/$pattern-local.out")
    j=$(metg "$tmp/$pattern-pool.out")
    w=$(metg "$tmp/$pattern-w2.out")
    d=$(metg "$tmp/$pattern-dask.out")
    rows+=("| $pattern | $l | $j | $w | $d | $(ratio "$d" "$l") | $(ratio "$d" "$w") |")
  done
fi

mids=()
if want c; then
  echo
  echo "== c. mid-sized tasks (~${mid_us} us), width 2, $mid_steps steps: Weft local and a JDK pool of 2 threads against the sequential program (best of $mid_repeat runs)"
  iter=$(java -cp $cp $main -calibrate "$mid_us" | sed -n 's/^iterations //p')
  echo "   $iter iterations make a task of about ${mid_us} us (calibrated without the agent)"
  for pattern in stencil_1d trivial; do
    graph=(-type "$pattern" -width 2 -steps "$mid_steps" -kernel compute_bound -iter "$iter" -repeat "$mid_repeat" -cores 2)
    run "mid-$pattern-seq" java -cp $cp $main "${graph[@]}" -cores 1
    run "mid-$pattern-weft" java -javaagent:$agent -cp $cp $main "${graph[@]}"
    run "mid-$pattern-pool" java -cp $cp $main "${graph[@]}" -pool 2
    # The gaps come from a run of their own: writing the placement record slows a run by some 10%.
    run "mid-$pattern-placed" java -javaagent:$agent=placements=$tmp/mid-$pattern.jsonl -cp $cp $main "${graph[@]}"
    for v in weft pool placed; do
      same_as_sequential "$pattern's $v run" "$tmp/mid-$pattern-seq.out" "$tmp/mid-$pattern-$v.out"
    done
    s=$(sed -n 's/^taskbench: elapsed.* FLOP\/s \([0-9.e+]*\),.*/\1/p' "$tmp/mid-$pattern-seq.err")
    f=$(sed -n 's/^taskbench: elapsed.* FLOP\/s \([0-9.e+]*\),.*/\1/p' "$tmp/mid-$pattern-weft.err")
    j=$(sed -n 's/^taskbench: elapsed.* FLOP\/s \([0-9.e+]*\),.*/\1/p' "$tmp/mid-$pattern-pool.err")
    echo "-- $pattern"
    echo "   sequential: $(grep '^taskbench: elapsed' "$tmp/mid-$pattern-seq.err" | sed 's/^taskbench: //')"
    echo "   Weft local: $(grep '^taskbench: elapsed' "$tmp/mid-$pattern-weft.err" | sed 's/^taskbench: //')"
    echo "   JDK pool:   $(grep '^taskbench: elapsed' "$tmp/mid-$pattern-pool.err" | sed 's/^taskbench: //')"
    gaps=$(java -cp $cp io.weft.benchmarks.taskbench.CoreGaps "$tmp/mid-$pattern.jsonl" PointTasks.)
    echo "   $gaps"
    median=$(printf '%s' "$gaps" | sed -n 's/.*median \([0-9.]*\) us.*/\1/p')
    p90=$(printf '%s' "$gaps" | sed -n 's/.*p90 \([0-9.]*\) us.*/\1/p')
    mids+=("| $pattern | $iter | $s | $f | $j | $(awk -v a="$f" -v b="$s" 'BEGIN { printf "%.2f", a / b }') | $(awk -v a="$j" -v b="$s" 'BEGIN { printf "%.2f", a / b }') | $median | $p90 |")
  done
fi

echo
echo "== summary"
if [ ${#rows[@]} -gt 0 ]; then
  echo "| pattern | Weft local METG (us) | JDK pool METG (us) | Weft workers=2 METG (us) | Dask METG (us) | Dask / Weft local | Dask / Weft workers=2 |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
fi
if [ ${#mids[@]} -gt 0 ]; then
  echo
  echo "| pattern (~${mid_us} us tasks) | iterations | sequential FLOP/s | Weft local FLOP/s | JDK pool FLOP/s | Weft / sequential | pool / sequential | median gap on a core (us) | p90 gap (us) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${mids[@]}"
fi
