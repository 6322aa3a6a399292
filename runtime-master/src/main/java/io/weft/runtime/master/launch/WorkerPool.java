package io.weft.runtime.master.launch;

import io.weft.log.Log;
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
 * the launcher that starts them (on this host, or through a command such as ssh), the adoption of workers that
 * something else starts, and heartbeats that notice when one stops answering.
 *
 * <p>Threading: Netty event loops record hellos and pongs; one scheduler thread sends heartbeats and checks
 * {@link Liveness}; any thread may launch. Lifecycle: {@link #start}, then {@link #close}, which says
 * {@link Message.Shutdown} to every worker.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Log LOG = Log.of(WorkerPool.class);
    /** A worker that said hello. */
    public record Worker(String node, long pid, int dataPort, String dataHost, WireConnection connection) {
        /** The address its peers reach it at: the one it named, or the one its connection came from. */
        public String peerHost() {
            if (!dataHost.isEmpty()) {
                return dataHost;
            }
            return connection.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() : "127.0.0.1";
        }
    }

    private final Path credentialsFile;
    /**
     * The server, set up on a thread of its own (Netty's first start in a JVM takes a good part of a second) while
     * the workers are launched: the socket listens from the start, so they may connect meanwhile.
     */
    private final CompletableFuture<WireServer> server;
    private final InetSocketAddress address;
    /** Hellos awaited, by node: taken by the first worker that says it serves the node. */
    private final Map<String, CompletableFuture<Worker>> joining = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Worker>> adoptions = new ConcurrentHashMap<>();
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** Nodes whose worker said hello, lost since or not: a process of one that is not serving any more was lost. */
    private final java.util.Set<String> saidHello = ConcurrentHashMap.newKeySet();
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<WireConnection, Consumer<Message>> routes = new ConcurrentHashMap<>();
    private final Liveness liveness;
    private final ScheduledExecutorService heartbeats;
    private final java.util.function.BiConsumer<String, String> onLost;
    private long sequence;
    private final long beatNanos;
    private long lastBeat = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private WorkerPool(RunCredentials credentials, Path credentialsFile, InetSocketAddress bind, List<String> adopted,
            Duration heartbeat, Duration timeout, java.util.function.BiConsumer<String, String> onLost) {
        this.credentialsFile = credentialsFile;
        this.liveness = new Liveness(timeout.toNanos());
        this.beatNanos = heartbeat.toNanos();
        this.onLost = onLost;
        for (String node : adopted) {
            CompletableFuture<Worker> hello = new CompletableFuture<>();
            joining.put(node, hello); // before anyone can connect
            adoptions.put(node, hello);
        }
        java.nio.channels.ServerSocketChannel bound = WireServer.listen(bind);
        try {
            this.address = (InetSocketAddress) bound.getLocalAddress();
        } catch (java.io.IOException e) {
            throw new io.weft.wire.WireException("cannot listen on " + bind + ": " + e.getMessage());
        }
        Listener listener = new Listener();
        this.server = new CompletableFuture<>();
        Thread serving = new Thread(() -> {
            try {
                // One event loop for every worker: the report it reads from one worker and the tasks that report
                // releases for another are then written in one pass, without waking a second loop.
                server.complete(WireServer.start(bound, credentials, 16 << 20, 1, listener));
            } catch (RuntimeException e) {
                // Workers then cannot connect (the socket is closed), and say so when their start fails.
                LOG.error("weft: the master cannot serve its workers: " + e.getMessage());
                server.completeExceptionally(e);
            }
        }, "weft-serve-setup");
        serving.setDaemon(true);
        serving.start();
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
     * @param onLost told the node of each lost worker and why it was taken for lost, on the heartbeat thread or
     *     an event loop
     */
    public static WorkerPool start(RunCredentials credentials, Path credentialsFile, Duration heartbeat,
            Duration timeout, java.util.function.BiConsumer<String, String> onLost) {
        return start(credentials, credentialsFile, new InetSocketAddress("127.0.0.1", 0), List.of(), heartbeat,
                timeout, onLost);
    }

    /**
     * Starts the master's endpoint.
     *
     * @param bind the address and port to listen on (port 0: any free one)
     * @param adopted nodes whose workers something else starts; their hellos are awaited with {@link #adopt}
     * @throws io.weft.wire.WireException if it cannot listen there
     */
    public static WorkerPool start(RunCredentials credentials, Path credentialsFile, InetSocketAddress bind,
            List<String> adopted, Duration heartbeat, Duration timeout,
            java.util.function.BiConsumer<String, String> onLost) {
        return new WorkerPool(credentials, credentialsFile, bind, adopted, heartbeat, timeout, onLost);
    }

    public InetSocketAddress address() {
        return address;
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
        List<String> arguments = List.of("--node", node, "--master", "127.0.0.1:" + address().getPort(),
                "--work-dir", workDir.toString(), "--port", String.valueOf(port));
        return start(node, LaunchCommands.local(java.toString(), List.of(), classPath, arguments, ""),
                credentialsEnvironment(), null, startTimeout);
    }

    /** The environment that names the run's credentials file to a worker started on this host. */
    public Map<String, String> credentialsEnvironment() {
        return Map.of(RunCredentials.FILE_VARIABLE, credentialsFile.toString());
    }

    /**
     * Runs a command that starts the worker of {@code node} (directly, or through ssh or a script), and waits until
     * the worker has proved itself and said hello. The command's standard output is the master's; its standard
     * error is kept until the hello (for the report if none comes), then passed on.
     *
     * @param environment variables added to the command's environment
     * @param input written to the command's standard input (the run's credentials, for ssh), or {@code null}
     * @throws WorkerStartException naming the node, with the command's own error output
     */
    public Worker start(String node, List<String> command, Map<String, String> environment, String input,
            Duration startTimeout) throws WorkerStartException {
        CompletableFuture<Worker> hello = new CompletableFuture<>();
        if (closed.get()) {
            throw new WorkerStartException(node, "the run ended before it started");
        }
        if (joining.putIfAbsent(node, hello) != null || workers.containsKey(node)) {
            throw new WorkerStartException(node, "a worker for this node is already running or starting");
        }
        ErrorOutput errors = new ErrorOutput();
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(false)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(environment);
            process = builder.start();
            errors.pump(process.getErrorStream(), "weft-worker-stderr-" + node);
        } catch (IOException e) {
            joining.remove(node, hello);
            throw new WorkerStartException(node, "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        processes.put(node, process);
        if (closed.get()) { // closed meanwhile: close() may have looked at the processes before this one
            process.destroyForcibly();
            joining.remove(node, hello);
            throw new WorkerStartException(node, "the run ended before it started");
        }
        if (input != null) {
            try {
                process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
                process.getOutputStream().flush();
            } catch (IOException e) {
                // It ended already (ssh could not connect, say): the wait below reports its status and words.
            }
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        try {
            while (true) {
                try {
                    Worker w = hello.get(100, TimeUnit.MILLISECONDS);
                    errors.passOn();
                    return w;
                } catch (java.util.concurrent.TimeoutException e) {
                    if (!process.isAlive()) {
                        errors.drained(1000);
                        throw new WorkerStartException(node, "it exited with status " + process.exitValue()
                                + ": " + errors.tail());
                    }
                    if (System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new WorkerStartException(node, "no hello within " + startTimeout.toMillis() + " ms"
                                + (errors.tail().isEmpty() ? "" : ": " + errors.tail()));
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
            joining.remove(node, hello);
        }
    }

    /**
     * The worker of a node that something else starts (named at {@link #start}), once it has connected, proved
     * itself and said hello. No thread waits for it: a run of thousands of adopted nodes holds no thread per node.
     *
     * @param launcher what starts it, for the message ({@code srun}, say)
     * @return a future that fails with a {@link WorkerStartException} if it does not connect within {@code timeout}
     */
    public CompletableFuture<Worker> adoption(String node, String launcher, String masterAddress, Duration timeout) {
        CompletableFuture<Worker> hello = adoptions.get(node);
        if (hello == null) {
            return CompletableFuture.failedFuture(
                    new WorkerStartException(node, "it was not named as adopted when the pool started"));
        }
        CompletableFuture<Worker> adopted = new CompletableFuture<>();
        hello.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((w, t) -> {
            joining.remove(node, hello);
            if (t == null) {
                adopted.complete(w);
            } else if (t instanceof java.util.concurrent.TimeoutException) {
                adopted.completeExceptionally(new WorkerStartException(node, "no worker connected within "
                        + seconds(timeout) + " s; it is started by " + launcher + ", and must connect to "
                        + masterAddress + " with the run's credentials (" + RunCredentials.FILE_VARIABLE
                        + ") and --node " + node));
            } else {
                Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                        ? t.getCause() : t;
                adopted.completeExceptionally(cause instanceof WorkerStartException ? cause
                        : new WorkerStartException(node, cause.getMessage()));
            }
        });
        return adopted;
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    /**
     * A worker's standard error: kept until it says hello, for the report if it never does; then passed on to the
     * master's standard error, line by line.
     */
    private static final class ErrorOutput {
        private final StringBuilder kept = new StringBuilder();
        private boolean passing;
        private Thread pump;

        void pump(java.io.InputStream in, String name) {
            pump = new Thread(() -> {
                try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        line(line);
                    }
                } catch (IOException e) {
                    // The worker is gone.
                }
            }, name);
            pump.setDaemon(true);
            pump.start();
        }

        private synchronized void line(String line) {
            if (passing) {
                // The worker's own words (its warnings, which its log has too) and its tasks' output, as printed.
                System.err.println(line);
            } else if (kept.length() < 64 * 1024) {
                kept.append(line).append('\n');
            }
        }

        synchronized void passOn() {
            passing = true;
            kept.setLength(0);
        }

        /** Waits a little for the rest of a dead worker's output. */
        void drained(long millis) throws InterruptedException {
            pump.join(millis);
        }

        synchronized String tail() {
            String text = kept.toString().strip();
            return text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
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

    /** Sends the messages of a worker, other than hellos and pongs, to {@code handler} (on its event loop). */
    public void route(String node, Consumer<Message> handler) {
        Worker w = workers.get(node);
        if (w != null) {
            routes.put(w.connection(), handler);
        }
    }

    private synchronized void beat() {
        long now = System.nanoTime();
        long since = now - lastBeat;
        lastBeat = now;
        if (since > 3 * beatNanos && since > TimeUnit.SECONDS.toNanos(1)) {
            // This process did not run for a while (stopped, a long garbage collection, a suspended machine): what
            // the workers answered meanwhile is still unread in the sockets. They are judged from now on, not
            // taken for lost for the master's own silence.
            for (String node : workers.keySet()) {
                liveness.heard(node, now);
            }
        } else {
            for (String node : liveness.overdue(now)) {
                lose(node, "it did not answer heartbeats for " + liveness.timeoutMillis() + " ms");
            }
        }
        sequence++;
        for (Worker w : workers.values()) {
            w.connection().send(new Message.Ping(sequence, now));
        }
    }

    private synchronized void lose(String node, String why) {
        Worker w = workers.remove(node);
        if (w != null && !closed.get()) {
            liveness.forget(node);
            w.connection().close();
            Process p = processes.get(node);
            if (p != null && !p.isAlive()) {
                why += "; it exited with status " + p.exitValue();
            }
            onLost.accept(node, why);
        }
    }

    private synchronized void heard(String node) {
        if (workers.containsKey(node)) {
            liveness.heard(node, System.nanoTime());
        }
    }

    /**
     * Says {@link Message.Shutdown} to every worker, asks the processes of workers that have not said hello yet to
     * stop ({@code SIGTERM}: each then removes the work folder it may have made), kills those of workers lost,
     * waits for them all, and stops; kills what has not ended after 5 seconds (1 second for a worker still
     * starting). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeats.shutdownNow();
        java.util.Set<Process> starting = new java.util.HashSet<>();
        synchronized (this) { // a hello handled meanwhile finds the pool closed, or its worker is told here
            for (Worker w : workers.values()) {
                w.connection().send(new Message.Shutdown("the run is over"));
            }
            for (Map.Entry<String, Process> started : processes.entrySet()) {
                if (workers.containsKey(started.getKey())) {
                    continue;
                }
                if (saidHello.contains(started.getKey())) {
                    started.getValue().destroyForcibly(); // lost: nothing to say goodbye to
                } else {
                    started.getValue().destroy(); // still starting (the run ended first), or failed to
                    starting.add(started.getValue());
                }
            }
        }
        long now = System.nanoTime();
        long deadline = now + TimeUnit.SECONDS.toNanos(5); // for all of them together
        long startingDeadline = now + TimeUnit.SECONDS.toNanos(1);
        for (Process p : processes.values()) {
            try {
                long until = starting.contains(p) ? startingDeadline : deadline;
                if (!p.waitFor(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    // Killed, and waited for briefly: the run's folder is emptied next, not under a live worker.
                    p.destroyForcibly().waitFor(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            server.join().close();
        } catch (java.util.concurrent.CompletionException e) {
            // It never served: nothing to close.
        }
    }

    private final class Listener implements WireListener {
        private final io.weft.wire.RejectionLog rejections = new io.weft.wire.RejectionLog("weft: ");

        @Override
        public void received(WireConnection connection, Message message) {
            if (message instanceof Message.Hello h) {
                Worker w = new Worker(h.node(), h.pid(), h.dataPort(), h.dataHost(), connection);
                // Taken, not looked at: a second worker for the same node finds nothing to join.
                CompletableFuture<Worker> waiting = joining.remove(h.node());
                if (closed.get()) { // the run is over: a worker that comes now is only told so
                    connection.send(new Message.Shutdown("the run is over"));
                    connection.close();
                    return;
                }
                if (waiting == null) {
                    String why = workers.containsKey(h.node()) ? "a worker for node " + h.node()
                            + " is already part of the run" : "the run awaits no worker for node " + h.node();
                    LOG.warn("weft: refused worker " + h.node() + " (pid " + h.pid() + ") from "
                            + connection.remoteAddress() + ": " + why);
                    connection.send(new Message.Shutdown("refused: " + why));
                    connection.close();
                    return;
                }
                synchronized (WorkerPool.this) {
                    if (closed.get()) { // closed since the look above: close() did not see it among the workers
                        connection.send(new Message.Shutdown("the run is over"));
                        connection.close();
                        return;
                    }
                    workers.put(h.node(), w);
                    saidHello.add(h.node());
                    liveness.heard(h.node(), System.nanoTime());
                }
                waiting.complete(w);
            } else if (message instanceof Message.Pong) {
                workers.values().stream().filter(w -> w.connection() == connection).findFirst()
                        .ifPresent(w -> heard(w.node()));
            } else {
                Consumer<Message> handler = routes.get(connection);
                if (handler != null) {
                    handler.accept(message);
                }
            }
        }

        @Override
        public void closed(WireConnection connection) {
            routes.remove(connection);
            workers.values().stream().filter(w -> w.connection() == connection).findFirst()
                    .ifPresent(w -> lose(w.node(), "its connection closed (the process died or was killed?)"));
        }

        @Override
        public void rejected(SocketAddress peer, String reason) {
            if (closed.get()) {
                return; // the run is stopping: connections reset as the workers go are no news
            }
            rejections.dropped(peer, reason, System.nanoTime()).forEach(LOG::warn);
        }
    }
}
