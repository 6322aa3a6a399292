package io.weft.resources;

/** How the worker on a project node is started. */
public sealed interface Launch {
    /** A local process on the master's host (several may share it, each with its own port and directory). */
    record Process() implements Launch {}

    /**
     * Over ssh, with a command template.
     *
     * @param command the template; {@code {user}}, {@code {host}} and {@code {command}} are replaced
     */
    record Ssh(String command) implements Launch {
        /** The template used when the file gives none. */
        public static final String DEFAULT_COMMAND = "ssh -o BatchMode=yes {user}@{host} {command}";
    }

    /**
     * Started by something else (e.g. {@code srun}) and connecting to the master by itself: the master adopts it.
     *
     * @param launcher the name of what starts it, for messages, e.g. {@code srun}
     */
    record External(String launcher) implements Launch {}
}
