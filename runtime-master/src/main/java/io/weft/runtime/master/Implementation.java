package io.weft.runtime.master;

import java.lang.reflect.Method;

/**
 * One way to run a task: the task method itself, or an {@link io.weft.api.Implement} alternative, with what it
 * needs from a node. Immutable.
 *
 * @param index its position among the task's implementations; {@code 0} is the task method itself
 * @param name {@code Class.method}, for records and messages
 * @param method the method to invoke
 * @param requirements what it needs from the node that runs it
 */
record Implementation(int index, String name, Method method, Requirements requirements) {}
