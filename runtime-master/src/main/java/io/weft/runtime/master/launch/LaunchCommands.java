package io.weft.runtime.master.launch;

import io.weft.wire.RunCredentials;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that start a worker: directly as a process on this host, or through an ssh command template on
 * another. Pure functions of their arguments.
 */
public final class LaunchCommands {
    /** What the worker's JVM runs. */
    public static final String MAIN_CLASS = "io.weft.runtime.worker.process.WorkerMain";
    /** On the remote side: {@code $JAVA_HOME/bin/java} if set (after the environment script), else {@code java}. */
    static final String REMOTE_JAVA = "\"${JAVA_HOME:+$JAVA_HOME/bin/}java\"";

    private LaunchCommands() {}

    /**
     * A worker started as a process of this host.
     *
     * @param java the {@code java} executable
     * @param jvmOptions options for its JVM
     * @param classPath Weft's jar and the application
     * @param workerArguments {@code --node …} and the rest, for {@link #MAIN_CLASS}
     * @param environmentScript a script sourced by {@code /bin/sh} first, or {@code ""}
     */
    public static List<String> local(String java, List<String> jvmOptions, String classPath,
            List<String> workerArguments, String environmentScript) {
        List<String> command = new ArrayList<>();
        if (!environmentScript.isEmpty()) {
            // The script's path and the command go as arguments of sh, so nothing in them is parsed by a shell.
            command.addAll(List.of("/bin/sh", "-c", ". \"$0\" && exec \"$@\"", environmentScript));
        }
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, MAIN_CLASS));
        command.addAll(workerArguments);
        return command;
    }

    /**
     * A worker started through an ssh command template. The template is split at white space; in each word
     * {@code {user}}, {@code {host}} and {@code {command}} are replaced ({@code {user}@} goes away when no user is
     * given). {@code {command}} becomes one shell command line, every argument quoted, which reads the run's
     * credentials from its standard input ({@code WEFT_RUN_SECRET_FILE=-}): they never appear on a command line.
     *
     * @param template e.g. {@code ssh -o BatchMode=yes {user}@{host} {command}}
     * @param user the remote user, or {@code ""} for ssh's default
     * @param host where to start it
     * @param jvmOptions options for the remote JVM
     * @param classPath the class path on the remote host
     * @param workerArguments {@code --node …} and the rest
     * @param environmentScript a script the remote shell sources first (modules, {@code JAVA_HOME}…), or {@code ""}
     */
    public static List<String> ssh(String template, String user, String host, List<String> jvmOptions,
            String classPath, List<String> workerArguments, String environmentScript) {
        StringBuilder remote = new StringBuilder();
        if (!environmentScript.isEmpty()) {
            remote.append(". ").append(quote(environmentScript)).append(" && ");
        }
        remote.append(RunCredentials.FILE_VARIABLE).append("=- exec ").append(REMOTE_JAVA);
        for (String option : jvmOptions) {
            remote.append(' ').append(quote(option));
        }
        remote.append(" -cp ").append(quote(classPath)).append(' ').append(MAIN_CLASS);
        for (String argument : workerArguments) {
            remote.append(' ').append(quote(argument));
        }
        List<String> command = new ArrayList<>();
        for (String word : template.strip().split("\\s+")) {
            String w = user.isEmpty() ? word.replace("{user}@", "") : word;
            command.add(w.replace("{user}", user).replace("{host}", host).replace("{command}", remote));
        }
        return command;
    }

    /** {@code text} as one word for a POSIX shell. */
    static String quote(String text) {
        boolean plain = text.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./:=,+@%".indexOf(c) >= 0);
        if (!text.isEmpty() && plain) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
