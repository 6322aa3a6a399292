package io.weft.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import org.junit.jupiter.api.Test;

/** Each task and data message survives its binary form field by field, and a cut body is an error. */
class MessageCodecTest {
    private static Message roundTrip(Message m) {
        ByteBuf buf = Unpooled.buffer();
        try {
            MessageCodec.encodeBody(m, buf);
            return MessageCodec.decodeBody(MessageCodec.type(m), buf);
        } finally {
            buf.release();
        }
    }

    private static byte[] body(Message m) {
        ByteBuf buf = Unpooled.buffer();
        MessageCodec.encodeBody(m, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    private static Message.RunTask runTask() {
        DataRef[] refs = {
            DataRef.none(),
            DataRef.inline(new byte[] {1, 2, 3}, true, false, 0),
            DataRef.stored(DataRef.STORED, 41, false, true, 42),
            DataRef.stored(DataRef.TAKEN, 43, false, false, 0),
            DataRef.remote(44, "10.0.0.7", 7077, true, true, 45),
            DataRef.file(null, "/tmp/out.txt", false, true),
            DataRef.file("/tmp/in.txt", "/tmp/.weft-in.txt-1v2", true, true),
            DataRef.file("/tmp/read.txt", "/tmp/read.txt", false, false),
            DataRef.staged(DataRef.FILE_NEW, 0, null, 0, "out.txt", false, true, 46),
            DataRef.staged(DataRef.FILE_KEPT, 47, null, 0, "in.txt", true, true, 48),
            DataRef.staged(DataRef.FILE_REMOTE, 49, "10.0.0.8", 7078, "in.txt", false, false, 50),
            DataRef.staged(DataRef.FILE_MASTER, 51, null, 0, "in.txt", false, true, 52),
            DataRef.ahead(53, true, true, 54),
            DataRef.aheadOn(55, "10.0.0.3", 7001, true, 56),
        };
        return new Message.RunTask(9, 2, "app.Kernels", "multiply", "([D[D)[D", 3, 4, 2, 16L << 30, 1L << 30,
                "A100", -1, new int[] {1, -1, 2}, new byte[] {9, 9}, refs, 77, true, 5_000_000_000L, true,
                new long[] {50, 54});
    }

    @Test
    void aRunTask_keepsEveryFieldOfEveryKindOfReference() {
        Message.RunTask t = runTask();
        Message.RunTask back = (Message.RunTask) roundTrip(t);

        assertThat(back).usingRecursiveComparison().isEqualTo(t);
        assertThat(back.bindings()[4].host()).isEqualTo("10.0.0.7");
        assertThat(back.bindings()[5].source()).isNull();
        assertThat(back.gpuName()).isEqualTo("A100");
        assertThat(back.keep()).containsExactly(50, 54);
    }

    @Test
    void aTaskDone_keepsWhatWasProducedAndTheError() {
        Message.TaskDone d = new Message.TaskDone(9, 2, 1, 12345, 987654321L, new int[] {0, 1}, new int[] {3},
                new Produced(Produced.STORED, null, 77, 100_000_000, "app.Matrix"),
                new Produced[] {Produced.none(), new Produced(Produced.INLINE, new byte[] {5}, 0, 1, null)},
                new byte[] {7, 7, 7}, "java.lang.IllegalStateException: boom",
                new String[] {"changed its parameter 1 (Sum acc), …", "created file out.txt, …"});

        assertThat(roundTrip(d)).usingRecursiveComparison().isEqualTo(d);
    }

    @Test
    void dataMessages_roundTrip() {
        assertThat(roundTrip(new Message.Fetch(5, 6, false))).isEqualTo(new Message.Fetch(5, 6, false));
        assertThat(roundTrip(new Message.Fetch(5, 6, true))).isEqualTo(new Message.Fetch(5, 6, true));
        assertThat(roundTrip(new Message.AwaitKept(7, 8))).isEqualTo(new Message.AwaitKept(7, 8));
        Message.Data chunk = new Message.Data(5, false, new byte[] {1, 2}, null);
        assertThat(roundTrip(chunk)).usingRecursiveComparison().isEqualTo(chunk);
        Message.Data refusal = new Message.Data(5, true, null, "no object under key 6");
        assertThat(roundTrip(refusal)).usingRecursiveComparison().isEqualTo(refusal);
        Message.Put put = new Message.Put(8, true, new byte[0]);
        assertThat(roundTrip(put)).usingRecursiveComparison().isEqualTo(put);
        Message.Forget forget = new Message.Forget(new long[] {1, 2, 3});
        assertThat(roundTrip(forget)).usingRecursiveComparison().isEqualTo(forget);
    }

    @Test
    void withdrawMessages_roundTrip() {
        Message.Withdraw ask = new Message.Withdraw(3, new long[] {10, 11});
        assertThat(roundTrip(ask)).usingRecursiveComparison().isEqualTo(ask);
        Message.Withdrawn answer = new Message.Withdrawn(3, new long[] {11});
        assertThat(roundTrip(answer)).usingRecursiveComparison().isEqualTo(answer);
        Message.Withdrawn none = new Message.Withdrawn(4, new long[0]);
        assertThat(roundTrip(none)).usingRecursiveComparison().isEqualTo(none);
    }

    @Test
    void cancel_roundTrips() {
        Message.Cancel cancel = new Message.Cancel(new long[] {4, 9});
        assertThat(roundTrip(cancel)).usingRecursiveComparison().isEqualTo(cancel);
        Message.Cancel none = new Message.Cancel(new long[0]);
        assertThat(roundTrip(none)).usingRecursiveComparison().isEqualTo(none);
    }

    @Test
    void taskExit_roundTrips() {
        Message.TaskExit exit = new Message.TaskExit(12, -3);
        assertThat(roundTrip(exit)).isEqualTo(exit);
    }

    @Test
    void fileData_carriesItsBytesAsTheRestOfTheFrame_orAnErrorAndNoBytes() {
        Message.FileData chunk = new Message.FileData(5, true, Unpooled.wrappedBuffer(new byte[] {4, 5, 6}), null);
        Message.FileData back = (Message.FileData) roundTrip(chunk);
        assertThat(back.request()).isEqualTo(5);
        assertThat(back.last()).isTrue();
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(back.bytes())).containsExactly(4, 5, 6);
        back.bytes().release();

        Message.FileData refusal = (Message.FileData) roundTrip(new Message.FileData(6, true, null, "no file"));
        assertThat(refusal.error()).isEqualTo("no file");
        assertThat(refusal.bytes().readableBytes()).isZero();
        refusal.bytes().release();

        ByteBuf both = Unpooled.buffer();
        MessageCodec.writeFileDataHeader(both, 7, true, "no file");
        both.writeByte(1);
        assertThatThrownBy(() -> MessageCodec.decodeBody(MessageCodec.FILE_DATA, both))
                .isInstanceOf(WireException.class).hasMessageContaining("with an error");
        both.release();
    }

    @Test
    void aTaskDone_keepsAKeptFile() {
        Produced file = new Produced(Produced.FILE, null, 78, -1, null);
        Message.TaskDone d = new Message.TaskDone(9, 1, 0, 1, 2, new int[0], new int[0], Produced.none(),
                new Produced[] {file}, new byte[0], "", new String[0]);
        assertThat(roundTrip(d)).usingRecursiveComparison().isEqualTo(d);
    }

    @Test
    void findings_areCutToWhatAReportCarries() {
        String[] cut = Message.TaskDone.findings(java.util.Collections.nCopies(100, "x".repeat(5000)));

        assertThat(cut).hasSize(Message.TaskDone.MAX_FINDINGS);
        assertThat(cut[0]).hasSize(MessageCodec.MAX_STRING_CHARS);
    }

    @Test
    void aRunTaskCutAnywhere_isAnErrorNotAPartialMessage() {
        byte[] whole = body(runTask());
        for (int cut = 0; cut < whole.length; cut++) {
            ByteBuf buf = Unpooled.wrappedBuffer(whole, 0, cut);
            assertThatThrownBy(() -> MessageCodec.decodeBody(MessageCodec.RUN_TASK, buf))
                    .as("cut at %d of %d", cut, whole.length)
                    .isInstanceOf(WireException.class);
        }
    }

    @Test
    void aRecordWithAnOverlongString_isRefusedWhenBuilt() {
        assertThatThrownBy(() -> DataRef.file("x".repeat(5000), "y", false, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000");
    }
}
