package io.weft.api.spi;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of task call sites: the agent registers each task method it finds at a call site and embeds the
 * returned id in the generated code; the runtime looks the id up when the call happens.
 *
 * <p>Thread-safe. Registration happens during class loading on any thread; lookups are frequent and cheap.
 */
public final class TaskSites {
    private static final Map<String, Integer> IDS = new HashMap<>();
    private static volatile TaskSite[] sites = new TaskSite[0];
    private static final List<TaskSite> ALL = new ArrayList<>();

    private TaskSites() {}

    /**
     * Registers a task method, or returns the id it already has.
     *
     * @return the id to embed at the call site
     */
    public static synchronized int register(
            ClassLoader loader, String owner, String name, String descriptor, boolean isStatic) {
        String key = System.identityHashCode(loader) + "|" + owner + "." + name + descriptor;
        Integer known = IDS.get(key);
        if (known != null) {
            return known;
        }
        int id = ALL.size();
        ALL.add(new TaskSite(id, owner, name, descriptor, isStatic, new WeakReference<>(loader)));
        IDS.put(key, id);
        sites = ALL.toArray(new TaskSite[0]);
        return id;
    }

    /** The site registered under {@code id}. */
    public static TaskSite get(int id) {
        return sites[id];
    }

    /** How many sites are registered. */
    public static int count() {
        return sites.length;
    }
}
