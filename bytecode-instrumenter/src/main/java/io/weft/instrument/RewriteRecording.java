package io.weft.instrument;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one rewrite of a class depended on besides the class's own bytes: the classes the instrumenter looked up
 * (a call site is rewritten because its callee, in another class, is a {@code @Task}; stack maps depend on the
 * class hierarchy), and the task call sites it registered, whose ids are in the rewritten code.
 *
 * <p>Filled by one rewrite on one thread; not thread-safe.
 */
final class RewriteRecording {
    /** A task call site the rewrite registered, and the id it got. */
    record Site(String owner, String name, String descriptor, boolean isStatic, int id) {}

    private final Set<String> consulted = new LinkedHashSet<>();
    private final List<Site> sites = new ArrayList<>();

    void consulted(String className) {
        consulted.add(className);
    }

    void site(String owner, String name, String descriptor, boolean isStatic, int id) {
        sites.add(new Site(owner, name, descriptor, isStatic, id));
    }

    /** The binary names the rewrite looked up, in the order of their first lookup. */
    Set<String> consulted() {
        return consulted;
    }

    /** The call sites, in the order they were registered. */
    List<Site> sites() {
        return sites;
    }
}
