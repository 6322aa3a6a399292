package io.weft.instrument;

import io.weft.api.spi.InstrumentedClasses;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * The agent's class-file transformer: filters application classes and hands them to its {@link Rewriter}: the
 * {@link RewriteCache} in front of {@link ClassInstrumenter}, or the instrumenter itself.
 *
 * <p>The JDK silently swallows exceptions thrown by transformers, which would leave a program running
 * un-instrumented — sequential, but believing it is parallel. So nothing escapes: a failure is printed with the
 * class, method and reason, and the process stops with exit code 2.
 */
final class WeftTransformer implements ClassFileTransformer {
    /** What to do when a class cannot be instrumented; replaced in tests. */
    interface FailureHandler {
        void failed(String className, Throwable error);
    }

    /** Turns an application class's bytes into the bytes to define: the instrumenter, or the cache in front of it. */
    interface Rewriter {
        byte[] rewrite(ClassLoader loader, String className, byte[] classBytes);

        /** Whether this thread's last class came from the rewrite cache rather than from the instrumenter. */
        default boolean lastWasCached() {
            return false;
        }
    }

    private final ClassFilter filter;
    private final Rewriter rewriter;
    private final FailureHandler onFailure;
    private final boolean verbose;

    WeftTransformer(ClassFilter filter, ClassInstrumenter instrumenter, FailureHandler onFailure, boolean verbose) {
        this(filter, (loader, className, classBytes) -> instrumenter.instrument(loader, classBytes), onFailure,
                verbose);
    }

    WeftTransformer(ClassFilter filter, Rewriter rewriter, FailureHandler onFailure, boolean verbose) {
        this.filter = filter;
        this.rewriter = rewriter;
        this.onFailure = onFailure;
        this.verbose = verbose;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
            byte[] classBytes) {
        if (internalName == null || redefined != null) {
            return null;
        }
        String className = internalName.replace('/', '.');
        if (!filter.isApplicationClass(loader, className)) {
            return null;
        }
        try {
            long start = verbose ? System.nanoTime() : 0;
            byte[] out = rewriter.rewrite(loader, className, classBytes);
            // Its methods now wait before touching its fields: the runtime may let library code store its objects.
            InstrumentedClasses.add(loader, className);
            if (verbose) {
                System.err.printf("weft: instrumented %s in %.1f ms%s%n", className, (System.nanoTime() - start) / 1e6,
                        rewriter.lastWasCached() ? " (from the rewrite cache)" : "");
            }
            return out;
        } catch (Throwable t) {
            onFailure.failed(className, t);
            return null;
        }
    }

    /** The production failure handler: say what went wrong, then stop the JVM rather than run in a wrong mode. */
    static void haltOnFailure(String className, Throwable error) {
        PrintStream err = System.err;
        err.println("weft: error: cannot run " + className + " under the Weft agent:");
        err.println("  " + (error instanceof InstrumentationException ? error.getMessage() : error.toString()));
        if (!(error instanceof InstrumentationException)) {
            error.printStackTrace(err);
        }
        err.println("weft: the program was stopped before it could run in a wrong mode (exit code 2).");
        err.flush();
        Runtime.getRuntime().halt(2);
    }
}
