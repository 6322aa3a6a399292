package io.weft.instrument;

import io.weft.api.spi.RuntimeThread;

/** A task-executor thread as the runtime would create it. */
final class TestRuntimeThread extends RuntimeThread {
    TestRuntimeThread(Runnable task) {
        super(task, "weft-test-executor");
    }
}
