package io.weft.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The baseline of {@link ObjectTransfer}, run without the agent: the same block of doubles moved between two
 * threads of one JVM over a plain loopback TCP connection, doing what any transfer of an object must do: the sender
 * turns the {@code double[]} into bytes and writes them, the receiver reads them all and turns them back into a new
 * {@code double[]}. Each round is timed from the start of the encoding to the end of the decoding; the connection
 * stays open across rounds, as a worker's connection to its peer does. Then the same with the socket alone (the
 * bytes sent from and read into buffers allocated once), and a plain in-memory copy of the block
 * ({@code Arrays.copyOf}), the ceiling of any transfer on this machine.
 *
 * <p>Usage: {@code LoopbackTransfer [mb=100] [rounds=8]}.
 */
public final class LoopbackTransfer {
    private LoopbackTransfer() {}

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int length = mb * 125_000;
        double[] block = new double[length];
        for (int i = 0; i < length; i++) {
            block[i] = i * 0.5;
        }
        double megabytes = length * 8 / 1e6;

        double[] socket = new double[rounds];
        double[] raw = new double[rounds];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket out = new Socket()) {
            out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            BlockingQueue<double[]> received = new ArrayBlockingQueue<>(1);
            Thread receiver = new Thread(() -> receive(server, length, rounds, received), "receiver");
            receiver.setDaemon(true);
            receiver.start();
            OutputStream o = out.getOutputStream();
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                byte[] bytes = new byte[length * 8];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(block);
                o.write(bytes);
                o.flush();
                double[] copy = received.take();
                socket[r] = megabytes / ((System.nanoTime() - start) / 1e9);
                if (copy.length != length || copy[length - 1] != block[length - 1]) {
                    throw new AssertionError("round " + (r + 1) + ": the block arrived damaged");
                }
                System.err.printf(Locale.ROOT, "socket round %d: %.0f MB/s%n", r + 1, socket[r]);
            }
            byte[] bytes = new byte[length * 8];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                o.write(bytes);
                o.flush();
                received.take();
                raw[r] = megabytes / ((System.nanoTime() - start) / 1e9);
                System.err.printf(Locale.ROOT, "socket alone round %d: %.0f MB/s%n", r + 1, raw[r]);
            }
        }

        double[] copy = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            double[] c = Arrays.copyOf(block, length);
            copy[r] = megabytes / ((System.nanoTime() - start) / 1e9);
            if (c[length - 1] != block[length - 1]) {
                throw new AssertionError();
            }
        }
        System.out.printf(Locale.ROOT, "loopback-socket mb=%d rounds=%d (first dropped): best=%.0f MB/s"
                + " median=%.0f MB/s; socket alone best=%.0f MB/s median=%.0f MB/s; in-memory copy best=%.0f MB/s%n",
                mb, rounds, best(socket), median(socket), best(raw), median(raw), best(copy));
    }

    /** Receives {@code rounds} blocks to decode into new arrays, then {@code rounds} blocks to read only. */
    private static void receive(ServerSocket server, int length, int rounds, BlockingQueue<double[]> received) {
        try (Socket in = server.accept()) {
            InputStream i = in.getInputStream();
            for (int r = 0; r < rounds; r++) {
                byte[] bytes = i.readNBytes(length * 8);
                double[] values = new double[length];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
                received.put(values);
            }
            byte[] bytes = new byte[length * 8];
            double[] none = new double[0];
            for (int r = 0; r < rounds; r++) {
                if (i.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new IOException("the connection closed early");
                }
                received.put(none);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Best of the rounds after the first (warm-up). */
    static double best(double[] perRound) {
        return Arrays.stream(perRound).skip(perRound.length > 1 ? 1 : 0).max().orElse(0);
    }

    /** Median of the rounds after the first (the lower middle one). */
    static double median(double[] perRound) {
        double[] v = Arrays.stream(perRound).skip(perRound.length > 1 ? 1 : 0).sorted().toArray();
        return v[(v.length - 1) / 2];
    }
}
