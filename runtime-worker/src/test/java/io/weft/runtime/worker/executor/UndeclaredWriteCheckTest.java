package io.weft.runtime.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.Out;
import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.TaskExecution;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UndeclaredWriteCheckTest {
    /** Stand-ins for task methods: the check reads their parameters, never runs them. */
    static final class Tasks {
        static final class Sum {
            long total;
        }

        long count;

        static void add(Sum acc, int v) {}

        static void writeNamed(String name) {}

        static void readFile(Path in) {}

        static void writeFile(@Out Path out) {}

        void bump() {}
    }

    @TempDir
    Path folder;

    private final List<String> notes = new ArrayList<>();

    private UndeclaredWriteCheck check() {
        return new UndeclaredWriteCheck(folder, List.of(folder.resolve("own")), notes::add);
    }

    private static TaskExecution execution(String method, int[] argumentBinding, int receiverBinding,
            Binding... bindings) {
        Method m = Arrays.stream(Tasks.class.getDeclaredMethods()).filter(x -> x.getName().equals(method))
                .findFirst().orElseThrow();
        return new TaskExecution(1, "Tasks." + method, m, new Object[argumentBinding.length], argumentBinding,
                receiverBinding, bindings, 1, -1, null, null, true, 0, false);
    }

    private static Object[] handed(TaskExecution e) {
        return Arrays.stream(e.bindings()).map(b -> b == null ? null : b.source()).toArray();
    }

    @Test
    void aTaskThatChangesAnObjectItOnlyReads_isReportedWithTheParameterAndTheFix() {
        Tasks.Sum acc = new Tasks.Sum();
        TaskExecution e = execution("add", new int[] {0, -1}, -1, Binding.object(acc, false, false));
        UndeclaredWriteCheck check = check();

        UndeclaredWriteCheck.Before before = check.before(e, handed(e));
        acc.total += 5;
        List<String> findings = check.after(before, e, handed(e));

        assertThat(findings).singleElement().asString()
                .startsWith("changed its @In parameter 1 (Sum acc), or an object reachable from it: mark the"
                        + " parameter @InOut.");
    }

    @Test
    void anObjectItOnlyReadsAndLeavesAlone_orOneItDeclaresWritten_isNotReported() {
        Tasks.Sum read = new Tasks.Sum();
        Tasks.Sum written = new Tasks.Sum();
        UndeclaredWriteCheck check = check();
        TaskExecution reads = execution("add", new int[] {0, -1}, -1, Binding.object(read, false, false));
        TaskExecution writes = execution("add", new int[] {0, -1}, -1, Binding.object(written, false, true));

        UndeclaredWriteCheck.Before beforeRead = check.before(reads, handed(reads));
        UndeclaredWriteCheck.Before beforeWrite = check.before(writes, handed(writes));
        written.total = 9;

        assertThat(check.after(beforeRead, reads, handed(reads))).isEmpty();
        assertThat(check.after(beforeWrite, writes, handed(writes))).isEmpty();
    }

    @Test
    void aReadOnlyReceiverThatChanges_isReported() {
        Tasks receiver = new Tasks();
        TaskExecution e = execution("bump", new int[0], 0, Binding.object(receiver, false, false));
        UndeclaredWriteCheck check = check();

        UndeclaredWriteCheck.Before before = check.before(e, handed(e));
        receiver.count++;

        assertThat(check.after(before, e, handed(e))).singleElement().asString()
                .startsWith("changed its receiver (this, a Tasks)");
    }

    @Test
    void aFileTheTaskWasNotGiven_isReportedAsCreatedChangedOrDeleted() throws Exception {
        Files.writeString(folder.resolve("old.txt"), "1");
        Files.writeString(folder.resolve("gone.txt"), "1");
        TaskExecution e = execution("writeNamed", new int[] {-1}, -1);
        UndeclaredWriteCheck check = check();

        UndeclaredWriteCheck.Before before = check.before(e, handed(e));
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("sub/sf.txt"), "v=42");
        Files.writeString(folder.resolve("old.txt"), "12");
        Files.delete(folder.resolve("gone.txt"));
        List<String> findings = check.after(before, e, handed(e));

        assertThat(findings).hasSize(3);
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("created file " + Path.of("sub", "sf.txt")
                + " (in " + folder.toAbsolutePath() + "), which it was not given as a file parameter: pass the file"
                + " as a java.nio.file.Path or java.io.File parameter marked @Out"));
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("changed file old.txt"));
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("deleted file gone.txt"));
    }

    @Test
    void aFileItDeclaresWritten_theRuntimesTemporariesAndTheWorkersOwnFolder_areNotReported() throws Exception {
        Path out = folder.resolve("out.txt");
        TaskExecution e = execution("writeFile", new int[] {0}, -1,
                Binding.file(null, out.toString(), false, true));
        UndeclaredWriteCheck check = check();

        UndeclaredWriteCheck.Before before = check.before(e, handed(e));
        Files.writeString(out, "x");
        Files.writeString(folder.resolve(".weft-in.txt-1v2"), "x");
        Files.createDirectories(folder.resolve("own"));
        Files.writeString(folder.resolve("own/kept"), "x");

        assertThat(check.after(before, e, handed(e))).isEmpty();
    }

    @Test
    void aFileItGetsAsInButChanges_isReportedWithItsParameter() throws Exception {
        Path in = folder.resolve("in.txt");
        Files.writeString(in, "1");
        TaskExecution e = execution("readFile", new int[] {0}, -1,
                Binding.file(in.toString(), in.toString(), false, false));
        UndeclaredWriteCheck check = check();

        UndeclaredWriteCheck.Before before = check.before(e, handed(e));
        Files.writeString(in, "22");

        assertThat(check.after(before, e, handed(e))).singleElement().asString()
                .startsWith("changed file in.txt, which it gets as parameter 1 declared @In (no annotation): mark the"
                        + " parameter @InOut");
    }

    @Test
    void anObjectThatCannotBeSerialised_isNotedOnceAndNotReported() {
        TaskExecution e = execution("add", new int[] {0, -1}, -1, Binding.object(new Thread(), false, false));
        UndeclaredWriteCheck check = check();

        UndeclaredWriteCheck.Before first = check.before(e, handed(e));
        check.before(e, handed(e));

        assertThat(check.after(first, e, handed(e))).isEmpty();
        assertThat(notes).singleElement().asString().startsWith("weft: check: cannot check whether task Tasks.add"
                + " changes a java.lang.Thread");
    }
}
