/**
 * Application objects as Weft handles them, shared by the worker and the master (public on purpose, not internal):
 * {@link io.weft.runtime.worker.objects.ObjectStates} allocates objects without a constructor, copies them deeply
 * for tasks that need a private copy, and moves one object's state into another (the master fills its placeholders
 * so); {@link io.weft.runtime.worker.objects.PayloadCodec} is their serialised form between processes (Apache Fory).
 *
 * <p>Threading: both may be called from any thread. They keep only per-class caches and never synchronise on the
 * objects they handle, so the caller hands those over safely.
 */
package io.weft.runtime.worker.objects;
