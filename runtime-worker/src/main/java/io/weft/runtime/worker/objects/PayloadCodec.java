package io.weft.runtime.worker.objects;

import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.Language;
import org.apache.fory.logging.LoggerFactory;
import org.apache.fory.memory.MemoryBuffer;

/**
 * The serialised form of objects that cross the wire: Apache Fory in Java mode, chosen over Kryo by the JMH
 * comparison in {@code benchmarks/serializers.sh}. Objects need not be {@code Serializable}; shared references and
 * cycles survive. Thread-safe.
 *
 * <p>Classes are not registered: any class on both sides' class path may cross. That is safe only because nothing
 * is deserialised from a peer that has not proved it belongs to the run (see {@code docs/protocol.md}).
 */
public final class PayloadCodec {
    static {
        // Fory logs to standard output, which belongs to the program.
        LoggerFactory.disableLogging();
    }

    private static final ThreadSafeFory FORY = Fory.builder()
            .withLanguage(Language.JAVA)
            .requireClassRegistration(false)
            .suppressClassRegistrationWarnings(true)
            .withRefTracking(true)
            // No generated serialisers: they cannot name non-public nested classes in some field types, they are
            // compiled on a non-daemon pool that holds the JVM's exit for seconds, and they would be generated into
            // the application's packages, where the agent instruments them like application code.
            .withCodegen(false)
            .buildThreadSafeFory();

    private PayloadCodec() {}

    /**
     * Makes the serialiser ready: its classes loaded and initialised, which takes a good part of a second on a
     * small machine. A process calls it on a thread of its own at start, so the first task message does not wait.
     */
    public static void warmUp() {
        try {
            deserialize(serialize(new Object[] {1, 2L, 3.0, "text", new long[1], new double[1], null}));
        } catch (RuntimeException e) {
            // Only a head start: a real payload meets the same problem and reports it.
        }
    }

    /**
     * Serialises an object.
     *
     * @throws PayloadException naming the object's class if it cannot be serialised
     */
    public static byte[] serialize(Object o) {
        return serialize(o, 0);
    }

    /**
     * Serialises an object whose serialised size is about {@code sizeHint} bytes: into one buffer of that size, so
     * a large object is not copied each time a growing buffer doubles; the result is that buffer itself when the
     * hint was exact.
     *
     * @throws PayloadException naming the object's class if it cannot be serialised
     */
    public static byte[] serialize(Object o, long sizeHint) {
        int initial = (int) Math.min(Integer.MAX_VALUE - 64, Math.max(256, sizeHint + sizeHint / 64 + 256));
        try {
            // A fresh buffer each time: Fory's own per-thread buffer grows to the largest object ever written and
            // never shrinks, which kept hundreds of megabytes alive per thread after one large transfer.
            return FORY.execute(fory -> {
                MemoryBuffer buffer = MemoryBuffer.newHeapBuffer(initial);
                fory.serialize(buffer, o);
                byte[] heap = buffer.getHeapMemory();
                return heap != null && heap.length == buffer.writerIndex() ? heap
                        : buffer.getBytes(0, buffer.writerIndex());
            });
        } catch (RuntimeException | StackOverflowError e) {
            throw new PayloadException("cannot serialise a " + (o == null ? "null" : o.getClass().getName())
                    + " to send it to another process: " + e, e);
        }
    }

    /**
     * Deserialises what {@link #serialize} made.
     *
     * @throws PayloadException if the bytes do not make an object here (a class missing from this side's class path)
     */
    public static Object deserialize(byte[] bytes) {
        try {
            return FORY.deserialize(bytes);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            throw new PayloadException("cannot deserialise an object received from another process: " + e, e);
        }
    }

    /** An object could not cross. */
    public static final class PayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PayloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
