package io.weft.instrument;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JDK methods that only store a reference to some of their arguments, without calling any method of them or
 * reading their fields: a list's {@code add}, a map's {@code put} (the value, not the key), a deque's
 * {@code offer}… Passing a pending result there need not wait for it, because whatever later reads it back (and
 * touches it) waits then. This is the list {@code docs/programming-model.md} documents; keep the two in step.
 *
 * <p>Call sites are matched on the class the instruction names (the static type of the receiver, or the class of a
 * static method), the method's name and its descriptor. A call through an interface (a {@code Collection}'s
 * {@code add}) may reach an implementation that does call the object, such as a {@code HashSet}'s
 * {@code hashCode}: the runtime skips the wait only for objects whose own methods wait for their tasks, so that
 * stays correct.
 *
 * <p>Immutable; a pure function of the call site.
 */
final class StoreOnlyMethods {
    /**
     * What a call stores without touching.
     *
     * @param parameters the indices (from 0) of the parameters stored
     * @param elements whether a stored array parameter is a varargs array whose elements are what is stored
     */
    record Stored(Set<Integer> parameters, boolean elements) {}

    private static final String OBJECT = "Ljava/lang/Object;";

    /** Collections that keep their elements in the order they are given, by reference only. */
    private static final List<String> SEQUENCES = List.of("java.util.Collection", "java.util.List",
            "java.util.Queue", "java.util.Deque", "java.util.ArrayList", "java.util.LinkedList",
            "java.util.ArrayDeque", "java.util.Vector", "java.util.Stack",
            "java.util.concurrent.BlockingQueue", "java.util.concurrent.BlockingDeque",
            "java.util.concurrent.TransferQueue", "java.util.concurrent.CopyOnWriteArrayList",
            "java.util.concurrent.ConcurrentLinkedQueue", "java.util.concurrent.ConcurrentLinkedDeque",
            "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.LinkedBlockingDeque",
            "java.util.concurrent.ArrayBlockingQueue", "java.util.concurrent.LinkedTransferQueue");

    /** Maps, whose values are kept by reference only (their keys are hashed or compared: those still wait). */
    private static final List<String> MAPS = List.of("java.util.Map", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.SortedMap", "java.util.NavigableMap",
            "java.util.Hashtable", "java.util.IdentityHashMap", "java.util.WeakHashMap",
            "java.util.concurrent.ConcurrentMap", "java.util.concurrent.ConcurrentNavigableMap",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentSkipListMap");

    private static final Map<String, Stored> BY_SITE = table();

    private StoreOnlyMethods() {}

    private static Map<String, Stored> table() {
        Map<String, Stored> t = new HashMap<>();
        Stored first = new Stored(Set.of(0), false);
        Stored second = new Stored(Set.of(1), false);
        Stored fourth = new Stored(Set.of(3), false);
        Stored elements = new Stored(Set.of(0), true);
        Stored elementsOfSecond = new Stored(Set.of(1), true);
        for (String owner : SEQUENCES) {
            for (String method : List.of("add(" + OBJECT + ")Z", "offer(" + OBJECT + ")Z", "addFirst(" + OBJECT
                    + ")V", "addLast(" + OBJECT + ")V", "offerFirst(" + OBJECT + ")Z", "offerLast(" + OBJECT + ")Z",
                    "push(" + OBJECT + ")V", "put(" + OBJECT + ")V", "putFirst(" + OBJECT + ")V", "putLast("
                    + OBJECT + ")V", "transfer(" + OBJECT + ")V", "addElement(" + OBJECT + ")V")) {
                t.put(owner + "." + method, first);
            }
            t.put(owner + ".add(I" + OBJECT + ")V", second);
            t.put(owner + ".set(I" + OBJECT + ")" + OBJECT, second);
        }
        t.put("java.util.Stack.push(" + OBJECT + ")" + OBJECT, first);
        t.put("java.util.ListIterator.add(" + OBJECT + ")V", first);
        t.put("java.util.ListIterator.set(" + OBJECT + ")V", first);
        for (String owner : MAPS) {
            for (String method : List.of("put", "putIfAbsent", "replace")) {
                t.put(owner + "." + method + "(" + OBJECT + OBJECT + ")" + OBJECT, second);
            }
        }
        t.put("java.util.EnumMap.put(Ljava/lang/Enum;" + OBJECT + ")" + OBJECT, second);
        t.put("java.util.Map$Entry.setValue(" + OBJECT + ")" + OBJECT, first);
        t.put("java.util.Collections.addAll(Ljava/util/Collection;[" + OBJECT + ")Z", elementsOfSecond);
        t.put("java.util.Collections.singletonList(" + OBJECT + ")Ljava/util/List;", first);
        t.put("java.util.Collections.nCopies(I" + OBJECT + ")Ljava/util/List;", second);
        t.put("java.util.Arrays.asList([" + OBJECT + ")Ljava/util/List;", elements);
        t.put("java.util.Arrays.fill([" + OBJECT + OBJECT + ")V", second);
        t.put("java.util.Arrays.fill([" + OBJECT + "II" + OBJECT + ")V", fourth);
        t.put("java.util.List.of([" + OBJECT + ")Ljava/util/List;", elements);
        for (int n = 1; n <= 10; n++) {
            Set<Integer> all = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                all.add(i);
            }
            t.put("java.util.List.of(" + OBJECT.repeat(n) + ")Ljava/util/List;", new Stored(Set.copyOf(all), false));
        }
        t.put("java.util.Optional.of(" + OBJECT + ")Ljava/util/Optional;", first);
        t.put("java.util.Optional.ofNullable(" + OBJECT + ")Ljava/util/Optional;", first);
        return Map.copyOf(t);
    }

    /**
     * What a call stores without touching, or {@code null} if it may touch every argument.
     *
     * @param owner the binary name of the class the call instruction names, e.g. {@code java.util.List}
     * @param name the method's name
     * @param descriptor the method's descriptor
     */
    static Stored of(String owner, String name, String descriptor) {
        return BY_SITE.get(owner + "." + name + descriptor);
    }

    /** Every method in the list, as {@code owner.name(descriptor)}; for the documentation test. */
    static Set<String> all() {
        return BY_SITE.keySet();
    }
}
