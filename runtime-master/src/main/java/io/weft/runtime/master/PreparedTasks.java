package io.weft.runtime.master;

import io.weft.api.spi.TaskSites;
import io.weft.runtime.worker.ProcessEnvironment;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Task definitions resolved ahead, by a program thread whose task call waits for the runtime starting beside
 * {@code main}: it reads the task's annotations and looks for its {@code @Implement} alternatives (the first call
 * of a run takes some 50 ms for that, most of it loading the JDK's annotation and proxy classes, and scanning the
 * task's class folder or jar) on its own core while the runtime starts on the other, instead of after. The
 * {@link Submitter} takes each one the first time it meets its call site (at most one per call site stays untaken:
 * one prepared while another thread's call resolved the same site itself).
 *
 * <p>Only a speed-up: a definition that cannot be resolved is not kept, and the call then resolves it again and
 * fails as it would have (the definition does not depend on the runtime: the same method, annotations and
 * environment give the same one).
 *
 * <p>Thread-safe.
 */
final class PreparedTasks {
    private final ConcurrentHashMap<Integer, TaskDefinition> bySite = new ConcurrentHashMap<>();

    /** Resolves the definition of a call site's task, if it is not prepared already. */
    void prepare(int site) {
        if (bySite.containsKey(site)) {
            return;
        }
        try {
            bySite.putIfAbsent(site, TaskDefinition.resolve(TaskSites.get(site), ProcessEnvironment.VARIABLES));
        } catch (RuntimeException | LinkageError e) {
            // Said by the call itself, which resolves it again once the runtime has started.
        }
    }

    /** The definition prepared for a call site, handed over once; {@code null} if there is none. */
    TaskDefinition take(int site) {
        return bySite.remove(site);
    }
}
