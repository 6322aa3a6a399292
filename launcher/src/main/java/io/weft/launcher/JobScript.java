package io.weft.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * The batch script of {@code weft submit}: {@code #SBATCH} lines for what was asked, then a bash script that runs on
 * the job's first node. It has {@code weft slurm-setup} write resources.xml and project.xml from what SLURM
 * allocated, starts one worker per node with {@code srun} (adopted {@code <External>} workers that connect back),
 * runs the master with {@code weft run}, watches both, and at the end leaves nothing running. Its exit status is the
 * program's; 124 when the run was stopped at its time limit, 2 when it could not start.
 *
 * <p>Pure: {@link #render} gives the same text for the same {@link Spec}, which the golden-file tests rely on.
 */
final class JobScript {
    /**
     * Everything the script says, resolved at submission.
     *
     * @param weft the absolute path of {@code bin/weft}
     * @param runFolder the run folder, made at submission
     * @param commandLine the {@code weft submit} command line, for the script's header
     * @param timeSeconds the job's time limit, or {@code null} for the partition's default
     * @param cpusPerNode CPUs asked on each node; 0 for whole nodes ({@code --exclusive})
     * @param nodeMemoryMb memory asked on each node in MiB; 0 for SLURM's default
     * @param workerInMasterCpus CPUs of the worker on the master's node; -1 for the default
     * @param masterWorkingDir {@code local_disk}, {@code shared_disk} or an absolute path
     * @param workerWorkingDir {@code local_disk}, {@code shared_disk} or an absolute path
     * @param networkInterface an interface of the nodes or a suffix of their names, or {@code null}
     * @param masterPort the master's port, or {@code null} for a free one
     * @param submitDir the folder {@code weft submit} ran in
     * @param classPath the program's class path, absolute, for the workers
     * @param workerJvmOptions JVM options of the workers
     * @param wallClockLimit the user's own limit in seconds, or {@code null}
     * @param runArguments the arguments of {@code weft run} after those the script adds: the run options given,
     *     then the program and its arguments
     */
    record Spec(String weft, String runFolder, String commandLine, String jobName, int nodes, Long timeSeconds,
            String partition, String qos, String account, String reservation, String constraint, String dependency,
            boolean exclusive, int cpusPerNode, int gpusPerNode, long nodeMemoryMb, int workerInMasterCpus,
            String masterWorkingDir, String workerWorkingDir, String networkInterface, Integer masterPort,
            List<String> sbatchFlags, String submitDir, String classPath, List<String> workerJvmOptions,
            Long wallClockLimit, List<String> runArguments) {
        Spec {
            sbatchFlags = List.copyOf(sbatchFlags);
            workerJvmOptions = List.copyOf(workerJvmOptions);
            runArguments = List.copyOf(runArguments);
        }
    }

    private JobScript() {}

    static String render(Spec s) {
        StringBuilder b = new StringBuilder();
        b.append("#!/bin/bash\n");
        for (String line : sbatchLines(s)) {
            b.append("#SBATCH ").append(line).append('\n');
        }
        b.append("#\n");
        b.append("# A Weft run under SLURM, written by weft submit:\n");
        b.append("#   ").append(s.commandLine().replace("\n", " ")).append('\n');
        b.append(HEADER);
        b.append("weft=").append(RunFolder.quote(s.weft())).append('\n');
        b.append("run=").append(RunFolder.quote(s.runFolder())).append('\n');
        b.append("job=${SLURM_JOB_ID:?this script is a SLURM job: submit it with sbatch}\n");
        b.append("signal_lead=").append(signalLead(s.timeSeconds())).append('\n');
        b.append(FUNCTIONS);
        b.append('\n');
        b.append("# The program runs in the master's working folder.\n");
        switch (s.masterWorkingDir()) {
            case SubmitCommand.LOCAL_DISK:
                b.append("master_dir=  # made below, new and private, on the node's local disk\n");
                break;
            case SubmitCommand.SHARED_DISK:
                b.append("master_dir=").append(RunFolder.quote(s.submitDir())).append('\n');
                break;
            default:
                b.append("master_dir=").append(RunFolder.quote(s.masterWorkingDir())).append('\n');
        }
        b.append(START);
        b.append("\n# 1. What SLURM allocated: resources.xml, project.xml, and the arguments of each node's worker.\n");
        List<String> setup = new ArrayList<>(List.of("--run-folder", "$run", "--nodes", String.valueOf(s.nodes())));
        if (s.cpusPerNode() > 0) {
            setup.addAll(List.of("--cpus-per-node", String.valueOf(s.cpusPerNode())));
        }
        if (s.gpusPerNode() > 0) {
            setup.addAll(List.of("--gpus-per-node", String.valueOf(s.gpusPerNode())));
        }
        if (s.nodeMemoryMb() > 0) {
            setup.addAll(List.of("--node-memory-mb", String.valueOf(s.nodeMemoryMb())));
        }
        if (s.workerInMasterCpus() >= 0) {
            setup.addAll(List.of("--worker-in-master-cpus", String.valueOf(s.workerInMasterCpus())));
        }
        setup.addAll(List.of("--worker-working-dir", s.workerWorkingDir()));
        if (s.networkInterface() != null) {
            setup.add("--network-interface=" + s.networkInterface()); // a suffix starts with '-
        }
        if (s.masterPort() != null) {
            setup.addAll(List.of("--master-port", String.valueOf(s.masterPort())));
        }
        setup.addAll(List.of("--classpath", s.classPath()));
        for (String o : s.workerJvmOptions()) {
            setup.add("--worker-jvm-option=" + o);
        }
        if (s.wallClockLimit() != null) {
            setup.addAll(List.of("--wall-clock-limit", String.valueOf(s.wallClockLimit())));
        }
        b.append("setup=(");
        appendWords(b, setup, "    ");
        b.append(")\n");
        b.append(SETUP);
        b.append("\n# 3. The master: the program, with Weft, in the foreground of this script's watch.\n");
        b.append("program=(");
        appendWords(b, s.runArguments(), "    ");
        b.append(")\n");
        b.append(MASTER);
        return b.toString();
    }

    /** The {@code #SBATCH} options, in a fixed order. */
    static List<String> sbatchLines(Spec s) {
        List<String> l = new ArrayList<>();
        l.add("--job-name=" + s.jobName());
        l.add("--nodes=" + s.nodes());
        l.add("--ntasks-per-node=1");
        if (s.cpusPerNode() > 0) {
            l.add("--cpus-per-task=" + s.cpusPerNode());
        }
        if (s.cpusPerNode() == 0 || s.exclusive()) {
            l.add("--exclusive");
        }
        if (s.gpusPerNode() > 0) {
            l.add("--gres=gpu:" + s.gpusPerNode());
        }
        if (s.nodeMemoryMb() > 0) {
            l.add("--mem=" + s.nodeMemoryMb() + "M");
        }
        if (s.timeSeconds() != null) {
            l.add("--time=" + Durations.slurm(s.timeSeconds()));
        }
        add(l, "--partition=", s.partition());
        add(l, "--qos=", s.qos());
        add(l, "--account=", s.account());
        add(l, "--reservation=", s.reservation());
        add(l, "--constraint=", s.constraint());
        add(l, "--dependency=", s.dependency());
        l.add("--signal=B:USR1@" + signalLead(s.timeSeconds()));
        l.add("--output=" + s.runFolder() + "/job-%j.out");
        l.add("--error=" + s.runFolder() + "/job-%j.err");
        l.addAll(s.sbatchFlags());
        return l;
    }

    /**
     * How many seconds before the job's limit SLURM warns it: half the margin the master keeps, so the master's own
     * limit comes first and the warning only stops a master that did not.
     */
    static long signalLead(Long timeSeconds) {
        return timeSeconds == null ? 60 : Math.max(10, SubmitCommand.stopMargin(timeSeconds) / 2);
    }

    private static void add(List<String> l, String option, String value) {
        if (value != null) {
            l.add(option + value);
        }
    }

    /** Words for a bash array, each quoted, {@code $run} kept as a variable. */
    private static void appendWords(StringBuilder b, List<String> words, String indent) {
        int column = 0;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String q = w.equals("$run") ? "\"$run\"" : RunFolder.quote(w);
            if (i > 0) {
                if (column + q.length() > 100) {
                    b.append(" \\\n").append(indent);
                    column = indent.length();
                } else {
                    b.append(' ');
                    column++;
                }
            }
            b.append(q);
            column += q.length();
        }
    }

    private static final String HEADER = """
            #
            # It runs on the job's first node. weft slurm-setup writes resources.xml and project.xml from what SLURM
            # allocated; srun starts one worker per node (each connects back to the master); weft run runs the program
            # there, as the master, with a wall-clock limit a little under the job's time. The job's exit status is the
            # program's: 124 when the run was stopped at its time limit, 2 when it could not start. When it ends, no
            # worker is left on any node. SLURM's warning (SIGUSR1, see --signal) stops a master still running then.

            set -uo pipefail
            """;

    static final String FUNCTIONS = """
            say() { printf 'weft: %s\\n' "$*" >&2; }
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
            """;

    private static final String START = """
            umask 077
            if [ -z "$master_dir" ]; then
              # A new folder with a random name: one someone else made first (or a link) is never used, nor removed.
              master_dir=$(mktemp -d "${TMPDIR:-/tmp}/weft-job-$job.XXXXXX") \\
                || { say "cannot make a folder for the master in ${TMPDIR:-/tmp}"; exit 2; }
              made_master_dir=$master_dir
            fi
            cd "$master_dir" || { say "cannot use the master's working folder $master_dir"; exit 2; }

            # The run's credentials: a file the master makes (and deletes once every worker has read it) in a folder
            # only this user may enter, in the run folder, which the workers' nodes see.
            mkdir -p "$run/private" && chmod 700 "$run/private" || exit 2
            export WEFT_RUN_SECRET_FILE=$run/private/run-$job.secret
            say "job $job on $SLURM_JOB_NODELIST; run folder $run"
            """;

    private static final String SETUP = """
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
              srun --nodes=1 --ntasks=1 --nodelist="$node" --cpus-per-task="$cpus" ${gres[@]+"${gres[@]}"} --kill-on-bad-exit=1 \\
                  --job-name="weft-worker-$node" "$weft" worker @"$run/workers/$node.args" \\
                  2> "$run/workers/$node.err" < /dev/null &
              worker_pids+=("$!") worker_nodes+=("$node")
            done < "$run/setup.txt"
            """;

    private static final String MASTER = """
            limit_option=(); [ "$limit" != none ] && limit_option=(--wall-clock-limit "${limit}s")
            "$weft" run --run-folder "$run" --resources "$run/resources.xml" --project "$run/project.xml" \\
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
              if [ -n "$near_limit" ] && [ -z "$stopping" ] \\
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
            """;
}
