package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Kept;

import java.util.ArrayList;

/** The analyser's view of one datum: its current version, an open concurrent run, the tasks using it. */
final class DataState {
    Version current;
    /** The version being built by an open run of concurrent or commutative accesses, or {@code null}. */
    Version openGroup;
    /** Registered tasks that use this datum and have not finished. */
    int unfinished;
    int lastNumber;
    /** Temporary files made for renamed versions of a file datum. */
    ArrayList<String> temporaries;
    /** Versions (and copies of versions) kept in worker processes, to be forgotten there once the datum is quiet. */
    ArrayList<Kept> remote;

    void keptRemotely(Kept k) {
        if (remote == null) {
            remote = new ArrayList<>(2);
        }
        remote.add(k);
    }

    /** Which datum epoch its versions belong to: a new one each time the datum settles home. */
    int epoch;
    /** For a file: the version each path holds now; a version whose path a later one took was overwritten. */
    java.util.HashMap<String, Version> byPath;

    DataState(Object home) {
        this(home, 0);
    }

    DataState(Object home, int epoch) {
        this.epoch = epoch;
        current = new Version(1, home);
        current.epoch = epoch;
        lastNumber = 1;
        if (home instanceof String path) {
            holds(path, current);
        }
    }

    Version newVersion() {
        Version v = new Version(++lastNumber, null);
        v.epoch = epoch;
        return v;
    }

    /** A version's value is now the file at {@code path}: the one that held it before was overwritten. */
    void holds(String path, Version v) {
        if (byPath == null) {
            byPath = new java.util.HashMap<>(4);
        }
        Version before = byPath.put(path, v);
        if (before != null && before != v) {
            before.overwritten = true;
        }
    }

    /** Ends an open run of concurrent or commutative accesses: its version becomes current. */
    void closeGroup() {
        if (openGroup != null) {
            current = openGroup;
            openGroup = null;
        }
    }
}
