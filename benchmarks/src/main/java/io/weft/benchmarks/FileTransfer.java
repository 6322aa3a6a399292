package io.weft.benchmarks;

import io.weft.api.Out;
import io.weft.api.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * A large file moved from the task that writes it to the task that reads it. Each round, {@link #produce} writes
 * {@code mib} MiB of longs to the file and {@link #checksum} reads it back and returns their sum, so the call waits
 * for it: rounds do not overlap. Prints each round's time and checks every checksum.
 *
 * <p>Run on workers that do not see the file's path (nodes started outside this host's processes, with no shared
 * disk declared for it), the file stays in the writer's working directory; a reader placed on the other worker
 * streams it from there first. {@code cluster.sh} runs it with the reader on the other worker and on the same one,
 * and compares the placement records ({@link Placements}) to isolate the transfer.
 *
 * <p>Usage: {@code FileTransfer DIRECTORY [mib=1024] [rounds=6]}.
 */
public final class FileTransfer {
    private static final int BUFFER = 4 << 20;

    private FileTransfer() {}

    @Task
    static void produce(@Out Path file, long bytes, int round) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long index = 0;
            for (long written = 0; written < bytes; written += BUFFER) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.putLong(round + index++);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Task
    static long checksum(Path file) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        long sum = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer.clear()) > 0) {
                buffer.flip();
                while (buffer.remaining() >= Long.BYTES) {
                    sum += buffer.getLong();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        long bytes = mib << 20;
        Files.createDirectories(dir);
        Path file = dir.resolve("transfer.bin");
        double[] millis = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            produce(file, bytes, r);
            long sum = checksum(file);
            millis[r] = (System.nanoTime() - start) / 1e6;
            long count = bytes / Long.BYTES;
            long expected = count * r + count * (count - 1) / 2; // sum of (r + i), i < count (mod 2^64, like the task)
            if (sum != expected) {
                throw new AssertionError("round " + (r + 1) + ": checksum " + sum + ", expected " + expected);
            }
            System.err.printf(Locale.ROOT, "round %d: %.1f ms%n", r + 1, millis[r]);
        }
        Files.deleteIfExists(file);
        double[] later = Arrays.copyOfRange(millis, Math.min(1, rounds - 1), rounds);
        Arrays.sort(later);
        System.out.printf(Locale.ROOT, "file-transfer mib=%d rounds=%d checksums ok, per round (first dropped):"
                + " best=%.1f ms median=%.1f ms%n", mib, rounds, later[0], later[(later.length - 1) / 2]);
    }
}
