/**
 * The {@code weft} command: {@code weft run} starts a program with the agent (the local default, a local cluster, or
 * the nodes of a resources file), {@code weft worker} starts a worker by hand, {@code weft version} says what is
 * installed. Options are parsed by picocli; defaults may come from {@code conf/weft.properties}.
 *
 * <p>The launcher runs in a JVM of its own, before the program's. It does not start the program itself: it writes
 * the program's command line to the file {@code bin/weft} names in {@code WEFT_EXEC_FILE}, and the script then
 * {@code exec}s it, so the program's JVM is the process the shell, a terminal's Ctrl-C and a batch system see, and
 * its exit status is the command's. Without that file (the launcher jar run directly) it starts the program as a
 * child process and passes its exit status on.
 */
package io.weft.launcher;
