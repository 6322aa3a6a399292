package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.spi.WeftRuntime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
        return startingUntil(release, real, false);
    }

    private static StartingRuntime startingUntil(CountDownLatch release, WeftRuntime real, boolean quietEnd) {
        return startingUntil(release, real, quietEnd, site -> { });
    }

    private static StartingRuntime startingUntil(CountDownLatch release, WeftRuntime real, boolean quietEnd,
            java.util.function.IntConsumer prepare) {
        return StartingRuntime.begin(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return real;
        }, prepare, quietEnd, e -> { });
    }

    /** Waits, at most 10 s, until {@code t} waits: for the start, having said what it needs. */
    private static void untilWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /** A runtime that notes, in order, the ends of {@code main} and the task calls it is told of. */
    private static WeftRuntime noting(List<String> told) {
        return (WeftRuntime) java.lang.reflect.Proxy.newProxyInstance(WeftRuntime.class.getClassLoader(),
                new Class<?>[] {WeftRuntime.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("endOfMain") || method.getName().equals("submit")) {
                        told.add(method.getName());
                    }
                    return method.getName().equals("submit") ? "submitted" : null;
                });
    }

    @Test
    void theEndOfMain_withNoCallThatNeededTheRuntime_andNothingToPrint_doesNotWaitForTheStart() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> told = new CopyOnWriteArrayList<>();
        StartingRuntime r = startingUntil(release, noting(told), true);

        CompletableFuture.runAsync(r::endOfMain).get(10, TimeUnit.SECONDS);
        assertThat(told).as("nothing reached a runtime still starting").isEmpty();

        // Another thread of the program calls a task after main returned; the start ends meanwhile.
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> r.submit(2, null, new Object[0]));
        release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("submitted");
        assertThat(told).as("the runtime hears of the end of main before any call, as had the end waited")
                .containsExactly("endOfMain", "submit");
    }

    @Test
    void theEndOfMainThrowing_withNoCallThatNeededTheRuntime_doesNotWaitForTheStartEither() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> told = new CopyOnWriteArrayList<>();
        StartingRuntime r = startingUntil(release, noting(told), true);

        CompletableFuture.runAsync(() -> r.endOfMainThrew(new IllegalStateException("main's"))).get(10,
                TimeUnit.SECONDS);
        release.countDown();
        r.submit(3, null, new Object[0]); // waits for the start
        assertThat(told).containsExactly("endOfMainThrew", "submit");
    }

    @Test
    void aRuntimeThatFailsToEndTheMainThatEndedFirst_stillReachesTheCallsWaitingForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WeftRuntime failing = (WeftRuntime) java.lang.reflect.Proxy.newProxyInstance(
                WeftRuntime.class.getClassLoader(), new Class<?>[] {WeftRuntime.class}, (proxy, method, args) -> {
                    if (method.getName().equals("endOfMain")) {
                        throw new IllegalStateException("the Weft runtime failed");
                    }
                    return method.getName().equals("submit") ? "submitted" : null;
                });
        StartingRuntime r = startingUntil(release, failing, true);
        r.endOfMain();

        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> r.submit(4, null, new Object[0]));
        release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).as("woken, not left waiting").isEqualTo("submitted");
    }

    @Test
    void theEndOfMain_waitsForTheStart_whenTheEndHasSomethingToSay() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> told = new CopyOnWriteArrayList<>();
        StartingRuntime r = startingUntil(release, noting(told), false);

        CompletableFuture<Void> end = CompletableFuture.runAsync(r::endOfMain);
        Thread.sleep(100);
        assertThat(end).as("a summary, a bar or a log is due: the end waits for the runtime").isNotDone();
        release.countDown();
        end.get(10, TimeUnit.SECONDS);
        assertThat(told).containsExactly("endOfMain");
    }

    @Test
    void theEndOfMain_waitsForTheStart_onceACallHasNeededIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> told = new CopyOnWriteArrayList<>();
        StartingRuntime r = startingUntil(release, noting(told), true);
        CompletableFuture<Object> call = new CompletableFuture<>();
        Thread caller = new Thread(() -> call.complete(r.submit(3, null, new Object[0])));
        caller.start();
        untilWaiting(caller);

        CompletableFuture<Void> end = CompletableFuture.runAsync(r::endOfMain);
        Thread.sleep(100);
        assertThat(end).as("a task call waits for the runtime: so does the end of main").isNotDone();
        release.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("submitted");
        end.get(10, TimeUnit.SECONDS);
        assertThat(told).as("the end of main came after a call that was already waiting")
                .containsExactlyInAnyOrder("submit", "endOfMain");
    }

    @Test
    void aTaskCallWaitingForTheStart_preparesItsTaskFirst_onItsOwnThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> prepared = new CopyOnWriteArrayList<>();
        StartingRuntime r = startingUntil(release, started(), false,
                site -> prepared.add(site + " on " + Thread.currentThread().getName()));

        Thread caller = new Thread(() -> r.submit(5, null, new Object[0]), "the-program");
        caller.start();
        untilWaiting(caller);
        assertThat(prepared).as("before it waits, on the calling thread").containsExactly("5 on the-program");
        release.countDown();
        caller.join(10_000);
        r.submit(6, null, new Object[0]);
        assertThat(prepared).as("once started, a call prepares nothing ahead").hasSize(1);
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
        }, site -> { }, false, e -> {
            told.set(e);
            said.countDown();
        });

        assertThat(said.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(told.get()).hasMessage("broken");
        org.assertj.core.api.Assertions.assertThatThrownBy(r::endOfMain)
                .isInstanceOf(IllegalStateException.class).hasRootCauseMessage("broken");
    }
}
