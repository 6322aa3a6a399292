package io.weft.runtime.master;

import io.weft.log.Log;
import io.weft.runtime.master.remote.RemoteWorkerGateway;
import io.weft.runtime.worker.objects.PayloadCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Gives each task an identity that a later run of the same program gives the same task, for the checkpoint
 * journal: a SHA-256 (cut to 128 bits) of
 *
 * <ul>
 *   <li>the task method (class, name, descriptor) and the bytes of its class file, so that a change to the class
 *       invalidates its saved tasks;
 *   <li>its call order: that it is the n-th call of this task method;
 *   <li>its plain arguments, serialised;
 *   <li>for each datum it uses, how (the direction) and the identity of the version it reads: for a version a task
 *       produced, a hash of that task's identity and the output's place; for the program's own data, a hash of
 *       the content (an object serialised, a file's bytes — or, past 64 MiB, its path, size and modification
 *       time) when a task first uses it, and afterwards the identity of the last version a task made of it (so
 *       that it does not depend on whether the runtime had meanwhile moved that version home).
 * </ul>
 *
 * <p>A task with a {@code @Concurrent} or {@code @Commutative} parameter gets none (its members may run in any
 * order), and neither does any task that reads what it writes. Analyser thread.
 */
final class TaskIdentities {
    private static final Log LOG = Log.of(TaskIdentities.class);
    private static final long FILE_CONTENT_LIMIT = 64L << 20;
    private static final HexFormat HEX = HexFormat.of();

    private final Map<Method, byte[]> code = new HashMap<>();
    private final Map<Method, Integer> calls = new HashMap<>();
    private final WeakIdentityHashes lineage = new WeakIdentityHashes();
    /** The identity of the last version a task wrote of each file, by path. */
    private final Map<String, byte[][]> fileLineage = new HashMap<>();
    /** The first task not saved is said on standard error; the others go to the run's log. */
    private final CappedWarnings notSaved = new CappedWarnings(LOG, 1, "weft: ", "");

    /**
     * Whether a registered task may be saved or replayed now that it is about to run: every version it reads is
     * as its identity assumed. If not, it is marked {@link TaskNode#tainted} and loses its identity.
     */
    boolean stillIdentified(TaskNode task) {
        if (task.identity == null) {
            return false;
        }
        for (Access a : task.accesses) {
            if (a.read != null && a.read.hash == null) {
                task.identity = null;
                task.tainted = true;
                return false;
            }
        }
        return true;
    }

    /** Gives a registered task its identity, and its written versions theirs. */
    void identify(TaskNode task) {
        byte[] identity = identity(task);
        task.identity = identity == null ? null : HEX.formatHex(identity, 0, 16);
        for (int i = 0; i < task.accesses.length; i++) {
            Access a = task.accesses[i];
            if (a.write == null) {
                continue;
            }
            byte[] hash = identity == null || a.mode == Mode.CONCURRENT || a.mode == Mode.COMMUTATIVE ? null
                    : digest(identity, new byte[] {(byte) i});
            a.write.hash = hash;
            byte[][] ref = hash == null ? null : new byte[][] {hash};
            a.write.hashRef = ref;
            // Remembered beyond this datum's state, which is forgotten once no task uses it: whether or not that
            // happened before the next task uses the datum, the version it reads has this identity.
            Object home = a.handle.home();
            if (a.handle.kind == DataHandle.Kind.OBJECT && home != null) {
                lineage.put(home, ref);
            } else if (a.handle.kind == DataHandle.Kind.FILE && ref != null) {
                fileLineage.put((String) home, ref);
            } else if (a.handle.kind == DataHandle.Kind.FILE) {
                fileLineage.remove((String) home);
            }
        }
    }

    private byte[] identity(TaskNode task) {
        MessageDigest md = sha256();
        Method m = task.definition.method();
        md.update((m.getDeclaringClass().getName() + "." + m.getName() + TaskDefinition.descriptor(m))
                .getBytes(StandardCharsets.UTF_8));
        md.update(code.computeIfAbsent(m, TaskIdentities::classBytes));
        int call = calls.merge(m, 1, Integer::sum);
        md.update(Integer.toString(call).getBytes(StandardCharsets.UTF_8));
        try {
            // As worker processes get them, so that a run resumed with or without them finds the same tasks.
            byte[] plain = task.encodedArguments != null ? task.encodedArguments
                    : RemoteWorkerGateway.encodePlainArguments(task.arguments, task.argumentAccess);
            md.update(plain == null ? new byte[0] : plain);
        } catch (RuntimeException e) {
            note(task, "its plain arguments cannot be serialised: " + e);
            return null;
        }
        for (Access a : task.accesses) {
            if (a.mode == Mode.CONCURRENT || a.mode == Mode.COMMUTATIVE) {
                return null; // its members may run in any order: no identity another run would give it
            }
            md.update((byte) a.mode.ordinal());
            if (a.read != null) {
                byte[] read = versionHash(task, a);
                if (read == null) {
                    return null;
                }
                md.update(read);
            }
        }
        return md.digest();
    }

    /** The identity of the version an access reads, computed for the program's own data; {@code null} if none. */
    private byte[] versionHash(TaskNode task, Access a) {
        Version v = a.read;
        if (v.hash != null || v.number != 1 || !v.producers.isEmpty()) {
            return v.hash; // made by a task (null if that task has no identity)
        }
        Object home = a.handle.home();
        try {
            byte[] hash;
            if (a.handle.kind == DataHandle.Kind.FILE) {
                byte[][] ref = fileLineage.get((String) home);
                hash = ref == null ? null : ref[0];
                if (hash == null) {
                    hash = fileHash(Path.of((String) home));
                }
            } else {
                byte[][] ref = lineage.get(home);
                hash = ref == null ? null : ref[0];
                if (hash == null) {
                    hash = digest(PayloadCodec.serialize(home), new byte[] {'o'});
                }
            }
            v.hash = hash;
            return hash;
        } catch (IOException | RuntimeException e) {
            note(task, "the content of " + a.handle + " cannot be read or serialised: " + e);
            return null;
        }
    }

    private static byte[] fileHash(Path file) throws IOException {
        if (!Files.exists(file)) {
            return digest(new byte[0], new byte[] {'n'});
        }
        long size = Files.size(file);
        MessageDigest md = sha256();
        if (size > FILE_CONTENT_LIMIT) {
            md.update((file + "\n" + size + "\n" + Files.getLastModifiedTime(file).toMillis())
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 << 10];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md.update(buffer, 0, n);
                }
            }
        }
        md.update((byte) 'f');
        return md.digest();
    }

    private void note(TaskNode task, String why) {
        String line = "checkpoint: task " + task.name() + " (#" + task.id + ") is not saved and will run again in a"
                + " resumed run, nor are the tasks that read what it writes: " + why;
        notSaved.say(line);
    }

    /** The bytes of the class file declaring a task method, as its loader finds them; empty if it cannot. */
    private static byte[] classBytes(Method m) {
        Class<?> type = m.getDeclaringClass();
        ClassLoader loader = type.getClassLoader();
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] digest(byte[] a, byte[] b) {
        MessageDigest md = sha256();
        md.update(a);
        md.update(b);
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Hashes by object identity, held weakly: the program's objects are not kept alive by the journal. */
    private static final class WeakIdentityHashes {
        private final Map<Key, byte[][]> map = new HashMap<>();
        private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();

        private static final class Key extends WeakReference<Object> {
            private final int hash;

            Key(Object referent, ReferenceQueue<Object> queue) {
                super(referent, queue);
                hash = System.identityHashCode(referent);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object o) {
                if (this == o) {
                    return true;
                }
                Object mine = get();
                return o instanceof Key k && mine != null && mine == k.get();
            }
        }

        void put(Object object, byte[][] hash) {
            expunge();
            Key key = new Key(object, dropped);
            if (hash == null) {
                map.remove(key);
            } else {
                map.put(key, hash);
            }
        }

        byte[][] get(Object object) {
            expunge();
            return map.get(new Key(object, null));
        }

        private void expunge() {
            for (Object k; (k = dropped.poll()) != null; ) {
                map.remove(k);
            }
        }
    }
}
