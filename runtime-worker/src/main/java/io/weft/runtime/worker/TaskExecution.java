package io.weft.runtime.worker;

import java.lang.reflect.Method;

/**
 * One attempt at running a task, as the worker receives it. Immutable once handed over (the arrays are not
 * touched again by the sender).
 *
 * @param taskId the task's id in the run
 * @param name the task's name, {@code Class.method}
 * @param method the method to invoke
 * @param arguments the call's arguments; an entry is replaced by its binding's value when {@code argumentBinding}
 *     names one
 * @param argumentBinding for each argument, the index of its binding, or {@code -1} for a plain value
 * @param receiverBinding the index of the receiver's binding, or {@code -1} for a static method
 * @param bindings the data the task uses
 * @param attempt which attempt this is, from 1
 * @param executorHint the executor that should run it if it is free (the one that ran its predecessor, whose
 *     data is in that core's cache), or {@code -1}
 * @param demand the cores, GPUs and memory it occupies while it runs
 * @param encodedArguments the plain-value arguments already serialised, as one {@code Object[]}, by the thread
 *     that submitted the task (for a worker in another process), or {@code null}
 * @param check whether to look for what the task writes without declaring it (check mode), and report it in the
 *     outcome's findings
 * @param timeoutNanos the longest the attempt may run ({@code @Task(timeout)}), or {@code 0} for no limit
 * @param restoreOnFailure whether the data it updates in place must be as before should the attempt fail: the
 *     executor then keeps a copy of each, and puts it back if the attempt fails
 */
public record TaskExecution(
        long taskId,
        String name,
        Method method,
        Object[] arguments,
        int[] argumentBinding,
        int receiverBinding,
        Binding[] bindings,
        int attempt,
        int executorHint,
        ResourceDemand demand,
        byte[] encodedArguments,
        boolean check,
        long timeoutNanos,
        boolean restoreOnFailure) {}
