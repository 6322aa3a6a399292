package io.weft.instrument;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's options, validated eagerly and then immutable. They come from the agent argument
 * ({@code -javaagent:weft-agent.jar=threads=4,summary=true}) and from system properties named {@code weft.<option>}
 * ({@code -Dweft.threads=4}); the agent argument wins. An unknown option is an error that suggests the closest
 * known one.
 */
final class AgentOptions {
    /** Every option with a one-line description, in the order the reference documents them. */
    static final Map<String, String> KNOWN = knownOptions();

    private final Map<String, String> values;

    private AgentOptions(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    private static Map<String, String> knownOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("threads", "executor threads of the local worker when no resources file is given, or of each worker"
                + " process with workers=N (default: available processors, shared among the workers)");
        m.put("workers", "run the tasks in N worker processes on this host, a local cluster (default: in this"
                + " process)");
        m.put("workerTimeout", "seconds a worker process may stay silent before it is taken for lost and its tasks"
                + " run elsewhere (default 10)");
        m.put("workerStartTimeout", "seconds to wait for each worker process to start and connect, including workers"
                + " that something else starts, such as srun (default 60)");
        m.put("tls", "encrypt the connections between the master and its worker processes with TLS, using a key and"
                + " certificate made for the run: true or false (default false)");
        m.put("awaitWorkers", "start main only once every worker process serves, rather than while they start: true"
                + " or false (default false)");
        m.put("classCache", "let worker processes on this host, and the program's JVM under weft run, map the classes"
                + " they load at start from a class-data archive made once per Weft jar and JVM: true or false"
                + " (default true)");
        m.put("rewriteCache", "keep the classes the agent rewrites in a cache of the user's own, so that later runs"
                + " of unchanged classes skip the rewrite: true or false (default true)");
        m.put("runtimeCompiler", "which JIT compiler optimises Weft's own runtime code: c1, quick to compile, c2,"
                + " slower to compile and then some microseconds faster per task, or auto (default): c1 if the run's"
                + " first 500 tasks were mid-sized (50 us to 1 ms per executor), else c2; the program's code gets"
                + " both");
        m.put("masterPort", "the port worker processes connect to (default: the project's MasterNode Port, else a"
                + " free one)");
        m.put("workerJvmOptions", "options for the JVM of each worker process the master starts, ';'-separated");
        m.put("wallClockLimit", "stop the run cleanly once it has run this long, with exit status 124: seconds, or"
                + " a duration such as 10m or 1h30m (default: no limit)");
        m.put("checkpoint", "keep a journal of finished tasks and their outputs in this folder; the same program"
                + " started again with it does not run those tasks again (default: none)");
        m.put("checkpointEvery", "write the checkpoint journal out after this many finished tasks, or this often"
                + " (30s, 5m) (default 1: after each task)");
        m.put("resources", "the resources.xml describing the nodes (default: this machine, described by itself)");
        m.put("project", "the project.xml saying which nodes of the resources file this run uses and how their"
                + " worker processes start (default: all of them, served in this process)");
        m.put("placements", "write where each task ran (node, cores, GPUs, implementation) to this file,"
                + " one JSON object per line");
        m.put("include", "class-name prefixes to instrument even if they look like library classes, ';'-separated");
        m.put("exclude", "class-name prefixes never to instrument, ';'-separated");
        m.put("main", "the program's entry class, if it cannot be read from the java command line");
        m.put("maxPending", "tasks that may be pending before a submitting thread waits (default 100000)");
        m.put("scheduler", "scheduling policy: locality (default), critical, fifo or lifo; priority tasks go first in each");
        m.put("summary", "print an end-of-run summary on stderr: true, false or auto (default: auto, on a terminal)");
        m.put("progress", "show a progress bar on stderr: true, false or auto (default: auto, on a terminal)");
        m.put("role", "master (default) or worker: worker processes started by Weft use role=worker, which only"
                + " gives the processes tasks start their cores and devices");
        m.put("waitWarning", "seconds a thread waits for tasks before a warning names them and what they are doing;"
                + " 0 never warns (default 30)");
        m.put("verbose", "print each instrumented class, and with worker processes when each serves, on stderr: true"
                + " or false (default false)");
        m.put("check", "run one task at a time and report each task that changes an @In object or writes a file it"
                + " was not given as an @Out/@InOut Path or File: true or false (default false)");
        m.put("runFolder", "an existing folder where the run keeps its records: master.log, workers/NODE.log and the"
                + " resources.xml and project.xml it used (default: none, and nothing is written)");
        m.put("logLevel", "what the run folder's logs take: warn, info, debug or trace (default info); standard"
                + " error always has warnings and errors, and only them");
        return Map.copyOf(m);
    }

    /**
     * Parses and validates the options.
     *
     * @param agentArgs the text after {@code =} in {@code -javaagent:weft-agent.jar=...}, or {@code null}
     * @param system the system properties
     * @throws IllegalArgumentException naming the bad option and the closest known one
     */
    static AgentOptions parse(String agentArgs, Properties system) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("weft.")) {
                put(values, name.substring("weft.".length()), system.getProperty(name), "-Dweft.");
            }
        }
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String pair : agentArgs.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("agent option '" + pair + "' is not of the form name=value;"
                            + " for example -javaagent:weft-agent.jar=threads=4,summary=true");
                }
                put(values, pair.substring(0, eq).trim(), pair.substring(eq + 1).trim(), "");
            }
        }
        if (values.containsKey("workers") && values.containsKey("resources")) {
            throw new IllegalArgumentException("options workers and resources cannot go together: workers=N starts"
                    + " its own local cluster of N worker processes; a resources file describes the nodes instead");
        }
        return new AgentOptions(values);
    }

    private static void put(Map<String, String> values, String name, String value, String prefix) {
        if (!KNOWN.containsKey(name)) {
            throw new IllegalArgumentException("unknown option '" + prefix + name + "'"
                    + closest(name).map(c -> "; did you mean '" + prefix + c + "'?").orElse(".")
                    + " Known options: " + String.join(", ", KNOWN.keySet().stream().sorted().toList()) + ".");
        }
        switch (name) {
            case "workerTimeout", "workerStartTimeout" -> {
                try {
                    double seconds = Double.parseDouble(value);
                    if (!(seconds >= 0.1 && seconds <= 86_400)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected a number of seconds from 0.1 to 86400");
                }
            }
            case "waitWarning" -> {
                try {
                    double seconds = Double.parseDouble(value);
                    if (!(seconds >= 0 && seconds <= 86_400)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected a number of seconds from 0 (never) to 86400");
                }
            }
            case "threads", "maxPending", "workers" -> {
                try {
                    if (Integer.parseInt(value) < 1) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected a whole number of at least 1");
                }
            }
            case "summary", "progress" -> requireOneOf(prefix + name, value, "true", "false", "auto");
            case "verbose", "tls", "classCache", "rewriteCache", "awaitWorkers", "check" -> requireOneOf(prefix + name, value, "true", "false");
            case "masterPort" -> {
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected a port number from 0 to 65535 (0: any free port)");
                }
            }
            case "wallClockLimit" -> {
                if (seconds(value) <= 0) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected seconds (decimals allowed) or a duration such as 90s, 10m, 1h30m or 2d,"
                            + " longer than zero");
                }
            }
            case "role" -> requireOneOf(prefix + name, value, "master", "worker");
            case "runtimeCompiler" -> requireOneOf(prefix + name, value, "auto", "c1", "c2");
            case "scheduler" -> requireOneOf(prefix + name, value, "locality", "critical", "fifo", "lifo");
            case "logLevel" -> requireOneOf(prefix + name, value, "warn", "info", "debug", "trace");
            case "runFolder" -> {
                if (value.isBlank() || !java.nio.file.Files.isDirectory(java.nio.file.Path.of(value))) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected an existing folder (the weft command makes one for each run)");
                }
            }
            case "checkpointEvery" -> {
                if (!value.matches("[1-9]\\d{0,8}") && (!value.matches("(\\d+h)?(\\d+m)?(\\d+s)?")
                        || value.replaceAll("[^1-9]", "").isEmpty())) {
                    throw new IllegalArgumentException("option " + prefix + name + "=" + value
                            + ": expected a number of tasks (1 or more) or a duration such as 30s, 5m or 1h");
                }
            }
            case "resources", "project", "placements", "checkpoint" -> {
                if (value.isBlank()) {
                    throw new IllegalArgumentException("option " + prefix + name + "= needs a file name");
                }
            }
            default -> { }
        }
        // The runtime reads the limit in seconds, and a checkpoint period as seconds followed by "s", whatever form
        // they were given in.
        if (name.equals("wallClockLimit")) {
            value = String.valueOf(seconds(value));
        } else if (name.equals("checkpointEvery") && !value.matches("\\d+")) {
            value = seconds(value) + "s";
        }
        values.put(name, value);
    }

    /**
     * A duration in seconds: a number of seconds (decimals allowed), or whole numbers with units such as
     * {@code 1h30m}, {@code 10m}, {@code 90s} or {@code 2d}; {@code -1} when the text is none of those.
     */
    static double seconds(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s?)?")
                .matcher(text.trim().toLowerCase(Locale.ROOT));
        if (text.isBlank() || !m.matches()) {
            return -1;
        }
        return part(m.group(1)) * 86400 + part(m.group(2)) * 3600 + part(m.group(3)) * 60 + part(m.group(4));
    }

    private static double part(String s) {
        return s == null ? 0 : Double.parseDouble(s);
    }

    private static void requireOneOf(String name, String value, String... accepted) {
        if (!Arrays.asList(accepted).contains(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("option " + name + "=" + value + ": expected one of "
                    + String.join(", ", accepted));
        }
    }

    private static java.util.Optional<String> closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : KNOWN.keySet()) {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 2) ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** All options that were given, by name. */
    Map<String, String> asMap() {
        return values;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The option's {@code ;}-separated items, trimmed, without empty ones (a loop: this runs before {@code main}). */
    List<String> list(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        List<String> items = new java.util.ArrayList<>();
        for (String item : v.split(";")) {
            if (!item.trim().isEmpty()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }
}
