package io.weft.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weft.api.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterceptTest {
    static final class Plain {}

    static final class Data {}

    /** A runtime with tasks in flight that finds objects of {@link Plain} plain and records what it is asked. */
    static final class Recording implements WeftRuntime {
        final List<Object> used = new ArrayList<>();

        @Override
        public Object submit(int site, Object receiver, Object[] args) {
            Intercept.countTaskCall(); // as the runtime does once it has registered the task's data
            return null;
        }

        @Override
        public boolean hasPendingTasks() {
            return true;
        }

        @Override
        public void use(Object object) {
            used.add(object);
        }

        @Override
        public boolean plain(Class<?> type) {
            return type == Plain.class;
        }

        @Override
        public void store(Object object) {}

        @Override
        public void usePath(String path) {}

        @Override
        public void barrier() {}

        @Override
        public TaskGroup openGroup(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Integer> assignedGpus() {
            return List.of();
        }

        @Override
        public List<Integer> assignedCores() {
            return List.of();
        }

        @Override
        public Map<String, String> taskEnvironment() {
            return Map.of();
        }

        @Override
        public void endOfMain() {}

        @Override
        public void endOfMainThrew(Throwable thrown) {}
    }

    private final Recording runtime = new Recording();

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
        assertEquals(List.of(a), runtime.used, "asked once: the class is plain");

        long before = Intercept.taskCalls;
        Intercept.task(0, null, new Object[0]);
        assertEquals(before + 1, Intercept.taskCalls);
        assertEquals(before + 1, Intercept.taskCallsNow());
        Intercept.use(b);
        Intercept.use(a);
        assertEquals(List.of(a, b), runtime.used, "asked again after a task call");
    }

    @Test
    void objectsOfAClassThatHadTaskData_areAskedForEachTime() {
        Data d = new Data();

        Intercept.use(d);
        Intercept.use(d);

        assertEquals(List.of(d, d), runtime.used);
    }
}
