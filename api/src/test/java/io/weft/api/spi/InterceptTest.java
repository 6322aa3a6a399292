package io.weft.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterceptTest {
    static final class Plain {}

    static final class Data {}

    /** What the runtime below was asked to use. */
    private final List<Object> used = new ArrayList<>();

    /**
     * A runtime with tasks in flight that finds objects of {@link Plain} plain, counts each task call as the real
     * one does once it has registered its data, and records the objects it is asked to use.
     */
    private final WeftRuntime runtime = (WeftRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {WeftRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                case "submit" -> {
                    Intercept.countTaskCall();
                    yield null;
                }
                case "hasPendingTasks" -> true;
                case "use" -> {
                    used.add(args[0]);
                    yield null;
                }
                case "plain" -> args[0] == Plain.class;
                case "toString" -> "a recording runtime";
                default -> throw new UnsupportedOperationException(method.getName());
            });

    @BeforeEach
    void install() {
        Intercept.uninstall();
        Intercept.install(runtime);
    }

    @AfterEach
    void uninstall() {
        Intercept.uninstall();
    }

    @Test
    void objectsOfAPlainClass_areAskedForOnce_untilATaskIsCalled() {
        Plain a = new Plain();
        Plain b = new Plain();

        Intercept.use(a);
        Intercept.use(b);
        Intercept.use(a);
        assertEquals(List.of(a), used, "asked once: the class is plain");

        long before = Intercept.taskCalls;
        Intercept.task(0, null, new Object[0]);
        assertEquals(before + 1, Intercept.taskCalls);
        assertEquals(before + 1, Intercept.taskCallsNow());
        Intercept.use(b);
        Intercept.use(a);
        assertEquals(List.of(a, b), used, "asked again after a task call");
    }

    @Test
    void objectsOfAClassThatHadTaskData_areAskedForEachTime() {
        Data d = new Data();

        Intercept.use(d);
        Intercept.use(d);

        assertEquals(List.of(d, d), used);
    }
}
