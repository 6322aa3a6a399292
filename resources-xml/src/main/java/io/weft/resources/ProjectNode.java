package io.weft.resources;

import java.nio.file.Path;

/**
 * A worker node this run may use, as {@code project.xml} describes it. Immutable.
 *
 * @param name the name of a compute node in {@code resources.xml}
 * @param host the address to reach it, or {@code ""} for its name
 * @param installDir where Weft is installed on it
 * @param workingDir the directory the worker uses for files; one per run is made inside it
 * @param user the user to start the worker as, or {@code ""} for the current one
 * @param classpath the application's class path on that node, or {@code ""} for the master's
 * @param libraryPath native library path, or {@code ""}
 * @param environmentScript a script sourced before the worker starts, or {@code ""}
 * @param limitOfTasks at most this many tasks run there at once, or {@code 0} for as many as its cores allow
 * @param launch how the worker is started
 * @param line the line of its element in the file ({@code 0} if not read from a file)
 * @param column the column there
 */
public record ProjectNode(
        String name,
        String host,
        Path installDir,
        Path workingDir,
        String user,
        String classpath,
        String libraryPath,
        String environmentScript,
        int limitOfTasks,
        Launch launch,
        int line,
        int column) {}
