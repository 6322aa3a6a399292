/**
 * The runtime's log. {@link io.weft.log.Log} is what the master, the workers and the wire write to: warnings and
 * errors go to standard error exactly as given (Weft's {@code weft: ...} lines), and everything at or above the
 * run's level goes to the process's log file once {@link io.weft.log.RunLog#toFile} names one (a run folder's
 * {@code master.log}, {@code workers/NODE.log}).
 *
 * <p>The file is written through log4j2, in a {@code LoggerContext} of Weft's own configured in code: no
 * configuration file, system property or {@code LogManager} of the application is read, and nothing of Weft's
 * reaches the application's logging. log4j2 is loaded only when there is a file, on a thread of its own, so that a
 * run without a run folder never pays for it.
 */
package io.weft.log;
