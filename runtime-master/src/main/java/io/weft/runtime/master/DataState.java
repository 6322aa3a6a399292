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

    DataState(Object home) {
        current = new Version(1, home);
        lastNumber = 1;
    }

    Version newVersion() {
        return new Version(++lastNumber, null);
    }

    /** Ends an open run of concurrent or commutative accesses: its version becomes current. */
    void closeGroup() {
        if (openGroup != null) {
            current = openGroup;
            openGroup = null;
        }
    }
}
