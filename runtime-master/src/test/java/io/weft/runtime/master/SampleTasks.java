package io.weft.runtime.master;

import io.weft.api.InOut;
import io.weft.api.Out;
import io.weft.api.spi.TaskSites;
import io.weft.runtime.master.TestTasks.Box;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tiny task methods for tests that submit calls as an instrumented program does: by call-site id, registered in
 * {@link TaskSites} as the agent registers them, and resolved by the runtime on the first call. The bodies never
 * run: the tests' gateways run nothing.
 */
final class SampleTasks {
    private SampleTasks() {}

    static void increment(@InOut Box box) {
        box.value++;
    }

    static void addInto(Box from, @InOut Box into) {
        into.value += from.value;
    }

    static void read(Box box) {}

    /** Returns an object: the call returns a placeholder at once. */
    static Box make(long value) {
        return new Box(value);
    }

    /** Returns an interface: the call returns a proxy at once. */
    static java.util.List<Long> listOf(long value) {
        return java.util.List.of(value);
    }

    /** Returns a primitive: the call waits for the task. */
    static long valueOf(Box box) {
        return box.value;
    }

    static void write(@Out Path file) {}

    /** The method of that name. */
    static Method method(String name) {
        return Arrays.stream(SampleTasks.class.getDeclaredMethods()).filter(m -> m.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no sample task " + name));
    }

    /** The call-site id of the task method of that name, registered as the agent registers it. */
    static int site(String name) {
        Method m = method(name);
        return TaskSites.register(SampleTasks.class.getClassLoader(), SampleTasks.class.getName(), name,
                TaskDefinition.descriptor(m), true);
    }
}
