package io.weft.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The binary form of each {@link Message}: a frame type and a fixed, explicit layout. Decoding checks every
 * length against what the frame holds and rejects trailing bytes, so a malformed frame is an error, never a
 * partial message or an allocation the peer chose.
 */
final class MessageCodec {
    static final int PING = Frames.FIRST_MESSAGE;
    static final int PONG = Frames.FIRST_MESSAGE + 1;
    static final int SHUTDOWN = Frames.FIRST_MESSAGE + 2;
    static final int HELLO = Frames.FIRST_MESSAGE + 3;
    static final int RUN_TASK = Frames.FIRST_MESSAGE + 4;
    static final int TASK_DONE = Frames.FIRST_MESSAGE + 5;
    static final int FETCH = Frames.FIRST_MESSAGE + 6;
    static final int DATA = Frames.FIRST_MESSAGE + 7;
    static final int PUT = Frames.FIRST_MESSAGE + 8;
    static final int FORGET = Frames.FIRST_MESSAGE + 9;
    static final int FILE_DATA = Frames.FIRST_MESSAGE + 10;
    static final int WITHDRAW = Frames.FIRST_MESSAGE + 11;
    static final int WITHDRAWN = Frames.FIRST_MESSAGE + 12;
    static final int TASK_EXIT = Frames.FIRST_MESSAGE + 13;
    static final int CANCEL = Frames.FIRST_MESSAGE + 14;
    static final int AWAIT_KEPT = Frames.FIRST_MESSAGE + 15;
    /** At most this many bindings, cores or GPUs in one message. */
    static final int MAX_ITEMS = 1 << 16;
    static final int MAX_STRING_CHARS = 4096;

    private MessageCodec() {}

    static int type(Message m) {
        if (m instanceof Message.Ping) {
            return PING;
        } else if (m instanceof Message.Pong) {
            return PONG;
        } else if (m instanceof Message.Hello) {
            return HELLO;
        } else if (m instanceof Message.RunTask) {
            return RUN_TASK;
        } else if (m instanceof Message.TaskDone) {
            return TASK_DONE;
        } else if (m instanceof Message.Fetch) {
            return FETCH;
        } else if (m instanceof Message.AwaitKept) {
            return AWAIT_KEPT;
        } else if (m instanceof Message.Data) {
            return DATA;
        } else if (m instanceof Message.Put) {
            return PUT;
        } else if (m instanceof Message.Forget) {
            return FORGET;
        } else if (m instanceof Message.FileData) {
            return FILE_DATA;
        } else if (m instanceof Message.Withdraw) {
            return WITHDRAW;
        } else if (m instanceof Message.Withdrawn) {
            return WITHDRAWN;
        } else if (m instanceof Message.TaskExit) {
            return TASK_EXIT;
        } else if (m instanceof Message.Cancel) {
            return CANCEL;
        }
        return SHUTDOWN;
    }

    static void encodeBody(Message m, ByteBuf out) {
        if (m instanceof Message.Ping p) {
            out.writeLong(p.sequence()).writeLong(p.sentNanos());
        } else if (m instanceof Message.Pong p) {
            out.writeLong(p.sequence()).writeLong(p.sentNanos());
        } else if (m instanceof Message.Shutdown s) {
            writeString(out, s.reason());
        } else if (m instanceof Message.Hello h) {
            writeString(out, h.node());
            out.writeLong(h.pid()).writeInt(h.dataPort());
            writeString(out, h.dataHost());
        } else if (m instanceof Message.RunTask t) {
            out.writeLong(t.taskId()).writeInt(t.attempt());
            writeString(out, t.className());
            writeString(out, t.methodName());
            writeString(out, t.descriptor());
            out.writeInt(t.executorHint()).writeInt(t.cores()).writeInt(t.gpus()).writeLong(t.gpuMemoryBytes())
                    .writeLong(t.memoryBytes());
            writeNullable(out, t.gpuName());
            out.writeInt(t.receiverBinding());
            writeInts(out, t.argumentBinding());
            writeBytes(out, t.arguments());
            out.writeInt(t.bindings().length);
            for (Message.DataRef d : t.bindings()) {
                out.writeByte(d.kind()).writeBoolean(d.copy()).writeBoolean(d.written()).writeLong(d.key())
                        .writeLong(d.outputKey());
                writeNullable(out, d.host());
                out.writeInt(d.port());
                writeNullable(out, d.source());
                writeNullable(out, d.target());
                writeBytes(out, d.bytes());
            }
            out.writeLong(t.resultKey());
            out.writeBoolean(t.check());
            out.writeLong(t.timeoutNanos()).writeBoolean(t.restoreOnFailure());
            writeLongs(out, t.keep());
        } else if (m instanceof Message.TaskDone d) {
            out.writeLong(d.taskId()).writeInt(d.attempt()).writeInt(d.executor()).writeLong(d.runNanos())
                    .writeLong(d.startNanos());
            writeInts(out, d.cores());
            writeInts(out, d.gpus());
            writeProduced(out, d.result());
            out.writeInt(d.used().length);
            for (Message.Produced p : d.used()) {
                writeProduced(out, p);
            }
            writeBytes(out, d.error());
            writeString(out, d.errorText());
            out.writeInt(d.findings().length);
            for (String f : d.findings()) {
                writeString(out, f);
            }
        } else if (m instanceof Message.Fetch f) {
            out.writeLong(f.request()).writeLong(f.key()).writeBoolean(f.file());
        } else if (m instanceof Message.AwaitKept a) {
            out.writeLong(a.request()).writeLong(a.key());
        } else if (m instanceof Message.Data d) {
            out.writeLong(d.request()).writeBoolean(d.last());
            writeBytes(out, d.chunk());
            writeNullable(out, d.error());
        } else if (m instanceof Message.Put p) {
            out.writeLong(p.key()).writeBoolean(p.last());
            writeBytes(out, p.chunk());
        } else if (m instanceof Message.Forget f) {
            writeLongs(out, f.keys());
        } else if (m instanceof Message.Withdraw w) {
            out.writeLong(w.request());
            writeLongs(out, w.taskIds());
        } else if (m instanceof Message.Withdrawn w) {
            out.writeLong(w.request());
            writeLongs(out, w.taskIds());
        } else if (m instanceof Message.TaskExit x) {
            out.writeLong(x.taskId()).writeInt(x.status());
        } else if (m instanceof Message.Cancel c) {
            writeLongs(out, c.taskIds());
        } else if (m instanceof Message.FileData d) {
            writeFileDataHeader(out, d.request(), d.last(), d.error());
            if (d.bytes() != null) {
                out.writeBytes(d.bytes(), d.bytes().readerIndex(), d.bytes().readableBytes());
            }
        }
    }

    private static void writeLongs(ByteBuf out, long[] values) {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    /** What precedes a file chunk's bytes, which fill the rest of the frame. */
    static void writeFileDataHeader(ByteBuf out, long request, boolean last, String error) {
        out.writeLong(request).writeBoolean(last);
        writeNullable(out, error);
    }

    private static void writeProduced(ByteBuf out, Message.Produced p) {
        out.writeByte(p.kind());
        writeBytes(out, p.bytes());
        out.writeLong(p.key()).writeLong(p.size());
        writeNullable(out, p.className());
    }

    private static Message.Produced readProduced(ByteBuf in) {
        int kind = readByte(in);
        if (kind > Message.Produced.FILE) {
            throw new WireException("produced kind " + kind);
        }
        return new Message.Produced(kind, readBytes(in), readLong(in), readLong(in), readNullable(in));
    }

    private static Message.RunTask readRunTask(ByteBuf in) {
        long taskId = readLong(in);
        int attempt = readInt(in);
        String className = readString(in);
        String methodName = readString(in);
        String descriptor = readString(in);
        int hint = readInt(in);
        int cores = readInt(in);
        int gpus = readInt(in);
        long gpuMemory = readLong(in);
        long memory = readLong(in);
        String gpuName = readNullable(in);
        int receiver = readInt(in);
        int[] argumentBinding = readInts(in);
        byte[] arguments = readBytes(in);
        int count = readCount(in, 1 + 1 + 1 + 8 + 8 + 1 + 4 + 1 + 1 + 4);
        Message.DataRef[] bindings = new Message.DataRef[count];
        for (int i = 0; i < count; i++) {
            int kind = readByte(in);
            if (kind > Message.DataRef.AHEAD) {
                throw new WireException("data reference kind " + kind);
            }
            bindings[i] = new Message.DataRef(kind, readBoolean(in), readBoolean(in), readLong(in), readLong(in),
                    readNullable(in), readInt(in), readNullable(in), readNullable(in), readBytes(in));
        }
        return new Message.RunTask(taskId, attempt, className, methodName, descriptor, hint, cores, gpus, gpuMemory,
                memory, gpuName, receiver, argumentBinding, arguments, bindings, readLong(in), readBoolean(in), readLong(in),
                readBoolean(in), readLongs(in));
    }

    private static Message.TaskDone readTaskDone(ByteBuf in) {
        long taskId = readLong(in);
        int attempt = readInt(in);
        int executor = readInt(in);
        long runNanos = readLong(in);
        long startNanos = readLong(in);
        int[] cores = readInts(in);
        int[] gpus = readInts(in);
        Message.Produced result = readProduced(in);
        int count = readCount(in, 1 + 4 + 8 + 8 + 1);
        Message.Produced[] used = new Message.Produced[count];
        for (int i = 0; i < count; i++) {
            used[i] = readProduced(in);
        }
        byte[] error = readBytes(in);
        String errorText = readString(in);
        int findingCount = readCount(in, Short.BYTES);
        if (findingCount > Message.TaskDone.MAX_FINDINGS) {
            throw new WireException(findingCount + " findings");
        }
        String[] findings = new String[findingCount];
        for (int i = 0; i < findingCount; i++) {
            findings[i] = readString(in);
        }
        return new Message.TaskDone(taskId, attempt, executor, runNanos, startNanos, cores, gpus, result, used, error,
                errorText, findings);
    }

    private static long[] readLongs(ByteBuf in) {
        int count = readCount(in, Long.BYTES);
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static void writeInts(ByteBuf out, int[] values) {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(ByteBuf in) {
        int count = readCount(in, Integer.BYTES);
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    /** Reads an item count and checks that the frame can hold that many items of at least {@code minBytes}. */
    private static int readCount(ByteBuf in, int minBytes) {
        int count = readInt(in);
        if (count < 0 || count > MAX_ITEMS || (long) count * minBytes > in.readableBytes()) {
            throw new WireException("a count of " + count + " where " + in.readableBytes() + " bytes remain");
        }
        return count;
    }

    /** A byte array, {@code null} written as length -1. */
    private static void writeBytes(ByteBuf out, byte[] bytes) {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    private static byte[] readBytes(ByteBuf in) {
        int length = readInt(in);
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.readableBytes()) {
            throw new WireException("a byte array of " + length + " bytes where " + in.readableBytes() + " remain");
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    private static int readByte(ByteBuf in) {
        if (!in.isReadable()) {
            throw new WireException("a message cut short");
        }
        return in.readUnsignedByte();
    }

    private static boolean readBoolean(ByteBuf in) {
        int b = readByte(in);
        if (b > 1) {
            throw new WireException("a boolean of " + b);
        }
        return b == 1;
    }

    private static void writeNullable(ByteBuf out, String s) {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullable(ByteBuf in) {
        return readBoolean(in) ? readString(in) : null;
    }

    /** Checks a string a record is built with against what the codec can carry. */
    static void checkLength(String what, String s) {
        if (s != null && s.length() > MAX_STRING_CHARS) {
            throw new IllegalArgumentException(what + " of " + s.length() + " characters");
        }
    }

    /** Decodes the body of a frame of {@code type}; the buffer must hold exactly the body. */
    static Message decodeBody(int type, ByteBuf in) {
        Message m = switch (type) {
            case PING -> new Message.Ping(readLong(in), readLong(in));
            case PONG -> new Message.Pong(readLong(in), readLong(in));
            case SHUTDOWN -> new Message.Shutdown(readString(in));
            case HELLO -> new Message.Hello(readString(in), readLong(in), readInt(in), readString(in));
            case RUN_TASK -> readRunTask(in);
            case TASK_DONE -> readTaskDone(in);
            case FETCH -> new Message.Fetch(readLong(in), readLong(in), readBoolean(in));
            case AWAIT_KEPT -> new Message.AwaitKept(readLong(in), readLong(in));
            case DATA -> new Message.Data(readLong(in), readBoolean(in), readBytes(in), readNullable(in));
            case PUT -> new Message.Put(readLong(in), readBoolean(in), readBytes(in));
            case FORGET -> new Message.Forget(readLongs(in));
            case WITHDRAW -> new Message.Withdraw(readLong(in), readLongs(in));
            case WITHDRAWN -> new Message.Withdrawn(readLong(in), readLongs(in));
            case TASK_EXIT -> new Message.TaskExit(readLong(in), readInt(in));
            case CANCEL -> new Message.Cancel(readLongs(in));
            // The chunk is the rest of the frame: a view, not a copy (the dispatcher releases it).
            case FILE_DATA -> new Message.FileData(readLong(in), readBoolean(in), null, readNullable(in));
            default -> throw new WireException("unknown message type " + type);
        };
        if (m instanceof Message.FileData d) {
            if (d.error() != null && in.isReadable()) {
                throw new WireException(in.readableBytes() + " bytes of file data with an error");
            }
            return new Message.FileData(d.request(), d.last(), in.readRetainedSlice(in.readableBytes()), d.error());
        }
        if (in.isReadable()) {
            throw new WireException(in.readableBytes() + " unexpected bytes after a message of type " + type);
        }
        return m;
    }

    private static long readLong(ByteBuf in) {
        if (in.readableBytes() < Long.BYTES) {
            throw new WireException("a message cut short");
        }
        return in.readLong();
    }

    private static int readInt(ByteBuf in) {
        if (in.readableBytes() < Integer.BYTES) {
            throw new WireException("a message cut short");
        }
        return in.readInt();
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuf in) {
        if (in.readableBytes() < 2) {
            throw new WireException("a message cut short");
        }
        int length = in.readUnsignedShort();
        if (length > in.readableBytes() || length > 4 * MAX_STRING_CHARS) {
            throw new WireException("a string of " + length + " bytes where " + in.readableBytes() + " remain");
        }
        String s = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
        if (s.length() > MAX_STRING_CHARS) {
            throw new WireException("a string of " + s.length() + " characters");
        }
        return s;
    }
}
