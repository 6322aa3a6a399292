package io.weft.api.spi;

import java.util.Objects;

/**
 * The static entry points that the agent's generated code calls. Each one is a no-op (or says "run the call
 * inline") when no runtime is installed or when the calling thread is a task thread, so that instrumented code
 * is correct in every context.
 *
 * <p>The checks are ordered so the JIT can hoist them out of loops in task code: the thread test comes first.
 */
public final class Intercept {
    /** Returned by {@link #task} when the call must simply proceed as a plain call. */
    public static final Object INLINE = new Object();

    private static volatile WeftRuntime runtime;

    private Intercept() {}

    /**
     * Installs the runtime. Called once by the agent at start-up.
     *
     * @throws IllegalStateException if a runtime is already installed
     */
    public static synchronized void install(WeftRuntime newRuntime) {
        Objects.requireNonNull(newRuntime, "runtime");
        if (runtime != null) {
            throw new IllegalStateException("a Weft runtime is already installed: " + runtime);
        }
        runtime = newRuntime;
    }

    /** Removes the installed runtime; for tests that install a testing runtime. */
    public static synchronized void uninstall() {
        runtime = null;
    }

    /** The installed runtime, or {@code null} when the program runs without the agent. */
    public static WeftRuntime runtime() {
        return runtime;
    }

    /**
     * The installed runtime if the calling thread is an application thread; {@code null} on a task thread (whose
     * code runs as plain sequential code) or without the agent.
     */
    public static WeftRuntime forApplicationThread() {
        return active();
    }

    private static WeftRuntime active() {
        if (Thread.currentThread() instanceof RuntimeThread) {
            return null;
        }
        return runtime;
    }

    /** A call site of a task method: submit it, or answer {@link #INLINE} to make the call run as written. */
    public static Object task(int site, Object receiver, Object[] args) {
        WeftRuntime r = active();
        return r == null ? INLINE : r.submit(site, receiver, args);
    }

    /** The program is about to use {@code object}: wait for the tasks that use it. */
    public static void use(Object object) {
        if (object != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.use(object);
            }
        }
    }

    /** The program passes an array to a varargs method: wait for the tasks that use any of its elements. */
    public static void useElements(Object[] objects) {
        if (objects != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.use(objects);
                for (Object o : objects) {
                    if (o != null) {
                        r.use(o);
                    }
                }
            }
        }
    }

    /** The program is about to open a file named by a string path. */
    public static void usePath(String path) {
        if (path != null) {
            WeftRuntime r = active();
            if (r != null && r.hasPendingTasks()) {
                r.usePath(path);
            }
        }
    }

    /** The program's {@code main} method ended by throwing; never throws itself. */
    public static void endOfMainThrew(Throwable thrown) {
        WeftRuntime r = active();
        if (r != null) {
            try {
                r.endOfMainThrew(thrown);
            } catch (RuntimeException | Error e) {
                thrown.addSuppressed(e);
            }
        }
    }

    /** The end of the program's {@code main} method. */
    public static void endOfMain() {
        WeftRuntime r = active();
        if (r != null) {
            r.endOfMain();
        }
    }
}
