package io.weft.runtime.master;

import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notes whether the JVM is exiting because it was told to stop ({@code SIGINT}, {@code SIGTERM}), so the exit
 * hook does not wait for unfinished tasks then: a user who presses Ctrl-C, or a batch system ending a job, must
 * not meet a process that cannot be stopped. The JVM's own handling (running the exit hooks, then exiting) is
 * kept. {@code sun.misc.Signal} is reached through method handles: it is unsupported API, and missing from some JVMs,
 * where nothing is noted.
 */
final class Signals {
    private static volatile String received;
    /** {@code SignalHandler.handle}, to hand a signal on to the handler ours replaced. */
    private static volatile MethodHandle handOn;
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
        Class<?> signalClass;
        Class<?> handlerClass;
        MethodHandle handle;
        MethodHandle factory;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            handle = lookup.findStatic(signalClass, "handle", MethodType.methodType(handlerClass, signalClass,
                    handlerClass));
            handOn = lookup.findVirtual(handlerClass, "handle", MethodType.methodType(void.class, signalClass));
            // A SignalHandler made as a lambda is: one small class, where a reflective proxy of the interface
            // would spin its proxy machinery (some 8 ms while the runtime starts).
            MethodType onSignal = MethodType.methodType(void.class, signalClass);
            factory = LambdaMetafactory.metafactory(lookup, "handle",
                    MethodType.methodType(handlerClass, String.class, AtomicReference.class), onSignal,
                    lookup.findStatic(Signals.class, "onSignal", MethodType.methodType(void.class, String.class,
                            AtomicReference.class, Object.class)), onSignal).getTarget();
        } catch (ReflectiveOperationException | LambdaConversionException | RuntimeException | LinkageError e) {
            return; // this JVM does not offer the API: nothing to note
        }
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                AtomicReference<Object> previous = new AtomicReference<>();
                Object ours = factory.invoke(name, previous);
                previous.set(handle.invoke(signal, ours));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // This JVM does not offer the signal (HUP on some platforms): nothing to note.
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e); // neither target throws a checked exception
            }
        }
    }

    /** Our handler of {@code SIG<name>}: notes it, then hands it to the handler it replaced (the JVM's exit). */
    private static void onSignal(String name, AtomicReference<Object> previous, Object signal) throws Throwable {
        received = "SIG" + name;
        Object before = previous.get();
        // A signal in the moment between ours being installed and the one it replaced being known waits for it.
        for (int i = 0; before == null && i < 100; i++) {
            Thread.sleep(1);
            before = previous.get();
        }
        if (before != null) {
            handOn.invoke(before, signal);
        }
    }
}
