package io.weft.runtime.worker.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports built from outcomes, sent to a list instead of a master. */
class TaskReportsTest {
    @TempDir
    Path dir;

    private final List<Message> sent = new ArrayList<>();

    private static Message.RunTask task(long id, DataRef... refs) {
        return new Message.RunTask(id, 2, "C", "m", "()V", -1, 1, 0, 0, 0, null, -1, new int[0], null, refs, 100, false, 0, false, new long[0]);
    }

    private static TaskOutcome outcome(long id, Object result, Object[] used, Throwable error) {
        return new TaskOutcome(id, result, used, error, "w1", 0, 10, 25, new int[] {0}, new int[0]);
    }

    private Message.TaskDone only() {
        assertThat(sent).hasSize(1);
        return (Message.TaskDone) sent.get(0);
    }

    @Test
    void aSmallResultGoesBackInline_aLargeOneIsKeptHere() {
        ObjectStore objects = new ObjectStore("w1", null, Long.MAX_VALUE);
        TaskReports reports = new TaskReports(objects, new FileStore("w1", dir), sent::add);
        double[] large = new double[20_000];
        reports.accepted(task(1));
        reports.accepted(task(2));

        reports.completed(outcome(1, 42, new Object[0], null));
        reports.completed(outcome(2, large, new Object[0], null));

        Message.TaskDone small = (Message.TaskDone) sent.get(0);
        assertThat(small.result().kind()).isEqualTo(Produced.INLINE);
        assertThat(PayloadCodec.deserialize(small.result().bytes())).isEqualTo(42);
        assertThat(small.attempt()).isEqualTo(2);
        assertThat(small.runNanos()).isEqualTo(15);
        assertThat(small.startNanos()).as("on the worker's clock").isEqualTo(10);
        Message.TaskDone kept = (Message.TaskDone) sent.get(1);
        assertThat(kept.result().kind()).isEqualTo(Produced.STORED);
        assertThat(kept.result().key()).isEqualTo(100);
        assertThat(kept.result().size()).isGreaterThan(TaskReports.INLINE_BYTES);
        assertThat(objects.stored(100, false, false).source()).isSameAs(large);
    }

    @Test
    void aFileATaskWrote_isKeptUnderItsOutputKey_andReportedWithItsSize() throws Exception {
        FileStore files = new FileStore("w1", dir);
        TaskReports reports = new TaskReports(new ObjectStore("w1", null, Long.MAX_VALUE), files, sent::add);
        Path written = Files.writeString(dir.resolve("out.txt"), "abc");
        reports.accepted(task(1, DataRef.staged(DataRef.FILE_NEW, 0, null, 0, "out.txt", false, true, 7)));

        reports.completed(outcome(1, null, new Object[] {written.toString()}, null));

        Produced file = only().used()[0];
        assertThat(file.kind()).isEqualTo(Produced.FILE);
        assertThat(file.key()).isEqualTo(7);
        assertThat(file.size()).isEqualTo(3);
        assertThat(files.get(7)).isCompletedWithValue(written);
    }

    @Test
    void anAttemptThatCouldNotStart_isReportedWithItsError_andAnEndNotAsked_isNotReported() {
        TaskReports reports = new TaskReports(new ObjectStore("w1", null, Long.MAX_VALUE),
                new FileStore("w1", dir), sent::add);
        Message.RunTask t = task(1, DataRef.none());
        reports.accepted(t);

        reports.failed(t, new IllegalStateException("no input"));
        reports.completed(outcome(1, 42, new Object[1], null));

        Message.TaskDone d = only();
        assertThat(d.executor()).isEqualTo(-1);
        assertThat(d.used()).hasSize(1);
        assertThat(d.errorText()).contains("IllegalStateException: no input");
        assertThat(PayloadCodec.deserialize(d.error())).isInstanceOf(IllegalStateException.class);
    }
}
