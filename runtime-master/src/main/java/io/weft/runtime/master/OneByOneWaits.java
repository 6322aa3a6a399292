package io.weft.runtime.master;

import io.weft.log.Log;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Notices a program that waits for its tasks one at a time: a thread that blocks, many times in a row, for a task
 * while no other task is in flight runs its tasks one after another, as slowly as without the agent, and says
 * nothing. After {@link #IN_A_ROW} such waits it warns once per run, naming where the program waits and what to
 * change.
 *
 * <p>Threading: application threads report their own waits; the count is per thread, the warning once per run.
 */
final class OneByOneWaits {
    private static final Log LOG = Log.of(OneByOneWaits.class);
    /** How many waits for a lone task in a row make a warning. */
    static final int IN_A_ROW = 16;

    /** Why a thread blocked, which decides the advice. */
    sealed interface Why {
        /** It touched a task's result or an object a task updates. */
        record Touched() implements Why {}

        /** It handed a result to a JDK method that only stores it, but the result's class cannot wait for itself. */
        record Stored(String className) implements Why {}

        /** It called a task whose result the call must return, so the call waits for the task. */
        record Synchronous(String task, String returnType) implements Why {}
    }

    private static final List<String> RUNTIME_PACKAGES = List.of("io.weft.", "java.", "javax.", "jdk.", "sun.",
            "com.sun.");

    private final Consumer<String> warnings;
    private final Supplier<String> callSite;
    private final ThreadLocal<int[]> inARow = new ThreadLocal<>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * @param warnings where the warning goes (standard error)
     * @param callSite says where the calling thread's program is, e.g. {@code Main.main(Main.java:12)}
     */
    OneByOneWaits(Consumer<String> warnings, Supplier<String> callSite) {
        this.warnings = warnings;
        this.callSite = callSite;
    }

    /** A detector that never warns: in check mode the runtime itself runs the tasks one at a time. */
    static OneByOneWaits never() {
        return new OneByOneWaits(line -> { }, () -> "");
    }

    /** The production detector: warns on standard error, names the program's innermost frames. */
    static OneByOneWaits onStandardError() {
        OnStandardError to = new OnStandardError();
        return new OneByOneWaits(to, to);
    }

    /**
     * The production detector's warnings and call sites. A class rather than two method references (and the
     * counter's thread-local an anonymous class rather than a lambda): this is made in the runtime's start, while
     * the JVM interprets, where each lambda costs a class spun at run time.
     */
    private static final class OnStandardError implements Consumer<String>, Supplier<String> {
        @Override
        public void accept(String warning) {
            LOG.warn(warning);
        }

        @Override
        public String get() {
            return programFrames();
        }
    }

    /**
     * The calling thread blocked until a task ended.
     *
     * @param alone whether that task was the only one in flight when the thread began to wait
     * @param why why it waited
     */
    void blocked(boolean alone, Why why) {
        int[] count = inARow.get();
        if (!alone) {
            count[0] = 0;
            return;
        }
        if (++count[0] >= IN_A_ROW && !warned.get() && warned.compareAndSet(false, true)) {
            warnings.accept("weft: warning: the program waited for a task while no other task was running "
                    + count[0] + " times in a row, last at " + callSite.get()
                    + ", so its tasks ran one after another. " + advice(why));
        }
    }

    private static String advice(Why why) {
        if (why instanceof Why.Stored s) {
            return "It waited there to store a " + s.className() + " in a collection: a list or a map stores a"
                    + " result without waiting only if it is an object of your own classes or the result of a task"
                    + " declared to return an interface. Declare the task's return type as an interface"
                    + " (java.util.List, say) or as a class of your own.";
        }
        if (why instanceof Why.Synchronous s) {
            return "Task " + s.task() + " returns " + s.returnType() + ", so each call waits for its task to end."
                    + " Make it return an object of your own class (or an interface), which the call returns at"
                    + " once, or call all the tasks before using any of their results.";
        }
        return "It uses each result right after calling its task: call all the tasks first, then use their results"
                + " (storing a result in a list, a map or an array does not wait for it).";
    }

    /** The innermost frame of the program (not of Weft or the JDK), and the one that called it if it differs. */
    static String programFrames() {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(s -> s
                .filter(f -> RUNTIME_PACKAGES.stream().noneMatch(p -> f.getClassName().startsWith(p)))
                .limit(2)
                .toList());
        if (frames.isEmpty()) {
            return "thread '" + Thread.currentThread().getName() + "'";
        }
        String site = format(frames.get(0));
        return frames.size() > 1 ? site + " (called from " + format(frames.get(1)) + ")" : site;
    }

    private static String format(StackWalker.StackFrame f) {
        String className = f.getClassName();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return className + "." + f.getMethodName() + "(" + (f.getFileName() == null ? simple : f.getFileName())
                + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "") + ")";
    }
}
