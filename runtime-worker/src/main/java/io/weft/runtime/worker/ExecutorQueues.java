package io.weft.runtime.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queues of a worker's executor threads: one per executor for attempts that should run where their
 * predecessor ran (its data is still in that core's cache), and one shared queue for the rest. An idle executor
 * takes from its own queue, then the shared one, then steals from another executor's, so no core idles while an
 * attempt waits. Thread-safe; one lock, one condition per executor so a hand-off wakes exactly one thread.
 */
final class ExecutorQueues {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<TaskExecution> shared = new ArrayDeque<>();
    private final List<ArrayDeque<TaskExecution>> local;
    private final Condition[] wakeUp;
    private final boolean[] idle;
    private int idleCount;

    ExecutorQueues(int executors) {
        local = new ArrayList<>(executors);
        wakeUp = new Condition[executors];
        idle = new boolean[executors];
        for (int i = 0; i < executors; i++) {
            local.add(new ArrayDeque<>());
            wakeUp[i] = lock.newCondition();
        }
    }

    /** Queues an attempt, for executor {@code preferred} if it is one of ours, else for any executor. */
    void put(TaskExecution execution, int preferred) {
        lock.lock();
        try {
            if (preferred >= 0 && preferred < local.size()) {
                local.get(preferred).addLast(execution);
                if (idle[preferred]) {
                    wake(preferred);
                    return;
                }
            } else {
                shared.addLast(execution);
            }
            if (idleCount > 0) {
                for (int i = 0; i < idle.length; i++) {
                    if (idle[i]) {
                        wake(i);
                        return;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wakes an idle executor and marks it busy at once, so the next hand-off wakes another one instead of
     * signalling this one twice (a lost wake-up would leave work queued while a core idles).
     */
    private void wake(int executor) {
        idle[executor] = false;
        idleCount--;
        wakeUp[executor].signal();
    }

    /** The next attempt for executor {@code self}, waiting while there is none. */
    TaskExecution take(int self) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                TaskExecution e = local.get(self).pollFirst();
                if (e == null) {
                    e = shared.pollFirst();
                }
                for (int i = 1; e == null && i < local.size(); i++) {
                    e = local.get((self + i) % local.size()).pollFirst();
                }
                if (e != null) {
                    return e;
                }
                idle[self] = true;
                idleCount++;
                try {
                    wakeUp[self].await();
                } finally {
                    if (idle[self]) { // woken by a spurious wake-up or an interrupt, not by wake()
                        idle[self] = false;
                        idleCount--;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
