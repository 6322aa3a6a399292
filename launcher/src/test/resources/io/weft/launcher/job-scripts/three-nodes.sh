#!/bin/bash
#SBATCH --job-name=weft-Main
#SBATCH --nodes=3
#SBATCH --ntasks-per-node=1
#SBATCH --exclusive
#SBATCH --signal=B:USR1@60
#SBATCH --output=/home/alice/.weft/runs/Main-20261206-120000-1a2b/job-%j.out
#SBATCH --error=/home/alice/.weft/runs/Main-20261206-120000-1a2b/job-%j.err
#
# A Weft run under SLURM, written by weft submit:
#   weft submit --nodes 3 -cp /home/alice/app/classes com.acme.Main
#
# It runs on the job's first node. weft slurm-setup writes resources.xml and project.xml from what SLURM
# allocated; srun starts one worker per node (each connects back to the master); weft run runs the program
# there, as the master, with a wall-clock limit a little under the job's time. The job's exit status is the
# program's: 124 when the run was stopped at its time limit, 2 when it could not start. When it ends, no
# worker is left on any node. SLURM's warning (SIGUSR1, see --signal) stops a master still running then.

set -uo pipefail
weft=/opt/weft/bin/weft
run=/home/alice/.weft/runs/Main-20261206-120000-1a2b
job=${SLURM_JOB_ID:?this script is a SLURM job: submit it with sbatch}
signal_lead=60
say() { printf 'weft: %s\n' "$*" >&2; }
alive() { kill -0 "$1" 2>/dev/null; }
master_pid= near_limit= stopping= start_failed= made_master_dir=
worker_pids=() worker_nodes=()

# A worker step that ended with one of these statuses never served: srun could not make the step or start
# the command (1, 2), or the worker refused to start (its statuses 2 to 8, see docs/protocol.md).
could_not_start() {
  case $1 in
    2|3|4|5|6|7|8) return 0 ;;
    1) grep -qE 'Unable to create step|Could not create the Java Virtual Machine|^weft: error' "$2" ;;
    *) return 1 ;;
  esac
}

# Ends what this script started: the master, then the workers (they leave when the master's connection
# closes; a step still there after that is ended by srun), then the credentials' folder. Signals are
# ignored meanwhile: SLURM's warning may come now (it can come up to a minute early), and its default
# action would end this script halfway, with the signal's status instead of the run's.
cleanup() {
  trap '' USR1 TERM INT
  local grace=$1 i
  if [ -n "$master_pid" ] && alive "$master_pid"; then
    kill -TERM "$master_pid" 2>/dev/null
    for _ in $(seq $((grace * 5))); do alive "$master_pid" || break; sleep 0.2; done
    alive "$master_pid" && kill -KILL "$master_pid" 2>/dev/null
  fi
  for _ in $(seq $((grace * 5))); do
    i=0; for p in ${worker_pids[@]+"${worker_pids[@]}"}; do alive "$p" && i=1; done
    [ "$i" = 0 ] && break; sleep 0.2
  done
  for i in "${!worker_pids[@]}"; do
    if alive "${worker_pids[$i]}"; then
      say "the worker on ${worker_nodes[$i]} did not leave with the master: ending its job step"
      kill -TERM "${worker_pids[$i]}" 2>/dev/null
    fi
  done
  for p in ${worker_pids[@]+"${worker_pids[@]}"}; do wait "$p" 2>/dev/null; done
  rm -rf "$run/private"
  [ -n "$made_master_dir" ] && rm -rf "$made_master_dir"
}
trap 'cleanup 10' EXIT
trap 'near_limit=1; say "SLURM warns that job $job is $signal_lead s from its time limit (SIGUSR1)"' USR1
trap 'say "job $job was told to stop (SIGTERM: scancel, or SLURM at its time limit)"; cleanup 3; trap - EXIT; exit 143' TERM
trap 'say "job $job was interrupted"; cleanup 3; trap - EXIT; exit 130' INT

# The program runs in the master's working folder.
master_dir=/home/alice/work
umask 077
if [ -z "$master_dir" ]; then
  # A new folder with a random name: one someone else made first (or a link) is never used, nor removed.
  master_dir=$(mktemp -d "${TMPDIR:-/tmp}/weft-job-$job.XXXXXX") \
    || { say "cannot make a folder for the master in ${TMPDIR:-/tmp}"; exit 2; }
  made_master_dir=$master_dir
fi
cd "$master_dir" || { say "cannot use the master's working folder $master_dir"; exit 2; }

# The run's credentials: a file the master makes (and deletes once every worker has read it) in a folder
# only this user may enter, in the run folder, which the workers' nodes see.
mkdir -p "$run/private" && chmod 700 "$run/private" || exit 2
export WEFT_RUN_SECRET_FILE=$run/private/run-$job.secret
say "job $job on $SLURM_JOB_NODELIST; run folder $run"

# 1. What SLURM allocated: resources.xml, project.xml, and the arguments of each node's worker.
setup=(--run-folder "$run" --nodes 3 --worker-working-dir local_disk --classpath \
    /home/alice/app/classes)
if ! "$weft" slurm-setup "${setup[@]}" > "$run/setup.txt"; then
  say "job $job could not be set up (see above)"; exit 2
fi
limit=$(awk '$1 == "limit" { print $2 }' "$run/setup.txt")
left=$(awk '$1 == "left" { print $2 }' "$run/setup.txt")
# When the job's time is up, give or take: SLURM may send its warning up to a minute early.
deadline=; [ "$left" != none ] && deadline=$(( $(date +%s) + left - 2 ))

# 2. One worker per node, each started by srun in a job step of its own; each connects to the master.
while read -r kind node cpus gpus; do
  [ "$kind" = worker ] || continue
  gres=(); [ "$gpus" -gt 0 ] && gres=(--gres="gpu:$gpus")
  srun --nodes=1 --ntasks=1 --nodelist="$node" --cpus-per-task="$cpus" ${gres[@]+"${gres[@]}"} --kill-on-bad-exit=1 \
      --job-name="weft-worker-$node" "$weft" worker @"$run/workers/$node.args" \
      2> "$run/workers/$node.err" < /dev/null &
  worker_pids+=("$!") worker_nodes+=("$node")
done < "$run/setup.txt"

# 3. The master: the program, with Weft, in the foreground of this script's watch.
program=(-cp /home/alice/app/classes com.acme.Main)
limit_option=(); [ "$limit" != none ] && limit_option=(--wall-clock-limit "${limit}s")
"$weft" run --run-folder "$run" --resources "$run/resources.xml" --project "$run/project.xml" \
    ${limit_option[@]+"${limit_option[@]}"} "${program[@]}" < /dev/null &
master_pid=$!

# Watch: a worker that cannot start stops the run at once (the master would wait for it); after SLURM's
# warning, which may come up to a minute early, a master still running $signal_lead s before the end is
# stopped.
declare -A ended=()
while alive "$master_pid"; do
  for i in "${!worker_pids[@]}"; do
    [ -n "${ended[$i]:-}" ] && continue
    alive "${worker_pids[$i]}" && continue
    wait "${worker_pids[$i]}"; st=$?; ended[$i]=$st
    [ "$st" = 0 ] && continue
    log=$run/workers/${worker_nodes[$i]}.err
    say "the worker on ${worker_nodes[$i]} ended with status $st; the end of $log:"
    tail -n 5 "$log" | sed 's/^/    /' >&2
    if [ -z "$stopping" ] && could_not_start "$st" "$log"; then
      # A task's System.exit(3) ends its worker with 3, and the master with 3 right after: a start
      # failure only if the master goes on.
      for _ in $(seq 25); do alive "$master_pid" || break; sleep 0.2; done
      if alive "$master_pid"; then
        say "stopping job $job: no worker could start on ${worker_nodes[$i]}"
        start_failed=1 stopping=1; kill -TERM "$master_pid" 2>/dev/null
      fi
    fi
  done
  if [ -n "$near_limit" ] && [ -z "$stopping" ] \
      && { [ -z "$deadline" ] || [ "$(date +%s)" -ge $((deadline - signal_lead)) ]; }; then
    say "stopping job $job: the run is still going $signal_lead s before the job's time limit"
    stopping=1; kill -TERM "$master_pid" 2>/dev/null
  fi
  sleep 0.5 & wait $!
done
wait "$master_pid"; status=$?
master_pid=
cleanup 10; trap - EXIT
if [ -n "$start_failed" ]; then
  status=2
elif [ "$status" = 124 ] || { [ -n "$near_limit" ] && [ -n "$stopping" ]; }; then
  say "job $job stopped its run at the time limit (exit status 124)"; status=124
fi
exit "$status"
