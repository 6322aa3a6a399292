package io.weft.wire.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.wire.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ChunksTest {
    @Test
    void anObjectLargerThanAFrame_isSplitAndPutBackTogether() throws Exception {
        byte[] bytes = new byte[2 * Chunks.CHUNK_BYTES + 5];
        new Random(1).nextBytes(bytes);
        List<Message.Data> sent = new ArrayList<>();
        Chunks.split(bytes, (chunk, last) -> sent.add(new Message.Data(9, last, chunk, null)));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).chunk()).hasSize(Chunks.CHUNK_BYTES);

        Map<Long, Chunks.Assembly> waiting = new ConcurrentHashMap<>();
        Chunks.Assembly a = new Chunks.Assembly();
        waiting.put(9L, a);
        sent.forEach(d -> Chunks.deliver(waiting, d));

        assertThat(a.done.get()).isEqualTo(bytes);
        assertThat(waiting).as("a finished fetch is no longer waited for").isEmpty();
    }

    @Test
    void anEmptyObject_isOneEmptyLastChunk() throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        Chunks.split(new byte[0], (chunk, last) -> {
            assertThat(last).isTrue();
            chunks.add(chunk);
        });
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0)).isEmpty();
    }

    @Test
    void anErrorFromTheHolder_failsTheFetchWithItsText() {
        Map<Long, Chunks.Assembly> waiting = new ConcurrentHashMap<>();
        Chunks.Assembly a = new Chunks.Assembly();
        waiting.put(4L, a);
        Chunks.deliver(waiting, new Message.Data(5, true, new byte[1], null)); // no one waits for 5: dropped
        Chunks.deliver(waiting, new Message.Data(4, true, null, "holds no object under key 3"));

        assertThat(waiting).isEmpty();
        assertThatThrownBy(() -> a.done.get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("holds no object under key 3");
    }

    @Test
    void aFetchTiedToNoConnection_isLeftToItsWaitersTimeout() {
        Map<Long, Chunks.Assembly> waiting = new ConcurrentHashMap<>();
        Chunks.Assembly a = new Chunks.Assembly();
        waiting.put(1L, a);
        FileTransfers.expire(waiting, null, -1);

        assertThat(waiting).containsKey(1L);
        assertThat(a.done).isNotDone();
    }
}
