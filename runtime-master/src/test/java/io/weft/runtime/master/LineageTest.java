package io.weft.runtime.master;

import static io.weft.runtime.master.TestingMaster.keptBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.TaskFailedException;
import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.SentCopy;
import io.weft.runtime.master.gateway.WorkerLostException;
import io.weft.runtime.worker.TaskExecution;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lost workers, stepped by hand over testing gateways: data only a lost worker kept is made again from its lineage,
 * losses count as attempts only for the tasks the worker ran, and losing every worker ends the run once.
 */
class LineageTest {
    /** The attempts sent since {@code before} (a count of {@link TestingMaster#sent()}). */
    private static List<TaskExecution> since(TestingMaster master, int before) {
        List<TaskExecution> all = master.sent();
        return all.subList(before, all.size());
    }

    @Test
    void chainUpdatedInPlaceOnALostWorker_isMadeAgainFromTheProgramsObject_inProgramOrder() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box box = new Box(0);
        master.call("increment", box);
        master.call("increment", box);
        master.call("read", box);
        master.drain();
        TaskExecution first = master.sent("increment");
        int a = master.nodeOf(first);
        master.succeed(first, null, keptBox(a, 11));
        master.drain();
        TaskExecution second = master.sent().get(master.sent().size() - 1);
        assertThat(second.taskId()).isNotEqualTo(first.taskId());
        assertThat(master.nodeOf(second)).as("where the version is").isEqualTo(a);
        assertThat(second.bindings()[0].copy()).as("updated in place").isFalse();
        master.succeed(second, null, keptBox(a, 12));
        master.drain();
        TaskExecution read = master.sent("read");
        int before = master.sent().size();

        master.lose(a, "killed");
        master.drain();

        // The version the reader needs was made in place from the one before, which is gone with it: both again.
        List<TaskExecution> again = since(master, before);
        assertThat(again).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(SampleTasks.method("increment"));
            assertThat(e.taskId()).as("a re-run has an id of its own").isNegative();
            assertThat(e.bindings()[0].source()).as("the program's own object, sent again").isSameAs(box);
        });
        assertThat(again.get(0).bindings()[0].copy()).as("a re-run updates a private copy").isTrue();
        master.succeed(again.get(0), null, keptBox(1 - a, 21));
        master.drain();
        TaskExecution secondAgain = master.sent().get(master.sent().size() - 1);
        assertThat(secondAgain.taskId()).isNegative().isNotEqualTo(again.get(0).taskId());
        assertThat(secondAgain.bindings()[0].source()).isEqualTo(keptBox(1 - a, 21));
        master.succeed(secondAgain, null, keptBox(1 - a, 22));
        readsTheVersionMadeAgain_andTheRunEndsClean(master, read, keptBox(1 - a, 22));
    }

    /**
     * A long chain of updates in place on one lost worker is made again from its start without recursing down the
     * chain: 900 versions on a 64 KB stack (a recursion overflowed it), as a chain of many thousands would on the
     * analyser thread's.
     */
    @Test
    void longChainUpdatedInPlaceOnALostWorker_isMadeAgain_withoutRecursingDownIt() throws Exception {
        int length = 900; // below the submitter's limit of tasks in flight: this thread is the analyser too
        Throwable[] failed = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                TestingMaster master = new TestingMaster("n0", "n1");
                Box box = new Box(0);
                for (int i = 0; i < length; i++) {
                    master.call("increment", box);
                }
                master.call("read", box);
                master.drain();
                int a = master.nodeOf(master.sent().get(0));
                for (int i = 0; i < length; i++) {
                    TaskExecution e = master.sent().get(master.sent().size() - 1);
                    master.succeed(e, null, keptBox(a, 1000 + i));
                    master.drain();
                }
                master.lose(a, "killed");
                master.drain();
                for (int i = 0; i < length; i++) {
                    TaskExecution e = master.sent().get(master.sent().size() - 1);
                    assertThat(e.method()).isEqualTo(SampleTasks.method("increment"));
                    master.succeed(e, null, keptBox(1 - a, 100_000 + i));
                    master.drain();
                }
                TaskExecution read = master.sent("read");
                assertThat(read.bindings()[0].source()).isEqualTo(keptBox(1 - a, 100_000 + length - 1));
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "analyser-like", 64 << 10);
        t.start();
        t.join(120_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(failed[0]).isNull();
    }

    @Test
    void inputTheProgramHadBackSince_cannotBeSentAgain_andTheReaderFailsSayingSo() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box from = new Box(2);
        Box into = new Box(3);
        master.call("addInto", from, into);
        master.drain();
        TaskExecution add = master.sent("addInto");
        int a = master.nodeOf(add);
        master.succeed(add, null, null, keptBox(a, 31));
        master.drain(); // from is no longer used: the program has it back, and may change it
        master.call("read", into);
        master.drain();
        TaskExecution read = master.sent("read");
        assertThat(master.nodeOf(read)).isEqualTo(a);

        master.lose(a, "killed");
        master.drain();

        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.failures.count()).isEqualTo(1);
        ExecutorService program = Executors.newSingleThreadExecutor();
        try {
            Future<Object> use = program.submit(() -> {
                master.synchroniser.barrier();
                return null;
            });
            while (!use.isDone()) {
                master.drain(); // the program's wait may bring the datum home: the analyser works meanwhile
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> use.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("was kept only by worker n" + a + ", which was lost (killed)")
                    .hasMessageContaining("re-running SampleTasks.addInto")
                    .hasMessageContaining("the program has had back since");
        } finally {
            program.shutdownNow();
        }
    }

    /**
     * The same program, where the gateway kept the bytes it sent the object the producer read as (a remote gateway
     * does when it serialises it): the re-run is sent those bytes, not the object the program has had back (and
     * changed) since; the reader then goes on as if nothing was lost.
     */
    @Test
    void inputTheProgramHadBackSince_isSentAgainAsTheBytesItWasSentAs() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box from = new Box(2);
        Box into = new Box(3);
        master.call("addInto", from, into);
        master.drain();
        TaskExecution add = master.sent("addInto");
        byte[] sentAs = {1, 2, 3};
        assertThat(add.bindings()[0].source()).isInstanceOfSatisfying(SentCopy.class,
                c -> c.serialised().keep(sentAs));
        int a = master.nodeOf(add);
        master.succeed(add, null, null, keptBox(a, 31));
        master.drain(); // from is no longer used: the program has it back, and changes it
        from.value = 99;
        master.call("read", into);
        master.drain();
        TaskExecution read = master.sent("read");
        int before = master.sent().size();

        master.lose(a, "killed");
        master.drain();

        List<TaskExecution> again = since(master, before);
        assertThat(again).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(SampleTasks.method("addInto"));
            assertThat(e.taskId()).isNegative();
            assertThat(master.nodeOf(e)).isEqualTo(1 - a);
            assertThat(e.bindings()[0].source()).as("what was sent, not the object as it is now")
                    .isInstanceOfSatisfying(Encoded.class, b -> {
                        assertThat(b.bytes()).isSameAs(sentAs);
                        assertThat(b.className()).isEqualTo(Box.class.getName());
                    });
            assertThat(e.bindings()[1].source()).as("the object it updates, which the program has not had back")
                    .isSameAs(into);
        });
        master.succeed(again.get(0), null, null, keptBox(1 - a, 41));
        readsTheVersionMadeAgain_andTheRunEndsClean(master, read, keptBox(1 - a, 41));
    }

    /**
     * The object the producer read is still in use (a later task reads it) but went home in between, which starts a
     * new epoch of its datum: the re-run is sent the bytes of the version it read, not the object as it is now.
     */
    @Test
    void inputInUseAgainAfterItWentHome_isSentAgainAsTheBytesOfTheVersionTheProducerRead() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box from = new Box(2);
        Box into = new Box(3);
        master.call("addInto", from, into);
        master.drain();
        TaskExecution add = master.sent("addInto");
        byte[] sentAs = {1, 2, 3};
        ((SentCopy) add.bindings()[0].source()).serialised().keep(sentAs);
        int a = master.nodeOf(add);
        master.succeed(add, null, null, keptBox(a, 31));
        master.call("read", from); // before the analyser hears of the end: one handle, two epochs
        master.drain();
        assertThat(master.handle(from).state.epoch).as("it went home in between").isGreaterThan(1);
        master.call("read", into);
        master.drain();
        int before = master.sent().size();

        master.lose(a, "killed");
        master.drain();

        assertThat(since(master, before)).filteredOn(e -> e.taskId() < 0).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(SampleTasks.method("addInto"));
            assertThat(e.bindings()[0].source()).isInstanceOfSatisfying(Encoded.class,
                    b -> assertThat(b.bytes()).isSameAs(sentAs));
        });
        assertThat(master.failures.count()).isZero();
    }

    /**
     * The producer read a version a worker kept, which came home since (the program touched it), so its worker
     * forgot it and the program may have changed it: the re-run is sent the bytes it came home as.
     */
    @Test
    void keptInputThatCameHomeSince_isSentAgainAsTheBytesItArrivedAs() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box from = new Box(2);
        Box into = new Box(3);
        master.call("increment", from);
        master.drain();
        TaskExecution increment = master.sent("increment");
        int k = master.nodeOf(increment);
        master.succeed(increment, null, keptBox(k, 11));
        master.call("addInto", from, into);
        master.drain();
        TaskExecution add = master.sent("addInto");
        int a = master.nodeOf(add);
        master.succeed(add, null, null, keptBox(a, 31));
        master.drain();
        master.inbox.post(new AnalyserEvent.BringHome(master.handle(from))); // the program touches it
        master.drain();
        byte[] arrivedAs = {4, 5, 6};
        master.gateway(k).fetchedBytes.get(11L).keep(arrivedAs);
        master.gateway(k).objectFetches.get(11L).complete(new Box(3));
        master.drain();
        assertThat(from.value).as("home").isEqualTo(3);
        from.value = 99;
        master.call("read", into);
        master.drain();
        int before = master.sent().size();

        master.lose(a, "killed");
        master.drain();

        assertThat(since(master, before)).filteredOn(e -> e.taskId() < 0).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(SampleTasks.method("addInto"));
            assertThat(e.bindings()[0].source()).isInstanceOfSatisfying(Encoded.class, b -> {
                assertThat(b.bytes()).isSameAs(arrivedAs);
                assertThat(b.className()).isEqualTo(Box.class.getName());
            });
        });
        assertThat(master.failures.count()).isZero();
    }

    /**
     * The move home of a version fails because its worker was lost, and the analyser has not heard of the loss yet
     * (the gateway hears first, and the fetch's failure may overtake the launcher's notice): the version is made
     * again, not the datum failed.
     */
    @Test
    void moveHomeFailingAsItsWorkerIsLost_beforeTheAnalyserHearsOfIt_makesTheVersionAgain() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box box = new Box(0);
        master.call("increment", box);
        master.drain();
        TaskExecution increment = master.sent("increment");
        int k = master.nodeOf(increment);
        master.succeed(increment, null, keptBox(k, 11));
        master.drain();
        master.inbox.post(new AnalyserEvent.BringHome(master.handle(box)));
        master.drain();
        int before = master.sent().size();

        master.gateway(k).objectFetches.get(11L).completeExceptionally(new WorkerLostException("n" + k, "killed"));
        master.drain();

        assertThat(since(master, before)).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(SampleTasks.method("increment"));
            assertThat(e.taskId()).isNegative();
            assertThat(master.nodeOf(e)).isEqualTo(1 - k);
        });
        assertThat(master.failures.count()).isZero();
    }

    /**
     * Bytes over the budget for lineage are not kept: a re-run that would need them cannot be made, and the reader
     * fails saying why, with the budget.
     */
    @Test
    void inputTheProgramHadBackSince_whoseBytesWereOverTheBudget_failsTheReaderNamingTheBudget() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box from = new Box(2);
        Box into = new Box(3);
        master.call("addInto", from, into);
        master.drain();
        TaskExecution add = master.sent("addInto");
        SentCopy sent = (SentCopy) add.bindings()[0].source();
        sent.serialised().keep(new byte[(int) sent.serialised().budget().limit() + 1]);
        assertThat(sent.serialised().refused()).isTrue();
        assertThat(sent.serialised().bytes()).isNull();
        int a = master.nodeOf(add);
        master.succeed(add, null, null, keptBox(a, 31));
        master.drain();
        master.call("read", into);
        master.drain();

        master.lose(a, "killed");
        master.drain();

        assertThat(master.failures.count()).isEqualTo(1);
        ExecutorService program = Executors.newSingleThreadExecutor();
        try {
            Future<Object> use = program.submit(() -> {
                master.synchroniser.barrier();
                return null;
            });
            while (!use.isDone()) {
                master.drain();
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> use.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("the program has had back since (and may have changed); the master did not"
                            + " keep that version's bytes, as it already kept 0 MiB of such bytes for lineage, its"
                            + " limit being 1 MiB (a test's)");
        } finally {
            program.shutdownNow();
        }
    }

    @Test
    void taskRunningOnEveryWorkerLost_failsAfterItsAttempts_namingTheWorkers_andDoesNotLoop() {
        TestingMaster master = new TestingMaster("n0", "n1", "n2", "n3");
        Box box = new Box(0);
        master.call("increment", box);
        master.drain();
        for (int i = 0; i < 3; i++) { // the declaration's defaults: two retries, three attempts
            TaskExecution attempt = master.sent("increment");
            master.lose(master.nodeOf(attempt), "exit code 137");
            master.drain();
        }
        assertThat(master.sent()).as("three attempts, no fourth").hasSize(3);
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThatThrownBy(() -> master.synchroniser.use(box)).isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("SampleTasks.increment")
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("a worker was lost while running it on each of its 3 attempts")
                .hasMessageContaining("n0 (exit code 137)");
    }

    @Test
    void taskQueuedBehindOthersOnALostWorker_movesForFree() {
        TestingMaster master = new TestingMaster("n0", "n1", "n2");
        for (int i = 0; i < 6; i++) {
            master.call("read", new Box(i));
        }
        master.drain();
        // Two slots per node: six tasks, two on each; those beyond a node's slots would wait in its queue.
        int lost = master.nodeOf(master.sent().get(0));
        master.lose(lost, "killed");
        master.drain();
        for (TaskExecution e : master.sent()) {
            if (master.nodeOf(e) != lost) {
                assertThat(e.attempt()).as("%s", e.name()).isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    void everyWorkerLost_endsTheRunOnce_andEveryWaitFailsWithTheReason() throws Exception {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box[] boxes = new Box[5];
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = new Box(i);
            master.call("increment", boxes[i]);
        }
        master.drain();
        master.lose(0, "killed");
        master.drain();
        master.lose(1, "connection reset");
        master.drain();

        assertThat(master.failures.count()).as("no task failed one by one").isZero();
        ExecutorService program = Executors.newSingleThreadExecutor();
        try {
            Future<Object> barrier = program.submit(() -> {
                master.synchroniser.barrier();
                return null;
            });
            assertThatThrownBy(() -> barrier.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("every worker of the run was lost (n0: killed; n1: connection reset); the run cannot"
                            + " go on");
        } finally {
            program.shutdownNow();
        }
        assertThatThrownBy(() -> master.call("read", boxes[0])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("every worker of the run was lost");
    }

    /**
     * A re-run is a user of the data it reads: a version it reads is not forgotten where it is kept while the
     * re-run is on its way, even if every task of the program that used the datum has ended meanwhile.
     */
    @Test
    void versionARerunReads_isNotForgotten_whenTheDatumsLastTaskEndsBeforeTheRerun() {
        TestingMaster master = new TestingMaster("n0", "n1");
        Box x = new Box(1);
        Box y = new Box(2);
        master.call("increment", x);
        master.drain();
        TaskExecution first = master.sent("increment");
        int b = master.nodeOf(first);
        int a = 1 - b;
        master.succeed(first, null, keptBox(b, 11));
        master.drain();
        for (int i = 0; i < 4; i++) {
            master.call("read", x); // two running and two queued on b, where the version is: b is full
        }
        master.drain();
        List<TaskExecution> reads = List.copyOf(master.gateway(b).executions.subList(1, 5));
        assertThat(reads).allSatisfy(e -> assertThat(e.method()).isEqualTo(SampleTasks.method("read")));
        master.call("addInto", x, y);
        master.drain();
        TaskExecution add = master.sent("addInto");
        assertThat(master.nodeOf(add)).as("b is full").isEqualTo(a);
        master.succeed(add, null, null, keptBox(a, 21));
        master.drain();
        master.call("read", y);
        master.call("increment", x); // after the reads of x: a new version of x, 11 stays as the re-run needs it
        master.drain();
        master.lose(a, "killed");
        master.drain();
        List<TaskExecution> onB = master.gateway(b).executions;
        int before = onB.size();
        assertThat(before).as("the re-run waits for a slot of b").isEqualTo(5);
        for (TaskExecution r : reads) {
            master.succeed(r, null);
        }
        master.drain();
        List<TaskExecution> next = onB.subList(before, onB.size());
        TaskExecution rerun = next.stream().filter(e -> e.taskId() < 0).findFirst().orElseThrow();
        TaskExecution update = next.stream().filter(e -> e.method().equals(SampleTasks.method("increment")))
                .findFirst().orElseThrow();
        assertThat(rerun.bindings()[0].source()).isEqualTo(keptBox(b, 11));
        master.succeed(update, null, keptBox(b, 12));
        master.drain();

        assertThat(master.gateway(b).forgotten).as("x's version the re-run reads, while it runs").doesNotContain(11L);
        master.succeed(rerun, null, null, keptBox(b, 22));
        master.drain();
        assertThat(master.gateway(b).forgotten).as("once the re-run has read it").contains(11L);
        readsTheVersionMadeAgain_andTheRunEndsClean(master, null, keptBox(b, 22));
    }

    /** The reader that waited for a lost version is sent again, on the version made again, and the run ends clean. */
    private static void readsTheVersionMadeAgain_andTheRunEndsClean(TestingMaster master, TaskExecution read,
            Object madeAgain) {
        master.drain();
        TaskExecution reread = master.sent("read");
        assertThat(reread).isNotSameAs(read);
        assertThat(reread.bindings()[0].source()).isEqualTo(madeAgain);
        master.succeed(reread, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.failures.count()).isZero();
    }
}
