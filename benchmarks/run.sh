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
echo "== 1. empty independent tasks, submission to completion (target >= 25% of a JDK fixed pool of as many threads)"
rate() { sed -n 's/.* best=\([0-9]*\) tasks\/s$/\1/p'; }
echo "   Weft with its defaults, then with runtimeCompiler=c2, which the default chooses for such short tasks: the two"
echo "   rates differ only by noise, unless the default chose C1 for the runtime's code (docs/agent-options.md)"
w=$(java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 1000000 5 2>/dev/null | rate)
c=$(java -javaagent:$agent=runtimeCompiler=c2 -cp $cp io.weft.benchmarks.EmptyTasks 1000000 5 2>/dev/null | rate)
p=$(java -cp $cp io.weft.benchmarks.EmptyTasks 1000000 5 pool "$(nproc)" 2>/dev/null | rate)
awk -v w="$w" -v c="$c" -v p="$p" 'BEGIN { printf "Weft %d tasks/s, with runtimeCompiler=c2 %d tasks/s | fixed pool of %d threads, empty Runnables: %d tasks/s | Weft / pool %.3f, with c2 %.3f\n", w, c, '"$(nproc)"', p, w / p, c / p }'

echo
echo "== 2. INOUT chain, latency per link (target <= 5 us)"
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

echo
echo "== 5. blocked Cholesky, whole process (targets: 10 x 10 tiles of 256 >= 1.6x the sequential program;"
echo "   16 x 16 tiles: executors busy >= 90%)"
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }
ratios=()
for r in $(seq "$repeats"); do
  s=$(secs java -cp $cp io.weft.benchmarks.Cholesky 10 256)
  w=$(secs java -javaagent:$agent -cp $cp io.weft.benchmarks.Cholesky 10 256)
  awk -v r="$r" -v s="$s" -v w="$w" 'BEGIN { printf "round %d: 10 x 10: sequential %.2f s | Weft %.2f s, speed-up %.2fx\n", r, s, w, s / w }'
  ratios+=("$(awk -v s="$s" -v w="$w" 'BEGIN { printf "%.3f", s / w }')")
done
echo "median speed-up, 10 x 10: $(printf '%s\n' "${ratios[@]}" | median)x"
for r in $(seq "$repeats"); do
  java -javaagent:$agent=summary=true -cp $cp io.weft.benchmarks.Cholesky 16 256 2>&1 >/dev/null \
    | sed -n 's/.*(\(.*executors busy [0-9]*%\)).*/16 x 16: \1/p'
done

echo
echo "== 6. start-up: an empty main, whole process, with and without the agent (target: within +100 ms); the"
echo "   time to main: the JVM's uptime when it loads the main class (the runtime starts beside main); and a main"
echo "   that calls one task at once (EmptyTasks 1 1), whole process: the start a program with tasks waits for"
tomain() {
  "$@" 2>/dev/null | sed -n 's/^\[\([0-9.]*\)s\].* io\.weft\.benchmarks\.Hello .*/\1/p'
}
# Once untimed, so that the rounds measure runs whose classes come from the rewrite cache, as a user's do after the
# first run of an agent jar (a first run rewrites each class with javassist: some 0.2 s more).
java -javaagent:$agent -cp $cp io.weft.benchmarks.Hello >/dev/null 2>&1
java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 1 1 >/dev/null 2>&1
for r in $(seq "$repeats"); do
  s=$(secs java -cp $cp io.weft.benchmarks.Hello)
  w=$(secs java -javaagent:$agent -cp $cp io.weft.benchmarks.Hello)
  ms=$(tomain java -Xlog:class+load:stdout:uptime -cp $cp io.weft.benchmarks.Hello)
  mw=$(tomain java -Xlog:class+load:stdout:uptime -javaagent:$agent -cp $cp io.weft.benchmarks.Hello)
  os=$(secs java -cp $cp io.weft.benchmarks.EmptyTasks 1 1)
  ow=$(secs java -javaagent:$agent -cp $cp io.weft.benchmarks.EmptyTasks 1 1)
  awk -v r="$r" -v s="$s" -v w="$w" -v ms="$ms" -v mw="$mw" -v os="$os" -v ow="$ow" 'BEGIN {
    printf "round %d: without %.3f s | with the agent %.3f s | +%.0f ms; main at %.3f s | %.3f s | +%.0f ms;",
      r, s, w, 1000 * (w - s), ms, mw, 1000 * (mw - ms)
    printf " one task %.3f s | %.3f s | +%.0f ms\n", os, ow, 1000 * (ow - os) }'
done

echo
echo "== 7. critical-path order (the default) against ready order (scheduler=fifo): steps of a time-stepping loop"
echo "   with an analysis of each beside them, 100 steps of 3 ms and analyses of 3 ms, whole process"
ratios=()
for r in $(seq "$repeats"); do
  s=$(secs java -cp $cp io.weft.benchmarks.StepsAndAnalyses 100 3 3)
  d=$(secs java -javaagent:$agent -cp $cp io.weft.benchmarks.StepsAndAnalyses 100 3 3)
  f=$(secs java -javaagent:$agent=scheduler=fifo -cp $cp io.weft.benchmarks.StepsAndAnalyses 100 3 3)
  awk -v r="$r" -v s="$s" -v d="$d" -v f="$f" 'BEGIN {
    printf "round %d: sequential %.2f s | default %.2f s | fifo %.2f s | fifo / default %.2f\n", r, s, d, f, f / d }'
  ratios+=("$(awk -v d="$d" -v f="$f" 'BEGIN { printf "%.3f", f / d }')")
done
echo "median fifo / default: $(printf '%s\n' "${ratios[@]}" | median)"

echo
echo "== 8. the program's own loops while tasks run, whole process: main fills arrays in loops (MainLoops), and"
echo "   calls methods of its own objects in a loop (MainCalls), beside tasks; the time main spent in its loops"
loops() { "$@" 2>&1 >/dev/null | sed -n 's/.* in \([0-9.]*\) ms$/\1/p'; }
java -javaagent:$agent -cp $cp io.weft.benchmarks.MainLoops >/dev/null 2>&1
java -javaagent:$agent -cp $cp io.weft.benchmarks.MainCalls >/dev/null 2>&1
for r in $(seq "$repeats"); do
  for program in MainLoops MainCalls; do
    t0=$(date +%s.%N); ls=$(loops java -cp $cp io.weft.benchmarks.$program); t1=$(date +%s.%N)
    lw=$(loops java -javaagent:$agent -cp $cp io.weft.benchmarks.$program); t2=$(date +%s.%N)
    awk -v r="$r" -v p="$program" -v a="$t0" -v b="$t1" -v c="$t2" -v ls="$ls" -v lw="$lw" 'BEGIN {
      printf "round %d: %s: sequential %.2f s | Weft %.2f s, speed-up %.2fx; main'"'"'s loops %.0f ms | %.0f ms\n",
        r, p, b - a, c - b, (b - a) / (c - b), ls, lw }'
  done
done
