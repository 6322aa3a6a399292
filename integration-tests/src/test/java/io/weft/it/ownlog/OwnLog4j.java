package io.weft.it.ownlog;

import io.weft.api.Task;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * A program that logs through its own log4j2, configured by the {@code log4j2.xml} on its class path, in main and
 * in its tasks (which run in worker processes with {@code workers=N}): for {@code RunFolderIT}, which runs it
 * with and without the agent and compares.
 */
public final class OwnLog4j {
    private static final Logger LOG = LogManager.getLogger(OwnLog4j.class);

    private OwnLog4j() {}

    @Task
    static int square(int x) {
        LOG.info("squaring {}", x);
        return x * x;
    }

    public static void main(String[] args) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LOG.info("configured by {}", context.getConfiguration().getName());
        int sum = 0;
        for (int i = 1; i <= 3; i++) {
            sum += square(i);
        }
        LOG.warn("the sum of squares is {}", sum);
        LOG.debug("a debug line the program's configuration leaves out");
    }
}
