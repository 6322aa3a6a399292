package io.weft.runtime.master;

/**
 * One datum a task uses and how. The versions it reads and writes are filled in by the graph when the task is
 * registered. Owned by the analyser thread once posted.
 */
final class Access {
    final DataHandle handle;
    Mode mode;
    Version read;
    Version write;
    /** Whether the current attempt updates {@link #read}'s value itself, with no private copy. Analyser thread. */
    boolean inPlace;
    /**
     * Whether the current attempt, sent ahead, reads {@link #read} where its producer's worker keeps it for tasks sent
     * ahead ({@link Version#aheadKey}). Analyser thread.
     */
    boolean readAhead;
    /**
     * A re-run's ({@link Lineage}) count as an unfinished user of the datum, taken when it was made: the datum does not
     * go quiet (and forget the versions workers keep of it) until the re-run ends. Analyser thread.
     */
    DataState uses;

    Access(DataHandle handle, Mode mode) {
        this.handle = handle;
        this.mode = mode;
    }
}
