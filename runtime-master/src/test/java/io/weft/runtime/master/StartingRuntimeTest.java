package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.spi.WeftRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A runtime starting beside {@code main}: the program's calls that need it wait for its start, and only those. */
class StartingRuntimeTest {
    /** A runtime that answers a submit with its site, has pending tasks, and does nothing else. */
    private static WeftRuntime started() {
        return (WeftRuntime) java.lang.reflect.Proxy.newProxyInstance(WeftRuntime.class.getClassLoader(),
                new Class<?>[] {WeftRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "submit" -> "submitted " + args[0];
                    case "hasPendingTasks" -> true;
                    default -> null;
                });
    }

    /** A runtime whose start ends, with {@code real}, once {@code release} is counted down. */
    private static StartingRuntime startingUntil(CountDownLatch release, WeftRuntime real) {
        return StartingRuntime.begin(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return real;
        }, e -> { });
    }

    @Test
    void whileItStarts_aSynchronisationDoesNotWait_andATaskCallWaitsForTheStart() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WeftRuntime real = started();
        StartingRuntime r = startingUntil(release, real);

        assertThat(r.hasPendingTasks()).as("no task can have been called yet").isFalse();
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> r.submit(7, null, new Object[0]));
        Thread.sleep(100);
        assertThat(call).as("the task call waits for the runtime").isNotDone();

        release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("submitted 7");
        assertThat(r.hasPendingTasks()).as("the started runtime answers from now on").isTrue();
    }

    @Test
    void onceStarted_theProgramsCallsGoToTheRuntimeItself() throws Exception {
        WeftRuntime real = started();
        CountDownLatch release = new CountDownLatch(1);
        StartingRuntime r = startingUntil(release, real);
        io.weft.api.spi.Intercept.install(r);
        try {
            release.countDown();
            assertThat(r.submit(1, null, new Object[0])).isEqualTo("submitted 1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (io.weft.api.spi.Intercept.runtime() == r && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(io.weft.api.spi.Intercept.runtime()).isSameAs(real);
        } finally {
            io.weft.api.spi.Intercept.uninstall();
        }
    }

    @Test
    void aStartThatFails_isToldOnItsThread_andACallerWaitingForItDoesNotGoOnWithoutARuntime() throws Exception {
        AtomicReference<Throwable> told = new AtomicReference<>();
        CountDownLatch said = new CountDownLatch(1);
        StartingRuntime r = StartingRuntime.begin(() -> {
            throw new IllegalStateException("broken");
        }, e -> {
            told.set(e);
            said.countDown();
        });

        assertThat(said.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(told.get()).hasMessage("broken");
        org.assertj.core.api.Assertions.assertThatThrownBy(r::endOfMain)
                .isInstanceOf(IllegalStateException.class).hasRootCauseMessage("broken");
    }
}
