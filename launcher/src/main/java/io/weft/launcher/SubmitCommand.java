package io.weft.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code weft submit}: the program as a SLURM batch job over {@code --nodes} nodes, like COMPSs'
 * {@code enqueue_compss}. It makes the run folder, writes the job script there ({@link JobScript}) and submits it
 * with {@code sbatch}; with {@code --dry-run} it only prints the script, with {@code --wait} it follows the job
 * ({@link JobWatch}) and ends with its exit status. The run options are {@code weft run}'s ({@link RunOptions}),
 * passed on to the {@code weft run} of the job.
 */
@Command(name = "submit", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Submit a Java program to SLURM: its master on the first node, a worker on each other node.",
        footer = {"", "Batch options and run options go before the main class; what follows it is the program's own"
                + " arguments. The job's output, the job script and the run's logs are in the run folder, printed at"
                + " submission.",
            "Examples:", "  weft submit --nodes 3 --time 30 -cp app.jar com.acme.Main input.txt",
            "  weft submit --nodes 2 --partition debug --wait --summary -jar app.jar"})
final class SubmitCommand implements Callable<Integer> {
    static final String LOCAL_DISK = "local_disk";
    static final String SHARED_DISK = "shared_disk";
    /** Exit status of {@code --wait} when it gave up before the job ended. */
    static final int STILL_RUNNING = 3;

    /** Run options the job sets itself, or that mean nothing for a job. */
    private static final Map<String, String> NOT_FOR_SUBMIT = Map.of(
            "--resources", "the job writes resources.xml from what SLURM allocated",
            "--project", "the job writes project.xml from what SLURM allocated",
            "--workers", "the job has a worker on each node; ask for nodes with --nodes",
            "--work-dir", "use --master-working-dir (and --worker-working-dir)");
    /** Run options submit reads itself rather than pass on as they are. */
    private static final Set<String> READ_HERE = Set.of("--classpath", "--log-dir", "--master-port",
            "--wall-clock-limit", "--worker-jvm-option", "-jar");

    @Option(names = {"-N", "--nodes"}, paramLabel = "N",
            description = "nodes of the job: the master runs on the first, a worker on each other one (default: 1)")
    int nodes = 1;

    @Option(names = {"-t", "--time"}, paramLabel = "TIME",
            description = "the job's time limit, as SLURM writes it (30 is 30 minutes; 1:30:00, 2-12:00) or 90s, 10m,"
                    + " 1h30m (default: the partition's); the run stops in order a little before it")
    String time;

    @Option(names = {"-p", "--partition"}, paramLabel = "NAME", description = "the partition (queue)")
    String partition;

    @Option(names = "--qos", paramLabel = "NAME", description = "the quality of service")
    String qos;

    @Option(names = "--account", paramLabel = "NAME", description = "the account (project) charged for the job")
    String account;

    @Option(names = "--cpus-per-node", paramLabel = "N",
            description = "CPUs to ask on each node (default: whole nodes, --exclusive)")
    int cpusPerNode;

    @Option(names = "--gpus-per-node", paramLabel = "N", description = "GPUs to ask on each node (--gres=gpu:N)")
    int gpusPerNode;

    @Option(names = "--node-memory", paramLabel = "SIZE",
            description = "memory to ask on each node, as SLURM's --mem: 500M, 64G (a bare number is MiB)")
    String nodeMemory;

    @Option(names = "--worker-in-master-cpus", paramLabel = "N",
            description = "CPUs of a worker on the master's node; 0: the master's node runs no tasks (default: 0,"
                    + " or every CPU of the node when the job has one node)")
    Integer workerInMasterCpus;

    @Option(names = {"-J", "--job-name"}, paramLabel = "NAME", description = "the job's name (default: weft-<main class>)")
    String jobName;

    @Option(names = "--dependency", paramLabel = "LIST",
            description = "start after other jobs, as SLURM's --dependency: afterok:1234")
    String dependency;

    @Option(names = "--reservation", paramLabel = "NAME", description = "run in this reservation")
    String reservation;

    @Option(names = {"-C", "--constraint"}, paramLabel = "LIST", description = "node features the nodes must have")
    String constraint;

    @Option(names = "--exclusive", description = "share the nodes with no other job (implied without --cpus-per-node)")
    boolean exclusive;

    @Option(names = "--network-interface", paramLabel = "NAME",
            description = "where workers connect to the master: an interface of its node (ib0), or a suffix of node"
                    + " names (--network-interface=-ib0 gives node1-ib0) (default: the node's name)")
    String networkInterface;

    @Option(names = "--master-working-dir", paramLabel = "DIR",
            description = "the folder the program runs in: local_disk (a folder of the job on the node's $TMPDIR,"
                    + " removed at the end), shared_disk (the folder weft submit runs in) or a path"
                    + " (default: shared_disk)")
    String masterWorkingDir = SHARED_DISK;

    @Option(names = "--worker-working-dir", paramLabel = "DIR",
            description = "where workers keep their files: local_disk (the node's $TMPDIR), shared_disk (the run"
                    + " folder) or a path (default: local_disk)")
    String workerWorkingDir = LOCAL_DISK;

    @Option(names = "--sbatch-flag", paramLabel = "FLAG",
            description = "an extra option for sbatch, e.g. --sbatch-flag=--mail-type=END; repeatable")
    List<String> sbatchFlags = new ArrayList<>();

    @Option(names = "--dry-run", description = "print the job script and submit nothing")
    boolean dryRun;

    @Option(names = "--wait",
            description = "wait for the job to end, then say how it ended and where its output is; the exit status"
                    + " is the job's")
    boolean waitForJob;

    @Option(names = "--wait-timeout", paramLabel = "DURATION",
            description = "with --wait, give up waiting after this long, leaving the job be (default: 24h)")
    String waitTimeout = "24h";

    @Mixin
    RunOptions options;



    @Spec
    CommandSpec spec;

    private final SlurmCommands slurm;

    SubmitCommand() {
        this(new SlurmCommands(Duration.ofSeconds(60)));
    }

    SubmitCommand(SlurmCommands slurm) {
        this.slurm = slurm;
    }

    @Override
    public Integer call() throws IOException {
        Installation installation = Installation.current().requireJars();
        Path weft = installation.home().resolve("bin").resolve("weft");
        if (!Files.isExecutable(weft)) {
            throw new LauncherException(weft + " is missing: the job runs the weft command on its nodes");
        }
        Program p = program();
        Path base = (options.logDir != null ? options.logDir : RunFolder.defaultBase()).toAbsolutePath().normalize();
        Path submitDir = Path.of("").toAbsolutePath();
        if (dryRun) {
            String folder = base.resolve(p.shortName() + "-" + LocalDateTime.now().format(
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-dry-run").toString();
            System.out.print(JobScript.render(jobSpec(weft, folder, submitDir, p)));
            System.out.flush();
            return 0;
        }
        jobSpec(weft, base.toString(), submitDir, p); // every option checked before anything is made
        Duration waitLimit = Duration.ofSeconds(Durations.seconds(waitTimeout, "--wait-timeout"));
        Path run = RunFolder.create(base, p.shortName());
        JobScript.Spec job = jobSpec(weft, run.toString(), submitDir, p);
        ParseResult parsed = spec.commandLine().getParseResult();
        Path script = run.resolve("job.sh");
        Files.writeString(script, JobScript.render(job), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        List<String> sbatch = List.of("sbatch", "--parsable", script.toString());
        Files.writeString(run.resolve("submit.txt"), "weft " + RunFolder.quote(parsed.originalArgs()) + "\n"
                + RunFolder.quote(sbatch) + "\n", StandardCharsets.UTF_8);
        SlurmCommands.Result r = slurm.attempt(sbatch);
        if (r.status() != 0) {
            throw new LauncherException("SLURM refused the job (sbatch exit status " + r.status() + "): "
                    + (r.stderr().isBlank() ? "no reason given" : r.stderr().strip()) + "; the job script is " + script);
        }
        String id = r.stdout().strip().split(";")[0];
        if (!id.matches("\\d+(_\\d+)?")) {
            throw new LauncherException("sbatch answered '" + r.stdout().strip() + "', not a job id; the job script is "
                    + script);
        }
        System.err.println("weft: submitted job " + id + "; run folder " + run);
        System.err.println("weft: its output will be in " + run.resolve("job-" + id + ".out") + " and "
                + run.resolve("job-" + id + ".err"));
        System.err.flush();
        System.out.println(id);
        System.out.flush();
        if (!waitForJob) {
            return 0;
        }
        return new JobWatch(slurm, System.err).await(id, waitLimit, run);
    }

    /** The program to run, checked: its main class is on its class path. */
    Program program() {
        return options.program();
    }

    /**
     * The job script's description, every option checked (before anything is made or submitted).
     *
     * @param weft the {@code bin/weft} the job runs
     * @param runFolder the run folder
     * @param submitDir the folder weft submit runs in
     */
    JobScript.Spec jobSpec(Path weft, String runFolder, Path submitDir, Program p) {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> passed = passedRunOptions(parsed);
        List<String> arguments = options.arguments();
        options.agentOptions(); // checks them; the job's weft run uses them
        List<String> original = parsed.originalArgs();
        if (nodes < 1) {
            throw new LauncherException("--nodes " + nodes + ": expected a whole number of at least 1");
        }
        if (cpusPerNode < 0 || gpusPerNode < 0) {
            throw new LauncherException("--cpus-per-node and --gpus-per-node cannot be negative");
        }
        if (workerInMasterCpus != null) {
            if (workerInMasterCpus < 0) {
                throw new LauncherException("--worker-in-master-cpus " + workerInMasterCpus + ": cannot be negative");
            }
            if (cpusPerNode > 0 && workerInMasterCpus > cpusPerNode) {
                throw new LauncherException("--worker-in-master-cpus " + workerInMasterCpus + ": more than the "
                        + cpusPerNode + " CPUs asked on each node (--cpus-per-node)");
            }
            if (nodes == 1 && workerInMasterCpus == 0) {
                throw new LauncherException("--worker-in-master-cpus 0 with --nodes 1: no node would run tasks");
            }
        }
        Long timeSeconds = time == null ? null : SlurmTime.limitSeconds(time, "--time");
        Long ownLimit = options.wallClockLimit == null ? null
                : Durations.seconds(options.wallClockLimit, "--wall-clock-limit");
        if (options.masterPort != null && (options.masterPort < 1 || options.masterPort > 65535)) {
            throw new LauncherException("--master-port " + options.masterPort + ": expected 1 to 65535 (without it,"
                    + " the job chooses a free port)");
        }
        for (String f : sbatchFlags) {
            if (!f.startsWith("-") || f.contains("\n")) {
                throw new LauncherException("--sbatch-flag " + f + ": expected one option of sbatch, such as"
                        + " --sbatch-flag=--mail-type=END");
            }
        }
        for (String[] v : new String[][] {{"--partition", partition}, {"--qos", qos}, {"--account", account},
                {"--reservation", reservation}, {"--constraint", constraint}, {"--dependency", dependency},
                {"--job-name", jobName}}) {
            if (v[1] != null && (v[1].isBlank() || v[1].matches("(?s).*\\s.*"))) {
                throw new LauncherException(v[0] + " '" + v[1] + "': may not be empty or hold spaces");
            }
        }
        if (networkInterface != null && (networkInterface.isBlank() || networkInterface.matches("(?s).*\\s.*"))) {
            throw new LauncherException("--network-interface '" + networkInterface + "': may not be empty or hold"
                    + " spaces");
        }
        List<String> runArguments = new ArrayList<>(passed);
        runArguments.add("-cp");
        runArguments.add(String.join(java.io.File.pathSeparator, !options.jar ? p.classPath()
                : p.classPath().subList(1, p.classPath().size())));
        if (options.jar) {
            runArguments.add("-jar");
            runArguments.add(p.classPath().get(0));
        } else {
            runArguments.add(p.mainClass());
        }
        runArguments.addAll(arguments);
        return new JobScript.Spec(weft.toString(), runFolder, "weft " + RunFolder.quote(original),
                jobName != null ? jobName : "weft-" + p.shortName(), nodes, timeSeconds, partition, qos, account,
                reservation, constraint, dependency, exclusive, cpusPerNode, gpusPerNode, memoryMb(nodeMemory),
                workerInMasterCpus == null ? -1 : workerInMasterCpus, folder(masterWorkingDir, "--master-working-dir"),
                folder(workerWorkingDir, "--worker-working-dir"), networkInterface, options.masterPort, sbatchFlags,
                submitDir.toString(), String.join(java.io.File.pathSeparator, p.classPath()),
                options.workerJvmOptions, ownLimit, runArguments);
    }

    /**
     * The run options given on the command line, as arguments for the job's {@code weft run}: those the job sets
     * itself are refused, and those read here are left out.
     */
    private List<String> passedRunOptions(ParseResult parsed) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : spec.mixins().get("options").options()) {
            if (!parsed.hasMatchedOption(o)) {
                continue;
            }
            String name = o.longestName();
            for (String n : o.names()) {
                if (NOT_FOR_SUBMIT.containsKey(n)) {
                    throw new LauncherException(n + " is not for weft submit: " + NOT_FOR_SUBMIT.get(n));
                }
            }
            if (java.util.Arrays.stream(o.names()).anyMatch(READ_HERE::contains)) {
                continue;
            }
            Object value = o.getValue();
            if (value instanceof Boolean b) {
                if (o.negatable()) {
                    out.add(b ? name : name.replaceFirst("^--", "--no-"));
                } else if (b) {
                    out.add(name);
                }
            } else if (value instanceof List<?> list) {
                list.forEach(v -> out.add(name + "=" + v));
            } else if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> out.add(name + "=" + k + "=" + v));
            } else if (value != null) {
                out.add(name + "=" + value);
            }
        }
        return out;
    }

    /** {@code local_disk}, {@code shared_disk}, or the path made absolute. */
    private static String folder(String spec, String option) {
        String s = spec.trim();
        if (s.equalsIgnoreCase(LOCAL_DISK) || s.equalsIgnoreCase(SHARED_DISK)) {
            return s.toLowerCase(Locale.ROOT);
        }
        if (s.isEmpty()) {
            throw new LauncherException(option + ": expected local_disk, shared_disk or a folder");
        }
        return Path.of(s).toAbsolutePath().normalize().toString();
    }

    /** {@code --node-memory} in MiB, as SLURM reads {@code --mem}; 0 when not given. */
    static long memoryMb(String text) {
        if (text == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([KMGT]?)B?")
                .matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new LauncherException("--node-memory " + text + ": expected a size as SLURM's --mem takes it:"
                    + " 500M, 64G, 1T (a bare number is MiB)");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "K":
                return Math.max(1, n / 1024);
            case "G":
                return n * 1024;
            case "T":
                return n * 1024 * 1024;
            default:
                return n;
        }
    }

    /**
     * How long before the job's limit the master stops: a tenth of the limit, at least 20 s (a JVM must stop and its
     * workers leave) and at most 5 minutes.
     */
    static long stopMargin(long limitSeconds) {
        return Math.max(20, Math.min(300, limitSeconds / 10));
    }
}
