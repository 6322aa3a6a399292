package io.weft.instrument;

import io.weft.api.spi.Intercept;
import io.weft.api.spi.RuntimeProvider;
import io.weft.api.spi.TaskSites;
import io.weft.api.spi.WeftRuntime;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * The entry point of {@code -javaagent:weft-agent.jar}: validates the options, starts the runtime, installs it
 * behind {@link Intercept}, and registers the class-file transformer before the program's main class loads.
 */
public final class WeftAgent {
    /** The runtime weft-agent.jar bundles (named in its service file too). */
    private static final String BUNDLED_PROVIDER = "io.weft.runtime.master.WeftRuntimeProvider";

    private WeftAgent() {}

    /**
     * Called by the JVM before {@code main}.
     *
     * @param args the agent argument
     * @param instrumentation the JVM's instrumentation service
     */
    public static void premain(String args, Instrumentation instrumentation) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("weft: error: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(2);
            return;
        }
        if (options.get("role", "master").equals("worker")) {
            RuntimeCompilation.apply(options, instrumentation, null);
            // A worker process: its own main serves tasks; only the processes tasks start are instrumented.
            ClassFilter filter = new ClassFilter(options.list("include"), options.list("exclude"));
            instrumentation.addTransformer(new WeftTransformer(filter, ClassInstrumenter.processStartsOnly(filter),
                    Production.INSTANCE, Boolean.parseBoolean(options.get("verbose", "false"))));
            return;
        }
        // First: the runtime may start beside main, on a thread of its own, while this one sets up the rewriting.
        WeftRuntime runtime = startRuntime(options);
        Intercept.install(runtime);
        RuntimeCompilation.apply(options, instrumentation, runtime);
        String mainClass = options.get("main", entryClass());
        ClassFilter filter = new ClassFilter(options.list("include"), options.list("exclude"));
        ClassInstrumenter.SiteRegistry sites = Production.INSTANCE;
        LazyInstrumenter instrumenter = new LazyInstrumenter(sites, mainClass, filter);
        WeftTransformer.Rewriter rewriter = null;
        if (Boolean.parseBoolean(options.get("rewriteCache", "true"))) {
            rewriter = RewriteCache.open(instrumenter, sites, mainClass,
                    "include=" + options.list("include") + " exclude=" + options.list("exclude"));
        }
        if (rewriter == null) {
            rewriter = (loader, className, classBytes) -> instrumenter.instrument(loader, classBytes, null);
        }
        instrumentation.addTransformer(new WeftTransformer(filter, rewriter, Production.INSTANCE,
                Boolean.parseBoolean(options.get("verbose", "false"))));
    }

    /**
     * Where call sites are registered ({@link TaskSites}), and what a rewrite that fails does
     * ({@link WeftTransformer#haltOnFailure}). A class rather than two method references: this runs before
     * {@code main}, while the JVM interprets, where each lambda costs a class spun at run time.
     */
    private static final class Production implements ClassInstrumenter.SiteRegistry, WeftTransformer.FailureHandler {
        static final Production INSTANCE = new Production();

        @Override
        public int register(ClassLoader loader, String owner, String name, String descriptor, boolean isStatic) {
            return TaskSites.register(loader, owner, name, descriptor, isStatic);
        }

        @Override
        public void failed(String className, Throwable error) {
            WeftTransformer.haltOnFailure(className, error);
        }
    }

    /**
     * The instrumenter, made when the first class needs it: a run whose classes all come from the rewrite cache
     * never loads javassist.
     */
    private static final class LazyInstrumenter implements RewriteCache.Instrumenter {
        private final ClassInstrumenter.SiteRegistry sites;
        private final String mainClass;
        private final ClassFilter filter;
        private ClassInstrumenter instrumenter;

        LazyInstrumenter(ClassInstrumenter.SiteRegistry sites, String mainClass, ClassFilter filter) {
            this.sites = sites;
            this.mainClass = mainClass;
            this.filter = filter;
        }

        @Override
        public byte[] instrument(ClassLoader loader, byte[] classBytes, RewriteRecording recording) {
            ClassInstrumenter made;
            synchronized (this) {
                if (instrumenter == null) {
                    instrumenter = new ClassInstrumenter(sites, mainClass, filter);
                }
                made = instrumenter;
            }
            return made.instrument(loader, classBytes, recording);
        }
    }

    /** Called when the agent jar is the program's executable jar ({@code Launcher-Agent-Class}). */
    public static void agentmain(String args, Instrumentation instrumentation) {
        premain(args, instrumentation);
    }

    private static WeftRuntime startRuntime(AgentOptions options) {
        RuntimeProvider provider = bundledProvider();
        if (provider == null) {
            Iterator<RuntimeProvider> providers =
                    ServiceLoader.load(RuntimeProvider.class, WeftAgent.class.getClassLoader()).iterator();
            if (!providers.hasNext()) {
                System.err.println("weft: error: no Weft runtime found next to the agent: use the weft-agent.jar built"
                        + " by the agent module, which bundles it.");
                Runtime.getRuntime().halt(2);
            }
            provider = providers.next();
        }
        try {
            return provider.start(options.asMap());
        } catch (IllegalArgumentException e) {
            // A wrong resources or project file: the message says where and what.
            System.err.println("weft: error: " + e.getMessage());
            System.err.flush();
            Runtime.getRuntime().halt(2);
            return null;
        }
    }

    /**
     * The runtime weft-agent.jar bundles, by its name; {@code null} if it is not beside the agent. Looked up before
     * the service loader, which would read the jar's service files first (some 5 ms before {@code main}).
     */
    private static RuntimeProvider bundledProvider() {
        Class<?> c;
        try {
            c = Class.forName(BUNDLED_PROVIDER, true, WeftAgent.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        // Present but unusable is a broken jar: its error says why, as the service loader's would.
        try {
            return (RuntimeProvider) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the runtime " + BUNDLED_PROVIDER + ": " + e, e);
        }
    }

    /** The program's entry class, read from the java command line ({@code sun.java.command}). */
    static String entryClass() {
        String command = System.getProperty("sun.java.command", "").trim();
        if (command.isEmpty()) {
            return null;
        }
        String first = command.split("\\s+")[0];
        if (first.endsWith(".jar")) {
            try (JarFile jar = new JarFile(first)) {
                return jar.getManifest() == null ? null
                        : jar.getManifest().getMainAttributes().getValue("Main-Class");
            } catch (IOException e) {
                return null;
            }
        }
        if (Files.exists(Path.of(first)) && first.endsWith(".java")) {
            return null; // source-file mode: the class name is only known once compiled
        }
        return first;
    }
}
