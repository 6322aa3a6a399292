package io.weft.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The baseline of {@link FileTransfer}, run without the agent: the same file moved between two threads of one JVM
 * the fastest plain way, {@code FileChannel.transferTo} into a loopback socket ({@code sendfile}), read from the
 * socket into a 4 MiB direct buffer and written from it into a new file, each round timed from the first byte sent
 * to the last one written. Then a local copy of the file ({@code transferTo} between two files), the ceiling of moving it on this
 * disk at all.
 *
 * <p>Usage: {@code LoopbackFileTransfer DIRECTORY [mib=1024] [rounds=6]}.
 */
public final class LoopbackFileTransfer {
    private LoopbackFileTransfer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        long bytes = mib << 20;
        Path source = dir.resolve("baseline-source.bin");
        Path target = dir.resolve("baseline-target.bin");
        write(source, bytes);
        double megabytes = bytes / 1e6;

        double[] socket = new double[rounds];
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel out = SocketChannel.open(server.getLocalAddress())) {
            BlockingQueue<Long> received = new ArrayBlockingQueue<>(1);
            Thread receiver = new Thread(() -> receive(server, target, bytes, rounds, received), "receiver");
            receiver.setDaemon(true);
            receiver.start();
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                    for (long at = 0; at < bytes; ) {
                        at += in.transferTo(at, bytes - at, out);
                    }
                }
                long end = received.take();
                socket[r] = megabytes / ((end - start) / 1e9);
                System.err.printf(Locale.ROOT, "sendfile round %d: %.0f MB/s%n", r + 1, socket[r]);
            }
        }
        double[] local = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                    FileChannel o = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long at = 0; at < bytes; ) {
                    at += in.transferTo(at, bytes - at, o);
                }
            }
            local[r] = megabytes / ((System.nanoTime() - start) / 1e9);
        }
        Files.deleteIfExists(source);
        Files.deleteIfExists(target);
        System.out.printf(Locale.ROOT, "loopback-file mib=%d rounds=%d (first dropped): sendfile to a socket, read"
                + " into a file best=%.0f MB/s median=%.0f MB/s; local file copy best=%.0f MB/s median=%.0f MB/s%n",
                mib, rounds, LoopbackTransfer.best(socket), LoopbackTransfer.median(socket), LoopbackTransfer.best(local),
                LoopbackTransfer.median(local));
    }

    private static void write(Path file, long bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < bytes; written += buffer.capacity()) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    buffer.putLong(written + buffer.position());
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
        }
    }

    private static void receive(ServerSocketChannel server, Path target, long bytes, int rounds,
            BlockingQueue<Long> received) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20); // transferFrom a socket goes 8 KiB at a time
        try (SocketChannel in = server.accept()) {
            for (int r = 0; r < rounds; r++) {
                try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    for (long at = 0; at < bytes; ) {
                        buffer.clear().limit((int) Math.min(buffer.capacity(), bytes - at));
                        if (in.read(buffer) < 0) {
                            throw new IOException("the connection closed early");
                        }
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            at += out.write(buffer);
                        }
                    }
                }
                received.put(System.nanoTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
