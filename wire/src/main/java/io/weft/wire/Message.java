package io.weft.wire;

/**
 * A control message: an immutable record with a compact binary form ({@link MessageCodec}). Frames carry the
 * run id and the protocol version, so messages do not repeat them.
 */
public sealed interface Message {
    /** A heartbeat request; the peer answers with a {@link Pong} carrying the same values. */
    record Ping(long sequence, long sentNanos) implements Message {}

    /** The answer to a {@link Ping}. */
    record Pong(long sequence, long sentNanos) implements Message {}

    /**
     * A worker introduces itself to the master, once authenticated.
     *
     * @param node the node it serves, as the resources file names it
     * @param pid its process id
     * @param dataPort the port it serves data on, for other workers
     * @param dataHost the address it serves data on, or {@code ""} for the address its connection comes from
     */
    record Hello(String node, long pid, int dataPort, String dataHost) implements Message {
        public Hello {
            if (node.length() > MessageCodec.MAX_STRING_CHARS) {
                throw new IllegalArgumentException("a node name of " + node.length() + " characters");
            }
            MessageCodec.checkLength("a host", dataHost);
        }
    }

    /** The sender is about to close the connection, and says why. */
    record Shutdown(String reason) implements Message {
        public Shutdown {
            if (reason.length() > MessageCodec.MAX_STRING_CHARS) {
                throw new IllegalArgumentException("a shutdown reason of " + reason.length() + " characters");
            }
        }
    }

    /**
     * One datum a task is given, as the master tells a worker where to find it.
     *
     * @param kind one of the {@code DataRef} kind constants
     * @param copy whether the task must work on a private copy
     * @param written whether the task writes a new version, which the worker must report
     * @param key the object's key in the holder's store ({@link #STORED}, {@link #TAKEN}, {@link #REMOTE})
     * @param outputKey the key under which the worker keeps a written version too large to send back inline
     * @param host the holder's host, for {@link #REMOTE}
     * @param port the holder's data port, for {@link #REMOTE}
     * @param source for {@link #FILE}, the path read, or {@code null} for a file only written
     * @param target for {@link #FILE}, the path the task uses
     * @param bytes the serialised object, for {@link #INLINE}
     */
    record DataRef(int kind, boolean copy, boolean written, long key, long outputKey, String host, int port,
            String source, String target, byte[] bytes) {
        /** Not passed in: the task's result slot. */
        public static final int NONE = 0;
        /** Serialised in the message. */
        public static final int INLINE = 1;
        /** In the receiving worker's store, where it stays. */
        public static final int STORED = 2;
        /** In the receiving worker's store, put there for this task only: taken out when the task starts. */
        public static final int TAKEN = 3;
        /**
         * In another worker's store: fetched from it directly. For a task that only reads it ({@code written}
         * false), an {@code outputKey} other than 0 asks the receiving worker to keep what it fetched as a copy
         * under that key, for later tasks there.
         */
        public static final int REMOTE = 4;
        /** A file, by path, on a disk both sides see. */
        public static final int FILE = 5;
        /**
         * A file the task only writes, on a node that does not see its path: the worker makes it in its own
         * directory, named {@code target}, and keeps it under {@code outputKey}.
         */
        public static final int FILE_NEW = 6;
        /** A file the receiving worker keeps under {@code key} (named {@code target} there). */
        public static final int FILE_KEPT = 7;
        /** A file another worker keeps under {@code key}: streamed from its data port; kept here under that key. */
        public static final int FILE_REMOTE = 8;
        /** A file the master offers under {@code key}: streamed over the master's connection; kept under that key. */
        public static final int FILE_MASTER = 9;
        /**
         * An object an attempt sent here earlier will keep under {@code key} when it ends (the task was sent ahead of
         * that end: it waits for it here, and is dropped, unreported, if that attempt ends without producing it). The
         * master then learns of the producer's end first. Bound as {@link #STORED} once there. With a {@code host},
         * the attempt runs on the worker serving peers at {@code host:port}: the receiving worker asks it for the
         * object at once ({@link AwaitKept}), and it answers when that attempt ends; the task is dropped, unreported,
         * if the answer is {@link AwaitKept#NOT_PRODUCED}.
         */
        public static final int AHEAD = 10;

        public DataRef {
            if (kind < NONE || kind > AHEAD) {
                throw new IllegalArgumentException("data reference kind " + kind);
            }
            MessageCodec.checkLength("a host", host);
            MessageCodec.checkLength("a path", source);
            MessageCodec.checkLength("a path", target);
        }

        public static DataRef none() {
            return new DataRef(NONE, false, false, 0, 0, null, 0, null, null, null);
        }

        public static DataRef inline(byte[] bytes, boolean copy, boolean written, long outputKey) {
            return new DataRef(INLINE, copy, written, 0, outputKey, null, 0, null, null, bytes);
        }

        public static DataRef stored(int kind, long key, boolean copy, boolean written, long outputKey) {
            return new DataRef(kind, copy, written, key, outputKey, null, 0, null, null, null);
        }

        /** An object an attempt sent here earlier keeps under {@code key} when it ends ({@link #AHEAD}). */
        public static DataRef ahead(long key, boolean copy, boolean written, long outputKey) {
            return new DataRef(AHEAD, copy, written, key, outputKey, null, 0, null, null, null);
        }

        /**
         * An object an attempt sent to the worker at {@code host:port} keeps under {@code key} when it ends
         * ({@link #AHEAD}).
         */
        public static DataRef aheadOn(long key, String host, int port, boolean written, long outputKey) {
            return new DataRef(AHEAD, false, written, key, outputKey, host, port, null, null, null);
        }

        public static DataRef remote(long key, String host, int port, boolean copy, boolean written, long outputKey) {
            return new DataRef(REMOTE, copy, written, key, outputKey, host, port, null, null, null);
        }

        /** A file on a disk both sides see; {@code written} says whether the task writes it (for the check mode). */
        public static DataRef file(String source, String target, boolean copy, boolean written) {
            return new DataRef(FILE, copy, written, 0, 0, null, 0, source, target, null);
        }

        /**
         * A file kept in a worker's own directory ({@link #FILE_NEW}, {@link #FILE_KEPT}, {@link #FILE_REMOTE},
         * {@link #FILE_MASTER}).
         *
         * @param name the file's name, which the task sees
         */
        public static DataRef staged(int kind, long key, String host, int port, String name, boolean copy,
                boolean written, long outputKey) {
            return new DataRef(kind, copy, written, key, outputKey, host, port, null, name, null);
        }

        /** Whether this is a file kept in a worker's own directory rather than reached by a shared path. */
        public boolean staged() {
            return kind >= FILE_NEW && kind <= FILE_MASTER;
        }
    }

    /**
     * The master asks a worker to run one attempt at a task.
     *
     * @param arguments the plain-value arguments, serialised as one {@code Object[]} (entries bound to data are
     *     {@code null})
     * @param resultKey the key under which the worker keeps a result too large to send back inline
     * @param check whether to look for what the task writes without declaring it (check mode)
     * @param timeoutNanos the longest the attempt may run, or {@code 0} for no limit
     * @param restoreOnFailure whether what it updates in place is put back as it was if the attempt fails
     * @param keep output keys of objects it writes that the worker keeps under that key even when it sends them back
     *     inline: tasks sent ahead of this attempt's end read them there ({@link DataRef#AHEAD})
     */
    record RunTask(long taskId, int attempt, String className, String methodName, String descriptor,
            int executorHint, int cores, int gpus, long gpuMemoryBytes, long memoryBytes, String gpuName,
            int receiverBinding, int[] argumentBinding, byte[] arguments, DataRef[] bindings, long resultKey,
            boolean check, long timeoutNanos, boolean restoreOnFailure, long[] keep) implements Message {
        public RunTask {
            MessageCodec.checkLength("a class name", className);
            MessageCodec.checkLength("a method name", methodName);
            MessageCodec.checkLength("a descriptor", descriptor);
            MessageCodec.checkLength("a GPU name", gpuName);
        }
    }

    /**
     * What a task produced, as the worker reports it: nothing, the serialised object, or the key under which the
     * worker keeps it (with its serialised size and class).
     */
    record Produced(int kind, byte[] bytes, long key, long size, String className) {
        public static final int NONE = 0;
        public static final int INLINE = 1;
        public static final int STORED = 2;
        /** A file the worker keeps under {@code key}; {@code size} is its length, or -1 if the task left none. */
        public static final int FILE = 3;

        public Produced {
            if (kind < NONE || kind > FILE) {
                throw new IllegalArgumentException("produced kind " + kind);
            }
            MessageCodec.checkLength("a class name", className);
        }

        public static Produced none() {
            return new Produced(NONE, null, 0, 0, null);
        }
    }

    /**
     * A worker reports how an attempt ended.
     *
     * @param runNanos how long the task ran
     * @param startNanos when it started, on the worker's clock ({@link System#nanoTime()}): comparable with the
     *     other tasks of that worker only
     * @param result what it returned
     * @param used for each binding, the version the task wrote ({@link Produced#NONE} where it wrote none)
     * @param error the task's exception, serialised, or an empty array if it succeeded
     * @param errorText the exception as text, for when it cannot be deserialised; empty if it succeeded
     * @param findings in check mode, what the task wrote without declaring it, one sentence each
     */
    record TaskDone(long taskId, int attempt, int executor, long runNanos, long startNanos, int[] cores, int[] gpus,
            Produced result,
            Produced[] used, byte[] error, String errorText, String[] findings) implements Message {
        /** At most this many findings go in one report. */
        public static final int MAX_FINDINGS = 64;

        public TaskDone {
            MessageCodec.checkLength("an error text", errorText);
            if (findings.length > MAX_FINDINGS) {
                throw new IllegalArgumentException(findings.length + " findings");
            }
            for (String f : findings) {
                MessageCodec.checkLength("a finding", f);
            }
        }

        /** Findings as a report carries them: at most {@link #MAX_FINDINGS}, each cut to what the codec carries. */
        public static String[] findings(java.util.List<String> findings) {
            return findings.stream().limit(MAX_FINDINGS)
                    .map(f -> f.length() > MessageCodec.MAX_STRING_CHARS ? f.substring(0, MessageCodec.MAX_STRING_CHARS)
                            : f)
                    .toArray(String[]::new);
        }
    }

    /**
     * Asks a peer for the object or file it keeps under {@code key}; answered with {@link Data} chunks for an
     * object, {@link FileData} chunks for a file.
     */
    record Fetch(long request, long key, boolean file) implements Message {}

    /**
     * Asks a peer for the object an attempt sent there keeps under {@code key} when it ends, for a task sent ahead
     * to the asking worker ({@link DataRef#AHEAD} with a host): answered like an object's {@link Fetch} when that
     * attempt has ended well (at once if it has), or with a {@link Data} error starting with {@link #NOT_PRODUCED}
     * if it ended without keeping the object (or the master forgot the key meanwhile).
     */
    record AwaitKept(long request, long key) implements Message {
        /** How the error of an answer starts when the object will never be kept there. */
        public static final String NOT_PRODUCED = "not produced: ";
    }

    /**
     * One chunk of a fetched object's serialised form; the last one says so. An {@code error} (with no bytes)
     * says why the object cannot be sent.
     */
    record Data(long request, boolean last, byte[] chunk, String error) implements Message {
        public Data {
            MessageCodec.checkLength("an error", error);
        }
    }

    /**
     * One chunk of a fetched file, as {@link WireConnection#sendFile} streams it; the last one says so. An
     * {@code error} (with no bytes) says why the file cannot be sent.
     *
     * <p>On the receiving side {@code bytes} is a view of the frame, valid only while
     * {@link WireListener#received} runs: the connection releases it afterwards. Copy out what must outlive the
     * call (write it to its file, say).
     */
    record FileData(long request, boolean last, io.netty.buffer.ByteBuf bytes, String error) implements Message {
        public FileData {
            MessageCodec.checkLength("an error", error);
        }
    }

    /** One chunk of an object the master puts in a worker's store under {@code key}. */
    record Put(long key, boolean last, byte[] chunk) implements Message {}

    /** The worker may drop these keys from its store: no version it holds there is needed any more. */
    record Forget(long[] keys) implements Message {}

    /**
     * The master asks a worker to give back attempts it has queued and not started (another worker idles): each
     * one still waiting for an executor, or still being prepared, is taken back and named in the {@link Withdrawn}
     * answer; the others run as sent.
     */
    record Withdraw(long request, long[] taskIds) implements Message {}

    /** The answer to {@link Withdraw}: the attempts taken back, which will not run here. */
    record Withdrawn(long request, long[] taskIds) implements Message {}

    /**
     * The attempt's code called {@code System.exit(status)}: the worker ends right after this message, and the
     * program is to end with that status, as it would without worker processes.
     */
    record TaskExit(long taskId, int status) implements Message {}

    /**
     * The master cancels attempts at these tasks: one still queued is taken out, one running is interrupted (its
     * processes ended, its thread abandoned if it does not return); each ends with a {@code TaskDone} whose error
     * is a {@code CancellationException}. An attempt not there (ended, or not arrived) is left alone.
     */
    record Cancel(long[] taskIds) implements Message {}
}
