package io.weft.runtime.master.config;

import java.nio.file.Path;

/**
 * What a run folder ({@code runFolder=}) holds, by name: made by the {@code weft} command or the user, filled by the
 * runtime. Pure functions of the folder.
 *
 * <pre>
 * master.log          the master's log
 * workers/NODE.log    each worker process's log (a worker started by the master; --log-file for others)
 * resources.xml       the resources description the run used: the user's file, or the one made up for the run
 * project.xml         the project the run used, if it had one (a project file, or workers=N)
 * </pre>
 */
public final class RunFolder {
    private RunFolder() {}

    public static Path masterLog(Path folder) {
        return folder.resolve("master.log");
    }

    /** The log of the worker of {@code node}; characters a file name should not have become {@code _}. */
    public static Path workerLog(Path folder, String node) {
        return folder.resolve("workers").resolve(node.replaceAll("[^A-Za-z0-9_.-]", "_") + ".log");
    }

    public static Path resources(Path folder) {
        return folder.resolve("resources.xml");
    }

    public static Path project(Path folder) {
        return folder.resolve("project.xml");
    }
}
