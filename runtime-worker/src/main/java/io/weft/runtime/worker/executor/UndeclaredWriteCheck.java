package io.weft.runtime.worker.executor;

import io.weft.api.Commutative;
import io.weft.api.Concurrent;
import io.weft.api.In;
import io.weft.api.InOut;
import io.weft.api.Out;
import io.weft.log.Log;
import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.objects.PayloadCodec;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The check mode's test of one attempt ({@code check=true}): did the task write something it did not declare?
 * Before the task runs it takes a fingerprint of each object the task only reads (the SHA-256 of its serialised
 * form, so the whole graph of objects it refers to counts) and lists the regular files under the working folder
 * (name, size, modification time, file key); afterwards it compares. Each difference is a finding, phrased for the
 * person who wrote the task: what changed and what to declare instead. The master prefixes the task's name.
 *
 * <p>A change is blamed on the task only because the master runs one task at a time in check mode; something else
 * that writes in the working folder meanwhile (another thread of the program, another program) is blamed too.
 * Files whose names start with {@code .weft-} are the runtime's temporaries and are skipped.
 *
 * <p>Thread-safe: its state is its configuration and the set of limits it has already noted.
 */
public final class UndeclaredWriteCheck {
    private static final Log LOG = Log.of(UndeclaredWriteCheck.class);
    /** A listing stops after this many files: the folder is then not checked. */
    static final int MAX_FILES = 100_000;
    private static final String TEMPORARY = ".weft-";

    private final Path folder;
    private final List<Path> skipped;
    private final Consumer<String> notes;
    private final Set<String> noted = ConcurrentHashMap.newKeySet();

    /**
     * @param folder the folder whose files are listed, with its subfolders
     * @param skipped folders under it that are not listed (the worker's own directory)
     * @param notes where to say, once each, what could not be checked
     */
    public UndeclaredWriteCheck(Path folder, List<Path> skipped, Consumer<String> notes) {
        this.folder = folder.toAbsolutePath().normalize();
        List<Path> normal = new ArrayList<>(skipped.size());
        for (Path p : skipped) { // a loop, not a stream: a local run makes this in its start
            normal.add(p.toAbsolutePath().normalize());
        }
        this.skipped = List.copyOf(normal);
        this.notes = notes;
    }

    /**
     * The check of a worker: the process's working folder, except {@code ownDirectory} (or nothing), with notes on
     * standard error.
     */
    public static UndeclaredWriteCheck inWorkingFolder(Path ownDirectory) {
        return new UndeclaredWriteCheck(Path.of(""), ownDirectory == null ? List.of() : List.of(ownDirectory),
                ToConsole.INSTANCE);
    }

    /** Notes on standard error. A class rather than {@code LOG::console}: a local run makes this in its start. */
    private static final class ToConsole implements Consumer<String> {
        static final ToConsole INSTANCE = new ToConsole();

        @Override
        public void accept(String note) {
            LOG.console(note);
        }
    }

    /** What the task could change, as it was before it ran. */
    public static final class Before {
        private final byte[][] fingerprints;
        private final Map<Path, Stamp> files;

        private Before(byte[][] fingerprints, Map<Path, Stamp> files) {
            this.fingerprints = fingerprints;
            this.files = files;
        }
    }

    /** What identifies one version of a file. */
    private record Stamp(long size, FileTime modified, Object key) {}

    /**
     * Takes the fingerprints and the listing.
     *
     * @param handed what each binding gives the task (objects as the task gets them)
     */
    public Before before(TaskExecution execution, Object[] handed) {
        Binding[] bindings = execution.bindings();
        byte[][] fingerprints = new byte[bindings.length][];
        for (int b : readOnlyObjects(execution)) {
            fingerprints[b] = fingerprint(execution, b, handed[b]);
        }
        return new Before(fingerprints, listing());
    }

    /**
     * Compares what the task left with what was there before.
     *
     * @return the findings, each a sentence that follows "task Name.method"; empty if the task wrote only what it
     *     declared
     */
    public List<String> after(Before before, TaskExecution execution, Object[] handed) {
        List<String> findings = new ArrayList<>();
        for (int b : readOnlyObjects(execution)) {
            byte[] was = before.fingerprints[b];
            if (was != null && !Arrays.equals(was, fingerprint(execution, b, handed[b]))) {
                findings.add(objectFinding(execution, b));
            }
        }
        if (before.files != null) {
            Map<Path, Stamp> now = listing();
            if (now != null) {
                fileFindings(execution, before.files, now, findings);
            }
        }
        return findings;
    }

    // ---------------------------------------------------------------- objects

    /** The bindings of objects the task only reads (and that an argument or the receiver names), in order. */
    private static Set<Integer> readOnlyObjects(TaskExecution execution) {
        Set<Integer> out = new TreeSet<>();
        Binding[] bindings = execution.bindings();
        for (int b : execution.argumentBinding()) {
            if (b >= 0 && isReadOnlyObject(bindings[b])) {
                out.add(b);
            }
        }
        int r = execution.receiverBinding();
        if (r >= 0 && isReadOnlyObject(bindings[r])) {
            out.add(r);
        }
        return out;
    }

    private static boolean isReadOnlyObject(Binding b) {
        return b != null && b.kind() == Binding.Kind.OBJECT && !b.written();
    }

    private byte[] fingerprint(TaskExecution execution, int binding, Object value) {
        if (value == null) {
            return new byte[0];
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(PayloadCodec.serialize(value));
        } catch (PayloadCodec.PayloadException | NoSuchAlgorithmException e) {
            String what = "a " + value.getClass().getName();
            if (noted.add(execution.method() + "#" + binding)) {
                notes.accept("weft: check: cannot check whether task " + execution.name() + " changes " + what + " it"
                        + " reads, because it cannot be serialised: " + e.getMessage());
            }
            return null;
        }
    }

    private static String objectFinding(TaskExecution execution, int binding) {
        Method method = execution.method();
        if (execution.receiverBinding() == binding) {
            return "changed its receiver (this, a " + method.getDeclaringClass().getSimpleName() + "), or an object"
                    + " reachable from it, which @Task(receiver = Direction.IN) declares read-only: remove"
                    + " receiver = Direction.IN (the default, INOUT, declares the update).";
        }
        int argument = firstArgument(execution, binding);
        Parameter p = method.getParameters()[argument];
        String name = p.isNamePresent() ? " " + p.getName() : "";
        return "changed its @In parameter " + (argument + 1) + " (" + p.getType().getSimpleName() + name + "), or an"
                + " object reachable from it: mark the parameter @InOut. A parameter without an annotation is @In;"
                + " an @In object is not sent back from a worker process, and tasks that read it at the same time"
                + " may see the change half made, so the change is lost or seen by the wrong tasks.";
    }

    private static int firstArgument(TaskExecution execution, int binding) {
        int[] argumentBinding = execution.argumentBinding();
        for (int i = 0; i < argumentBinding.length; i++) {
            if (argumentBinding[i] == binding) {
                return i;
            }
        }
        throw new IllegalArgumentException("no argument of " + execution.name() + " is bound to " + binding);
    }

    // ---------------------------------------------------------------- files

    /** The regular files under the folder, or {@code null} if there are too many to list. */
    private Map<Path, Stamp> listing() {
        Map<Path, Stamp> files = new HashMap<>();
        boolean[] tooMany = {false};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return skipped.contains(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile() || file.getFileName().toString().startsWith(TEMPORARY)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (files.size() >= MAX_FILES) {
                        tooMany[0] = true;
                        return FileVisitResult.TERMINATE;
                    }
                    files.put(file, new Stamp(attrs.size(), attrs.lastModifiedTime(), attrs.fileKey()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable: not ours to judge
                }
            });
        } catch (IOException e) {
            note("weft: check: cannot list the files under " + folder + " (" + e + "); files are not checked");
            return null;
        }
        if (tooMany[0]) {
            note("weft: check: more than " + MAX_FILES + " files under " + folder + "; files are not checked. Run the"
                    + " program from a smaller folder to check the files its tasks write.");
            return null;
        }
        return files;
    }

    private void fileFindings(TaskExecution execution, Map<Path, Stamp> before, Map<Path, Stamp> now,
            List<String> findings) {
        List<Path> written = new ArrayList<>();
        Map<Path, Integer> read = new HashMap<>();
        Binding[] bindings = execution.bindings();
        for (int b = 0; b < bindings.length; b++) {
            Binding binding = bindings[b];
            if (binding == null || binding.kind() != Binding.Kind.FILE) {
                continue;
            }
            for (Object path : new Object[] {binding.source(), binding.target()}) {
                if (path instanceof String p) {
                    Path file = real(Path.of(p));
                    if (binding.written()) {
                        written.add(file);
                    } else {
                        read.put(file, b);
                    }
                }
            }
        }
        Set<Path> changed = new TreeSet<>();
        for (Map.Entry<Path, Stamp> e : now.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        for (Path p : before.keySet()) {
            if (!now.containsKey(p)) {
                changed.add(p);
            }
        }
        for (Path p : changed) {
            Path file = real(p);
            if (written.stream().anyMatch(file::startsWith)) {
                continue; // declared: the file itself, or one inside a folder it writes
            }
            String verb = !before.containsKey(p) ? "created" : !now.containsKey(p) ? "deleted" : "changed";
            String name = folder.relativize(p).toString();
            Integer readBinding = read.get(file);
            if (readBinding != null) {
                int argument = firstArgument(execution, readBinding);
                findings.add(verb + " file " + name + ", which it gets as parameter " + (argument + 1) + " declared "
                        + direction(execution.method().getParameters()[argument]) + ": mark the parameter"
                        + " @InOut, or @Out if the task does not read it first.");
            } else {
                findings.add(verb + " file " + name + " (in " + folder + "), which it was not given as a file"
                        + " parameter: pass the file as a java.nio.file.Path or java.io.File parameter marked @Out"
                        + " (@InOut if the task also reads it), so that the runtime orders the task with the code"
                        + " that reads the file. A file name in a String is a plain value.");
            }
        }
    }

    private static String direction(Parameter p) {
        for (Class<? extends Annotation> a : List.of(In.class, Out.class, InOut.class, Concurrent.class,
                Commutative.class)) {
            if (p.isAnnotationPresent(a)) {
                return "@" + a.getSimpleName();
            }
        }
        return "@In (no annotation)";
    }

    /** The path with links resolved as far as it exists, so a changed file matches the binding that names it. */
    private static Path real(Path p) {
        Path absolute = p.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path parent = absolute.getParent();
            if (parent != null && Files.isDirectory(parent)) {
                try {
                    return parent.toRealPath().resolve(Objects.requireNonNull(absolute.getFileName()));
                } catch (IOException ignored) {
                    return absolute;
                }
            }
            return absolute;
        }
    }

    private void note(String line) {
        if (noted.add(line)) {
            notes.accept(line);
        }
    }
}
