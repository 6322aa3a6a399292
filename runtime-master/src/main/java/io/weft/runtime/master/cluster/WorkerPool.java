package io.weft.runtime.master.cluster;

import io.weft.wire.Message;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import io.weft.wire.WireServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The master's side of its worker processes: a server they connect to (after proving they belong to the run),
 * the launcher that starts them on this host, and heartbeats that notice when one stops answering.
 *
 * <p>Threading: Netty event loops record hellos and pongs; one scheduler thread sends heartbeats and checks
 * {@link Liveness}; any thread may launch. Lifecycle: {@link #start}, then {@link #close}, which says
 * {@link Message.Shutdown} to every worker.
 */
public final class WorkerPool implements AutoCloseable {
    /** A worker that said hello. */
    public record Worker(String node, long pid, int dataPort, WireConnection connection) {}

    private final Path credentialsFile;
    private final WireServer server;
    private final Map<String, CompletableFuture<Worker>> joining = new ConcurrentHashMap<>();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Liveness liveness;
    private final ScheduledExecutorService heartbeats;
    private final Consumer<String> onLost;
    private long sequence;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private WorkerPool(RunCredentials credentials, Path credentialsFile, Duration heartbeat, Duration timeout,
            Consumer<String> onLost) {
        this.credentialsFile = credentialsFile;
        this.liveness = new Liveness(timeout.toNanos());
        this.onLost = onLost;
        this.server = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, 16 << 20, new Listener());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-heartbeats");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleAtFixedRate(this::beat, heartbeat.toNanos(), heartbeat.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts the master's endpoint on loopback.
     *
     * @param credentialsFile where the run's credentials are (mode 600); workers are told its name
     * @param heartbeat how often workers are pinged
     * @param timeout how long a worker may stay silent before it is taken for lost
     * @param onLost told the node of each lost worker, on the heartbeat thread
     */
    public static WorkerPool start(RunCredentials credentials, Path credentialsFile, Duration heartbeat,
            Duration timeout, Consumer<String> onLost) {
        return new WorkerPool(credentials, credentialsFile, heartbeat, timeout, onLost);
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /**
     * Starts a worker process on this host and waits until it has proved itself and said hello.
     *
     * @param java the {@code java} executable
     * @param classPath the worker's class path (Weft's jar and the application)
     * @param workDir the node's working directory; the worker makes its per-run directory inside
     * @param port the port it listens on for peers, or 0 for any
     * @param startTimeout how long to wait for its hello
     * @throws WorkerStartException naming the node, with the worker's own error output
     */
    public Worker launch(String node, Path java, String classPath, Path workDir, int port, Duration startTimeout)
            throws WorkerStartException {
        CompletableFuture<Worker> hello = new CompletableFuture<>();
        if (joining.putIfAbsent(node, hello) != null || workers.containsKey(node)) {
            throw new WorkerStartException(node, "a worker for this node is already running or starting");
        }
        Path errors;
        Process process;
        try {
            errors = Files.createTempFile("weft-worker-" + node.replaceAll("[^A-Za-z0-9_.-]", "_"), ".err");
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp", classPath,
                    "io.weft.runtime.worker.process.WorkerMain", "--node", node, "--master",
                    "127.0.0.1:" + address().getPort(), "--work-dir", workDir.toString(), "--port",
                    String.valueOf(port)))
                    .redirectErrorStream(false)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            builder.environment().put(RunCredentials.FILE_VARIABLE, credentialsFile.toString());
            process = builder.start();
        } catch (IOException e) {
            joining.remove(node);
            throw new WorkerStartException(node, "cannot run " + java + ": " + e.getMessage());
        }
        processes.put(node, process);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        try {
            while (true) {
                try {
                    Worker w = hello.get(100, TimeUnit.MILLISECONDS);
                    return w;
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!process.isAlive()) {
                        throw new WorkerStartException(node, "it exited with status " + process.exitValue()
                                + ": " + tail(errors));
                    }
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new WorkerStartException(node, "no hello within " + startTimeout.toMillis() + " ms"
                                + (tail(errors).isEmpty() ? "" : ": " + tail(errors)));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new WorkerStartException(node, "interrupted while waiting for it");
        } catch (java.util.concurrent.ExecutionException e) {
            process.destroyForcibly();
            throw new WorkerStartException(node, e.getCause().getMessage());
        } finally {
            joining.remove(node);
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "";
        }
    }

    /** The workers that said hello and have not been lost or left. */
    public List<String> workers() {
        List<String> nodes = new ArrayList<>(workers.keySet());
        nodes.sort(null);
        return nodes;
    }

    /** The process of a launched worker (tests kill it). */
    public Process process(String node) {
        return processes.get(node);
    }

    private synchronized void beat() {
        long now = System.nanoTime();
        for (String lost : liveness.overdue(now)) {
            Worker w = workers.remove(lost);
            if (w != null) {
                w.connection().close();
                onLost.accept(lost);
            }
        }
        sequence++;
        for (Worker w : workers.values()) {
            w.connection().send(new Message.Ping(sequence, now));
        }
    }

    private synchronized void heard(String node) {
        if (workers.containsKey(node)) {
            liveness.heard(node, System.nanoTime());
        }
    }

    /** Says {@link Message.Shutdown} to every worker, waits for their processes, and stops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeats.shutdownNow();
        for (Worker w : workers.values()) {
            w.connection().send(new Message.Shutdown("the run is over"));
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        server.close();
    }

    private final class Listener implements WireListener {
        @Override
        public void received(WireConnection connection, Message message) {
            if (message instanceof Message.Hello h) {
                Worker w = new Worker(h.node(), h.pid(), h.dataPort(), connection);
                CompletableFuture<Worker> waiting = joining.get(h.node());
                if (waiting == null) {
                    connection.send(new Message.Shutdown("no worker was started for node " + h.node()));
                    connection.close();
                    return;
                }
                synchronized (WorkerPool.this) {
                    workers.put(h.node(), w);
                    liveness.heard(h.node(), System.nanoTime());
                }
                waiting.complete(w);
            } else if (message instanceof Message.Pong) {
                workers.values().stream().filter(w -> w.connection() == connection).findFirst()
                        .ifPresent(w -> heard(w.node()));
            }
        }

        @Override
        public void rejected(SocketAddress peer, String reason) {
            System.err.println("weft: refused a connection from " + peer + ": " + reason);
        }
    }
}
