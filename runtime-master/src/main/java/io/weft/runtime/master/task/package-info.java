/**
 * What a task call gives the program back at once: {@link io.weft.runtime.master.task.Placeholders}, the stand-ins
 * for results not yet computed, and how a result is moved into one. Stateless; any thread.
 */
package io.weft.runtime.master.task;
