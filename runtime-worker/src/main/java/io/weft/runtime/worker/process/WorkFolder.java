package io.weft.runtime.worker.process;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder a worker works in for one run, {@code <--work-dir>/weft-<run id>}, and the folders it had to make
 * to get there (the node's folder inside a {@code WorkingDir}, say): {@link #remove} deletes the run's folder with
 * all it holds, then each of those folders that is empty, innermost first, so that a finished run leaves no empty
 * folder behind. A folder that was there before the worker, or that still holds something (another node's or
 * another run's folder), stays.
 *
 * @param run the run's folder
 * @param outermostMade the outermost folder made for it, or {@code null} if only the run's folder was made
 */
record WorkFolder(Path run, Path outermostMade) {
    /** Makes (and probes) the run's folder inside {@code base}; a failure is a start-up failure of the node. */
    static WorkFolder make(String node, Path base, String runId) {
        Path run = base.resolve("weft-" + runId).toAbsolutePath().normalize();
        Path outermost = null;
        for (Path p = run.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            outermost = p;
        }
        IOException last = null;
        // Another worker of this host that ends may remove a parent folder it made while this one makes its own.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.createDirectories(run);
                Path probe = Files.createTempFile(run, "probe", ".tmp");
                Files.delete(probe);
                return new WorkFolder(run, outermost);
            } catch (NoSuchFileException e) {
                last = e;
            } catch (IOException | RuntimeException e) {
                throw new StartFailure(node, 4, "cannot use the working directory " + base + ": " + e);
            }
        }
        throw new StartFailure(node, 4, "cannot use the working directory " + base + ": " + last);
    }

    /** Deletes the run's folder and what it holds, then the folders made for it that are now empty. */
    void remove() {
        try (Stream<Path> files = Files.walk(run)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Leftovers in a per-run folder are harmless; the folders above it then stay too.
        }
        if (outermostMade == null) {
            return;
        }
        for (Path p = run.getParent(); p != null && p.startsWith(outermostMade); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return; // still in use by others, or already removed by another worker
            } catch (IOException e) {
                return;
            }
        }
    }
}
