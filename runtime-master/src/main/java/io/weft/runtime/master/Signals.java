package io.weft.runtime.master;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Notes whether the JVM is exiting because it was told to stop ({@code SIGINT}, {@code SIGTERM}), so the exit
 * hook does not wait for unfinished tasks then: a user who presses Ctrl-C, or a batch system ending a job, must
 * not meet a process that cannot be stopped. The JVM's own handling (running the exit hooks, then exiting) is
 * kept. {@code sun.misc.Signal} is reached reflectively: it is unsupported API, and missing from some JVMs, where
 * nothing is noted.
 */
final class Signals {
    private static volatile String received;
    private static final java.util.concurrent.atomic.AtomicBoolean ANNOUNCED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private Signals() {}

    /** The signal that ends the JVM, or {@code null}. */
    static String received() {
        return received;
    }

    /**
     * The run is being stopped for {@code reason} (its wall-clock limit, a task's {@code System.exit}), which the
     * caller is about to say: the exit hook then does not wait for unfinished tasks, and does not say it again.
     *
     * @return whether this is the first such stop; if not, another is under way and the caller does nothing
     */
    static boolean stopping(String reason) {
        if (!ANNOUNCED.compareAndSet(false, true)) {
            return false;
        }
        received = reason;
        return true;
    }

    /** Whether the reason of the stop has been said already. */
    static boolean announced() {
        return ANNOUNCED.get();
    }

    static void watch() {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
                Object[] previous = new Object[1];
                InvocationHandler onSignal = (proxy, method, args) -> {
                    if (method.getName().equals("handle")) {
                        received = "SIG" + name;
                        if (previous[0] != null) {
                            handlerClass.getMethod("handle", signalClass).invoke(previous[0], args[0]);
                        }
                        return null;
                    }
                    return method.getName().equals("toString") ? "weft signal watch" : null;
                };
                Object ours = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                        onSignal);
                previous[0] = handle.invoke(null, signal, ours);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // This JVM does not offer the signal (HUP on some platforms), or the API: nothing to note.
            }
        }
    }
}
