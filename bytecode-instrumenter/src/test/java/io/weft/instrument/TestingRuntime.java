package io.weft.instrument;

import io.weft.api.TaskGroup;
import io.weft.api.spi.Intercept;
import io.weft.api.spi.TaskSite;
import io.weft.api.spi.TaskSites;
import io.weft.api.spi.WeftRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A runtime that records what instrumented code asks of it and runs every task inline unless told otherwise. */
final class TestingRuntime implements WeftRuntime {
    /** One call of {@link #submit}. */
    record Submission(TaskSite site, Object receiver, List<Object> args) {
        String name() {
            return site.name();
        }
    }

    final List<Submission> submissions = new ArrayList<>();
    final List<Object> used = new ArrayList<>();
    final List<Object> stored = new ArrayList<>();
    final List<String> paths = new ArrayList<>();
    int endOfMainCalls;
    final List<Throwable> endOfMainThrew = new ArrayList<>();
    /** What {@link #endOfMain} throws, as a runtime reporting a failed task would; {@code null} for nothing. */
    RuntimeException endOfMainFailure;
    private final Map<String, Object> results = new HashMap<>();

    /** Makes {@link #submit} answer {@code result} (instead of {@code INLINE}) for the task method {@code name}. */
    TestingRuntime answer(String name, Object result) {
        results.put(name, result);
        return this;
    }

    @Override
    public synchronized Object submit(int site, Object receiver, Object[] args) {
        TaskSite s = TaskSites.get(site);
        submissions.add(new Submission(s, receiver, Arrays.asList(args)));
        Intercept.countTaskCall(); // as the runtime does once it has registered the task's data
        SampleJournal.note("submit:" + s.name());
        return results.containsKey(s.name()) ? results.get(s.name()) : Intercept.INLINE;
    }

    @Override
    public boolean hasPendingTasks() {
        return true;
    }

    /** The objects {@link #ready} says need no wait. */
    final java.util.Set<Object> ready = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** An object whose next {@link #use} throws, as a runtime reporting the failed task that made it would. */
    Object failNextUse;

    @Override
    public synchronized void use(Object object) {
        used.add(object);
        SampleJournal.note("use:" + object.getClass().getSimpleName()); // never toString(): it is under test
        if (object == failNextUse) {
            failNextUse = null;
            throw new IllegalStateException("the task that made it failed");
        }
    }

    @Override
    public synchronized boolean ready(Object object) {
        return ready.contains(object);
    }

    @Override
    public synchronized void store(Object object) {
        stored.add(object);
        SampleJournal.note("store:" + object.getClass().getSimpleName());
    }

    @Override
    public synchronized void usePath(String path) {
        paths.add(path);
        SampleJournal.note("usePath:" + path);
    }

    @Override
    public void barrier() {
        SampleJournal.note("barrier");
    }

    @Override
    public TaskGroup openGroup(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> assignedGpus() {
        return List.of();
    }

    @Override
    public List<Integer> assignedCores() {
        return List.of();
    }

    @Override
    public java.util.Map<String, String> taskEnvironment() {
        return java.util.Map.of();
    }

    @Override
    public synchronized void endOfMain() {
        endOfMainCalls++;
        SampleJournal.note("endOfMain");
        if (endOfMainFailure != null) {
            throw endOfMainFailure;
        }
    }

    // Not @Override: the SPI method is new, and this runtime must compile against the API with and without it.
    public synchronized void endOfMainThrew(Throwable thrown) {
        endOfMainThrew.add(thrown);
        SampleJournal.note("endOfMainThrew");
    }
}
