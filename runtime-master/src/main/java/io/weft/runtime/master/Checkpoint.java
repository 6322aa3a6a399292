package io.weft.runtime.master;

import io.weft.log.Log;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The checkpoint folder of a run ({@code checkpoint=<folder>}): a journal of the tasks that finished, each with
 * its saved outputs, so that the same program started again with the same folder does not run them again.
 *
 * <p>Layout: {@code checkpoint.properties} names the format and the program; {@code journal} has one line per
 * finished task (its identity, its name, each output and a CRC of the line); {@code outputs/} holds each output,
 * serialised (objects) or copied (files), written before the line that names it. A line the process was killed
 * while writing (the last one, incomplete) is ignored; any other damage refuses the folder, saying where.
 *
 * <p>Threading: {@link #saved} on the analyser thread (the map read at open is never changed); {@link #append} and
 * {@link #flush} from any thread, synchronised.
 */
final class Checkpoint {
    private static final Log LOG = Log.of(Checkpoint.class);
    private static final String FORMAT = "1";
    private static final String PROPERTIES = "checkpoint.properties";
    private static final String JOURNAL = "journal";

    /** One saved output of a task: which access (or {@link #SYNCHRONOUS_RESULT}), what kind, and its size. */
    record Output(int access, char kind, long bytes, String className) {
        /** An object, serialised. */
        static final char OBJECT = 'O';
        /** A file, copied. */
        static final char FILE = 'F';
        /** No file: the task left none where it was to write one. */
        static final char NO_FILE = 'X';
    }

    /** The access index standing for a synchronous call's returned value. */
    static final int SYNCHRONOUS_RESULT = -1;

    /** A finished task, as the journal records it. */
    record Entry(String identity, String task, List<Output> outputs) {}

    private final Path folder;
    private final Path outputs;
    private final Map<String, Entry> saved;
    private final int everyTasks;
    private final long everyNanos;
    private final BufferedWriter journal;
    private int unflushed;
    private long lastFlush = System.nanoTime();
    final AtomicInteger restored = new AtomicInteger();
    final AtomicInteger written = new AtomicInteger();

    private Checkpoint(Path folder, Map<String, Entry> saved, int everyTasks, long everyNanos, BufferedWriter journal) {
        this.folder = folder;
        this.outputs = folder.resolve("outputs");
        this.saved = saved;
        this.everyTasks = everyTasks;
        this.everyNanos = everyNanos;
        this.journal = journal;
    }

    /**
     * Opens (or makes) a checkpoint folder for a program.
     *
     * @param program the program's entry class (or jar), which the folder must belong to
     * @param everyTasks write the journal out after this many finished tasks (1: after each)
     * @param everyMillis or after this many milliseconds, if more than 0 (then {@code everyTasks} is ignored)
     * @throws IllegalArgumentException if the folder is another program's, not a checkpoint folder, or damaged,
     *     naming the reason and what to do
     */
    static Checkpoint open(Path folder, String program, int everyTasks, long everyMillis) {
        Path dir = folder.toAbsolutePath().normalize();
        try {
            Path properties = dir.resolve(PROPERTIES);
            if (Files.isDirectory(dir) && !Files.exists(properties)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("checkpoint folder " + dir + " is not empty and is not a"
                                + " Weft checkpoint folder (it has no " + PROPERTIES + "): name a new or empty folder");
                    }
                }
            }
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("checkpoint folder " + dir + " is a file, not a folder");
            }
            if (Files.exists(properties)) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(properties)) {
                    p.load(in);
                }
                if (!FORMAT.equals(p.getProperty("format"))) {
                    throw new IllegalArgumentException("checkpoint folder " + dir + " has format "
                            + p.getProperty("format") + ", this Weft reads format " + FORMAT
                            + ": delete the folder to start afresh");
                }
                String owner = p.getProperty("program");
                if (!String.valueOf(program).equals(owner)) {
                    throw new IllegalArgumentException("checkpoint folder " + dir + " belongs to program " + owner
                            + ", not to " + program + ": use another folder for this program, or delete " + dir
                            + " to start afresh");
                }
            } else {
                Properties p = new Properties();
                p.setProperty("format", FORMAT);
                p.setProperty("program", String.valueOf(program));
                try (OutputStream out = Files.newOutputStream(properties)) {
                    p.store(out, "Weft checkpoint folder: the journal of finished tasks and their saved outputs");
                }
            }
            Files.createDirectories(dir.resolve("outputs"));
            Path journalFile = dir.resolve(JOURNAL);
            byte[] written = Files.exists(journalFile) ? Files.readAllBytes(journalFile) : new byte[0];
            Map<String, Entry> saved = read(journalFile, written, dir.resolve("outputs"));
            dropIncompleteLastLine(journalFile, written);
            BufferedWriter journal = Files.newBufferedWriter(journalFile, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new Checkpoint(dir, saved, Math.max(1, everyTasks), everyMillis * 1_000_000L, journal);
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint folder " + dir + " cannot be used: " + e, e);
        }
    }

    /** Reads the journal; a damaged line other than an incomplete last one refuses it. */
    private static Map<String, Entry> read(Path journalFile, byte[] all, Path outputs) throws IOException {
        String text = new String(all, StandardCharsets.UTF_8);
        boolean complete = text.isEmpty() || text.endsWith("\n");
        String[] lines = text.split("\n", -1);
        int count = complete ? lines.length - 1 : lines.length;
        Map<String, Entry> saved = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            boolean last = i == count - 1;
            String problem = null;
            Entry entry = null;
            try {
                entry = parse(line);
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            if (entry != null) {
                for (Output o : entry.outputs()) {
                    if (o.kind() != Output.NO_FILE) {
                        Path blob = outputs.resolve(blobName(entry.identity(), o.access()));
                        if (!Files.exists(blob) || Files.size(blob) != o.bytes()) {
                            problem = "its output " + blob.getFileName() + " is missing or has the wrong size";
                        }
                    }
                }
            }
            if (problem != null) {
                if (last && !complete) {
                    LOG.info("checkpoint journal " + journalFile + ": the last line, written when the run was"
                            + " stopped, is incomplete and is ignored");
                    continue;
                }
                throw new IllegalArgumentException("checkpoint journal " + journalFile + " is damaged at line "
                        + (i + 1) + " (" + problem + "); it is not used: delete " + journalFile.getParent()
                        + " to start afresh");
            }
            saved.put(entry.identity(), entry);
        }
        return saved;
    }

    /**
     * Cuts a last line the process was killed while writing off the journal, so that the lines this run appends
     * start on a line of their own (else the next run would find a damaged line in the middle).
     */
    private static void dropIncompleteLastLine(Path journalFile, byte[] all) throws IOException {
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        if (end < all.length) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(journalFile,
                    StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
    }

    private static Entry parse(String line) {
        int lastTab = line.lastIndexOf('\t');
        if (lastTab < 0) {
            throw new IllegalArgumentException("no CRC");
        }
        String body = line.substring(0, lastTab);
        if (!crc(body).equals(line.substring(lastTab + 1))) {
            throw new IllegalArgumentException("its CRC does not match its text");
        }
        String[] fields = body.split("\t", -1);
        if (fields.length != 3 || fields[0].length() != 32) {
            throw new IllegalArgumentException("expected an identity, a task and its outputs");
        }
        List<Output> outputs = new ArrayList<>();
        if (!fields[2].isEmpty()) {
            for (String o : fields[2].split(";")) {
                String[] parts = o.split(":", 4);
                if (parts.length != 4 || parts[1].length() != 1) {
                    throw new IllegalArgumentException("output '" + o + "' is not access:kind:bytes:class");
                }
                outputs.add(new Output(Integer.parseInt(parts[0]), parts[1].charAt(0), Long.parseLong(parts[2]),
                        parts[3]));
            }
        }
        return new Entry(fields[0], fields[1], List.copyOf(outputs));
    }

    private static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static String blobName(String identity, int access) {
        return identity + (access < 0 ? "-r" : "-" + access);
    }

    /** The folder. */
    Path folder() {
        return folder;
    }

    /** How many tasks earlier runs saved. */
    int savedCount() {
        return saved.size();
    }

    /** The saved outputs of the task with this identity, or {@code null}. Analyser thread. */
    Entry saved(String identity) {
        return saved.get(identity);
    }

    /** Where the output of one access of a task is (to be) kept. */
    Path blob(String identity, int access) {
        return outputs.resolve(blobName(identity, access));
    }

    /** The serialised bytes of a saved object output. */
    byte[] read(Entry entry, Output output) {
        try {
            return Files.readAllBytes(blob(entry.identity(), output.access()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Records a finished task whose outputs were written with {@link #blob}: the line goes to the journal, which is
     * written out as the saving policy says. Any thread.
     */
    synchronized void append(String identity, String task, List<Output> outputs) {
        StringBuilder body = new StringBuilder(identity).append('\t').append(task.replace('\t', ' ')).append('\t');
        for (int i = 0; i < outputs.size(); i++) {
            Output o = outputs.get(i);
            body.append(i == 0 ? "" : ";").append(o.access()).append(':').append(o.kind()).append(':')
                    .append(o.bytes()).append(':').append(o.className() == null ? "" : o.className());
        }
        String text = body.toString();
        try {
            journal.write(text + "\t" + crc(text) + "\n");
            written.incrementAndGet();
            unflushed++;
            if (everyNanos > 0 ? System.nanoTime() - lastFlush >= everyNanos : unflushed >= everyTasks) {
                flush();
            }
        } catch (IOException e) {
            LOG.warn("weft: cannot write the checkpoint journal in " + folder + ": " + e
                    + "; the tasks that end from now on are not saved");
        }
    }

    /** Writes out the journal lines not yet written. Any thread. */
    synchronized void flush() {
        try {
            journal.flush();
        } catch (IOException e) {
            LOG.warn("weft: cannot write the checkpoint journal in " + folder + ": " + e);
        }
        unflushed = 0;
        lastFlush = System.nanoTime();
    }

    /** Writes out what is left, at the end of the run (also when it is stopped). */
    synchronized void close() {
        flush();
        try {
            journal.close();
        } catch (IOException e) {
            // flushed above; nothing more to say
        }
    }
}
