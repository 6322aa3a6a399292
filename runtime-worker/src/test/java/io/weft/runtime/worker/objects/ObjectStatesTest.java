package io.weft.runtime.worker.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ObjectStatesTest {

    // ---------------------------------------------------------------------------------------------------------
    // Application classes used as test data
    // ---------------------------------------------------------------------------------------------------------

    static final class Exploding {
        final int value;
        final String label = String.valueOf("set by the initialiser");

        Exploding() {
            throw new IllegalStateException("the constructor must not run");
        }
    }

    static class Base {
        private final int id;
        protected String name;
        private final long[] data;

        Base(int id, String name, long[] data) {
            this.id = id;
            this.name = name;
            this.data = data;
        }

        int id() {
            return id;
        }

        long[] data() {
            return data;
        }
    }

    static final class Derived extends Base {
        private final double weight;
        private final List<String> tags;
        private boolean flag;
        private char letter;
        private byte small;
        private short medium;
        private float ratio;

        Derived(int id, String name, long[] data, double weight, List<String> tags) {
            super(id, name, data);
            this.weight = weight;
            this.tags = tags;
        }
    }

    /** Has identity-based equals and hashCode. */
    static final class Key {
        final String name;

        Key(String name) {
            this.name = name;
        }
    }

    static final class Node {
        final String name;
        Node next;
        Node other;

        Node(String name) {
            this.name = name;
        }
    }

    static final class Holder {
        final Key key;
        final Map<Key, String> map;
        final Set<Key> set;

        Holder(Key key, Map<Key, String> map, Set<Key> set) {
            this.key = key;
            this.map = map;
            this.set = set;
        }
    }

    static final class Nested {
        final int[] numbers;
        final int[][] grid;
        final List<List<String>> lists;
        final Map<String, StringBuilder> builders;
        final Object[] mixed;

        Nested(int[] numbers, int[][] grid, List<List<String>> lists, Map<String, StringBuilder> builders,
                Object[] mixed) {
            this.numbers = numbers;
            this.grid = grid;
            this.lists = lists;
            this.builders = builders;
            this.mixed = mixed;
        }
    }

    static final class Counter {
        private int count;
        private final Incrementer incrementer = new Incrementer();

        final class Incrementer {
            void run() {
                count++;
            }
        }

        Counter(int count) {
            this.count = count;
        }
    }

    static final class KeyedCache extends LinkedHashMap<Key, String> {
        private static final long serialVersionUID = 1L;
        private final int limit;

        KeyedCache(int limit) {
            super(16, 0.75f, true);
            this.limit = limit;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > limit;
        }
    }

    record Point(int x, int y, List<String> notes) {}

    enum Colour {
        RED,
        GREEN {
            @Override
            public String toString() {
                return "green";
            }
        }
    }

    abstract static class Shape {}

    static final class Pair {
        final Object left;
        final Object right;

        Pair(Object left, Object right) {
            this.left = left;
            this.right = right;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // allocate
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void allocate_createsInstanceWithoutRunningConstructor() {
        Exploding instance = ObjectStates.allocate(Exploding.class);

        assertThat(instance).isInstanceOf(Exploding.class);
        assertThat(instance.value).isZero();
        assertThat(instance.label).isNull();
    }

    @Test
    void allocate_rejectsTypesWithoutInstancesOfTheirOwn() {
        assertThatThrownBy(() -> ObjectStates.allocate(Runnable.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStates.allocate(Shape.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStates.allocate(int[].class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStates.allocate(int.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStates.allocate(Colour.class)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStates.allocate(Class.class)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // transfer
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void transfer_copiesFinalPrivateAndInheritedFields() {
        long[] data = {1, 2, 3};
        List<String> tags = new ArrayList<>(List.of("a", "b"));
        Derived from = new Derived(42, "answer", data, 2.5, tags);
        from.flag = true;
        from.letter = 'q';
        from.small = -7;
        from.medium = 1234;
        from.ratio = 0.25f;
        Derived into = ObjectStates.allocate(Derived.class);

        ObjectStates.transfer(from, into);

        assertThat(into.id()).isEqualTo(42);
        assertThat(into.name).isEqualTo("answer");
        assertThat(into.data()).isSameAs(data);
        assertThat(into.weight).isEqualTo(2.5);
        assertThat(into.tags).isSameAs(tags);
        assertThat(into.flag).isTrue();
        assertThat(into.letter).isEqualTo('q');
        assertThat(into.small).isEqualTo((byte) -7);
        assertThat(into.medium).isEqualTo((short) 1234);
        assertThat(into.ratio).isEqualTo(0.25f);
    }

    @Test
    void transfer_overwritesExistingStateOfTarget() {
        Derived from = new Derived(1, "new", null, 1.0, null);
        Derived into = new Derived(2, "old", new long[] {9}, 9.0, List.of("x"));
        into.flag = true;

        ObjectStates.transfer(from, into);

        assertThat(into.id()).isEqualTo(1);
        assertThat(into.name).isEqualTo("new");
        assertThat(into.data()).isNull();
        assertThat(into.tags).isNull();
        assertThat(into.flag).isFalse();
    }

    @Test
    void transfer_rejectsObjectsOfDifferentClassesNamingBoth() {
        assertThatThrownBy(() -> ObjectStates.transfer(new ArrayList<>(), new LinkedList<>()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.util.ArrayList")
                .hasMessageContaining("java.util.LinkedList");
        assertThatThrownBy(() -> ObjectStates.transfer(new Derived(1, "", null, 0, null), new Base(1, "", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Derived")
                .hasMessageContaining("Base");
    }

    @Test
    void transfer_rejectsRecordsEnumsAndImmutableValues() {
        assertThatThrownBy(() -> ObjectStates.transfer(new Point(1, 2, null), new Point(3, 4, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record");
        assertThatThrownBy(() -> ObjectStates.transfer(Thread.State.NEW, Thread.State.BLOCKED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("enum");
        assertThatThrownBy(() -> ObjectStates.transfer("abc", new String("xyz")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transfer_movesArrayListContentIntoPlaceholder() {
        ArrayList<String> from = new ArrayList<>(List.of("a", "b", "c"));
        @SuppressWarnings("unchecked")
        ArrayList<String> into = ObjectStates.allocate(ArrayList.class);

        ObjectStates.transfer(from, into);

        assertThat(into).hasSize(3).containsExactly("a", "b", "c");
        assertThat(into.get(1)).isEqualTo("b");
        List<String> seen = new ArrayList<>();
        for (String s : into) {
            seen.add(s);
        }
        assertThat(seen).containsExactly("a", "b", "c");
        for (int i = 0; i < 100; i++) {
            into.add("x" + i);
        }
        into.remove(0);
        assertThat(into).hasSize(102).startsWith("b", "c", "x0").endsWith("x99");
    }

    @Test
    void transfer_movesHashMapContentAndRebindsItsCachedViews() {
        HashMap<String, Integer> from = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            from.put("k" + i, i);
        }
        Set<String> fromKeys = from.keySet(); // caches views that refer to the map
        from.values();
        from.entrySet();
        assertThat(fromKeys).hasSize(50);
        @SuppressWarnings("unchecked")
        HashMap<String, Integer> into = ObjectStates.allocate(HashMap.class);

        ObjectStates.transfer(from, into);

        assertThat(into).hasSize(50).containsEntry("k7", 7).containsEntry("k49", 49);
        assertThat(into.get("missing")).isNull();
        for (int i = 50; i < 500; i++) { // forces resizes of into's own table
            into.put("k" + i, i);
        }
        into.remove("k0");
        assertThat(into).hasSize(499).containsEntry("k499", 499).doesNotContainKey("k0");
        assertThat(into.keySet()).hasSize(499).contains("k300");
        assertThat(into.values()).hasSize(499).contains(300);
        assertThat(into.entrySet()).hasSize(499);
        int sum = 0;
        for (Map.Entry<String, Integer> e : into.entrySet()) {
            sum += e.getValue();
        }
        assertThat(sum).isEqualTo(499 * 500 / 2);
    }

    @Test
    void transfer_movesTreeMapWithComparatorAndDescendingView() {
        TreeMap<String, Integer> from = new TreeMap<>(Comparator.reverseOrder());
        from.put("a", 1);
        from.put("c", 3);
        from.descendingMap();
        from.navigableKeySet();
        @SuppressWarnings("unchecked")
        TreeMap<String, Integer> into = ObjectStates.allocate(TreeMap.class);

        ObjectStates.transfer(from, into);
        into.put("b", 2);

        assertThat(into.firstKey()).isEqualTo("c");
        assertThat(into.keySet()).containsExactly("c", "b", "a");
        assertThat(into.navigableKeySet()).containsExactly("c", "b", "a");
        assertThat(into.descendingMap().keySet()).containsExactly("a", "b", "c");
    }

    @Test
    void transfer_movesStringBuilderAndLinkedList() {
        StringBuilder fromBuilder = new StringBuilder("abc");
        StringBuilder intoBuilder = ObjectStates.allocate(StringBuilder.class);
        ObjectStates.transfer(fromBuilder, intoBuilder);
        intoBuilder.append("def");
        assertThat(intoBuilder.toString()).isEqualTo("abcdef");

        LinkedList<Integer> fromList = new LinkedList<>(List.of(1, 2, 3));
        @SuppressWarnings("unchecked")
        LinkedList<Integer> intoList = ObjectStates.allocate(LinkedList.class);
        ObjectStates.transfer(fromList, intoList);
        intoList.addFirst(0);
        assertThat(intoList).containsExactly(0, 1, 2, 3);
    }

    @Test
    void transfer_rebindsInnerClassInstancesToTarget() {
        Counter from = new Counter(5);
        Counter into = ObjectStates.allocate(Counter.class);

        ObjectStates.transfer(from, into);
        into.incrementer.run();

        assertThat(into.count).isEqualTo(6);
        assertThat(from.count).isEqualTo(5);
    }

    @Test
    void transfer_replacesSelfReferencesByTarget() {
        Node from = new Node("self");
        from.next = from;
        Node into = ObjectStates.allocate(Node.class);

        ObjectStates.transfer(from, into);

        assertThat(into.next).isSameAs(into);
        assertThat(into.name).isEqualTo("self");
    }

    @Test
    void transfer_copiesArrayElementsWhenLengthsMatch() {
        String[] from = {"a", "b"};
        String[] into = new String[2];
        ObjectStates.transfer(from, into);
        assertThat(into).containsExactly("a", "b");

        int[] numbers = new int[3];
        ObjectStates.transfer(new int[] {1, 2, 3}, numbers);
        assertThat(numbers).containsExactly(1, 2, 3);

        assertThatThrownBy(() -> ObjectStates.transfer(new int[2], new int[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length");
        assertThatThrownBy(() -> ObjectStates.transfer(new int[2], new long[2]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // canTransfer
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void canTransfer_acceptsConcreteApplicationAndJdkClasses() {
        assertThat(ObjectStates.canTransfer(Derived.class)).isTrue();
        assertThat(ObjectStates.canTransfer(Exploding.class)).isTrue();
        assertThat(ObjectStates.canTransfer(ArrayList.class)).isTrue();
        assertThat(ObjectStates.canTransfer(HashMap.class)).isTrue();
        assertThat(ObjectStates.canTransfer(TreeMap.class)).isTrue();
        assertThat(ObjectStates.canTransfer(StringBuilder.class)).isTrue();
        assertThat(ObjectStates.canTransfer(AtomicInteger.class)).isTrue();
        assertThat(ObjectStates.canTransfer(Object.class)).isTrue();
    }

    @Test
    void canTransfer_refusesTypesWithoutTransferableState() {
        Supplier<String> lambda = () -> "hidden";
        assertThat(ObjectStates.canTransfer(Point.class)).as("record").isFalse();
        assertThat(ObjectStates.canTransfer(Colour.class)).as("enum").isFalse();
        assertThat(ObjectStates.canTransfer(Colour.GREEN.getClass())).as("enum constant body").isFalse();
        assertThat(ObjectStates.canTransfer(lambda.getClass())).as("hidden class").isFalse();
        assertThat(ObjectStates.canTransfer(int[].class)).as("array").isFalse();
        assertThat(ObjectStates.canTransfer(Runnable.class)).as("interface").isFalse();
        assertThat(ObjectStates.canTransfer(Shape.class)).as("abstract").isFalse();
        assertThat(ObjectStates.canTransfer(int.class)).as("primitive").isFalse();
        assertThat(ObjectStates.canTransfer(String.class)).as("string").isFalse();
        assertThat(ObjectStates.canTransfer(Integer.class)).as("boxed").isFalse();
        assertThat(ObjectStates.canTransfer(Class.class)).as("class").isFalse();
        assertThat(ObjectStates.canTransfer(Thread.class)).as("thread").isFalse();
        // cached answers are stable
        assertThat(ObjectStates.canTransfer(Point.class)).isFalse();
        assertThat(ObjectStates.canTransfer(Derived.class)).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // deepCopy
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void deepCopy_copiesApplicationClassWithFinalFieldsAndNoNoArgConstructor() {
        Derived original = new Derived(7, "seven", new long[] {7, 77}, 0.7, new ArrayList<>(List.of("t")));
        original.letter = 'z';

        Derived copy = ObjectStates.deepCopy(original);

        assertThat(copy).isNotSameAs(original);
        assertThat(copy.id()).isEqualTo(7);
        assertThat(copy.name).isSameAs(original.name);
        assertThat(copy.data()).containsExactly(7, 77).isNotSameAs(original.data());
        assertThat(copy.weight).isEqualTo(0.7);
        assertThat(copy.tags).containsExactly("t").isNotSameAs(original.tags);
        assertThat(copy.letter).isEqualTo('z');
    }

    @Test
    void deepCopy_isIndependentOfOriginalIncludingNestedArraysAndLists() {
        Map<String, StringBuilder> builders = new HashMap<>();
        builders.put("b", new StringBuilder("x"));
        Nested original = new Nested(new int[] {1, 2}, new int[][] {{1}, {2, 3}},
                new ArrayList<>(List.of(new ArrayList<>(List.of("a")), new LinkedList<>(List.of("b")))), builders,
                new Object[] {new int[] {5}, new ArrayList<>(List.of(1))});

        Nested copy = ObjectStates.deepCopy(original);
        copy.numbers[0] = 100;
        copy.grid[1][0] = 200;
        copy.grid[0] = new int[] {300};
        copy.lists.get(0).add("added");
        copy.lists.get(1).clear();
        copy.lists.add(new ArrayList<>());
        copy.builders.get("b").append("y");
        copy.builders.put("new", new StringBuilder());
        ((int[]) copy.mixed[0])[0] = 500;
        @SuppressWarnings("unchecked")
        List<Integer> mixedList = (List<Integer>) copy.mixed[1];
        mixedList.add(2);

        assertThat(original.numbers).containsExactly(1, 2);
        assertThat(original.grid[0]).containsExactly(1);
        assertThat(original.grid[1]).containsExactly(2, 3);
        assertThat(original.lists).hasSize(2);
        assertThat(original.lists.get(0)).containsExactly("a");
        assertThat(original.lists.get(1)).containsExactly("b");
        assertThat(original.builders).containsOnlyKeys("b");
        assertThat(original.builders.get("b").toString()).isEqualTo("x");
        assertThat((int[]) original.mixed[0]).containsExactly(5);
        assertThat(original.mixed[1]).isEqualTo(List.of(1));
        assertThat(copy.lists.get(0)).isInstanceOf(ArrayList.class).containsExactly("a", "added");
        assertThat(copy.lists.get(1)).isInstanceOf(LinkedList.class);
        assertThat(copy.builders.get("b").toString()).isEqualTo("xy");
    }

    @Test
    void deepCopy_preservesSharedReferencesAndCycles() {
        Node a = new Node("a");
        Node b = new Node("b");
        a.next = b;
        b.next = a;
        a.other = b;
        b.other = b;
        int[] shared = {1};
        List<Object> list = new ArrayList<>();
        list.add(shared);
        list.add(shared);
        list.add(list);
        list.add(a);
        Pair pair = new Pair(list, a);

        Pair copy = ObjectStates.deepCopy(pair);

        @SuppressWarnings("unchecked")
        List<Object> copiedList = (List<Object>) copy.left;
        Node copiedA = (Node) copy.right;
        assertThat(copiedList).isNotSameAs(list);
        assertThat(copiedList.get(0)).isSameAs(copiedList.get(1)).isNotSameAs(shared);
        assertThat(copiedList.get(2)).isSameAs(copiedList);
        assertThat(copiedList.get(3)).isSameAs(copiedA);
        assertThat(copiedA).isNotSameAs(a);
        assertThat(copiedA.next.next).isSameAs(copiedA);
        assertThat(copiedA.other).isSameAs(copiedA.next);
        assertThat(copiedA.next.other).isSameAs(copiedA.next);
        assertThat(copiedA.next.name).isEqualTo("b");
    }

    @Test
    void deepCopy_findsIdentityHashedKeysInCopiedHashMapsAndSets() {
        Key key = new Key("k");
        Map<Key, String> map = new HashMap<>();
        Set<Key> set = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Key other = new Key("k" + i);
            map.put(other, "v" + i);
            set.add(other);
        }
        map.put(key, "found");
        set.add(key);
        Holder original = new Holder(key, map, set);

        Holder copy = ObjectStates.deepCopy(original);

        assertThat(copy.key).isNotSameAs(key);
        assertThat(copy.map).hasSize(201).isInstanceOf(HashMap.class);
        assertThat(copy.map.get(copy.key)).isEqualTo("found");
        assertThat(copy.map.get(key)).isNull();
        assertThat(copy.set).hasSize(201).contains(copy.key).doesNotContain(key);
        for (Key k : copy.map.keySet()) {
            assertThat(copy.map.get(k)).as(k.name).isNotNull();
            assertThat(copy.set.contains(k)).as(k.name).isTrue();
        }
    }

    @Test
    void deepCopy_rehashesIdentityKeysInOtherHashedMaps() {
        Key key = new Key("k");
        Map<Key, String> linked = new LinkedHashMap<>();
        Map<Key, String> identity = new IdentityHashMap<>();
        Map<Key, String> concurrent = new ConcurrentHashMap<>();
        KeyedCache cache = new KeyedCache(10);
        Set<Key> immutableSet = Set.of(key, new Key("a"), new Key("b"), new Key("c"));
        Map<Key, String> immutableMap = Map.of(key, "found", new Key("a"), "a", new Key("b"), "b");
        for (int i = 0; i < 20; i++) {
            Key other = new Key("k" + i);
            linked.put(other, "v");
            identity.put(other, "v");
            concurrent.put(other, "v");
            cache.put(other, "v");
        }
        linked.put(key, "found");
        identity.put(key, "found");
        concurrent.put(key, "found");
        cache.put(key, "found");
        Object[] original = {key, linked, identity, concurrent, cache, immutableSet, immutableMap};

        Object[] copy = ObjectStates.deepCopy(original);

        Key copiedKey = (Key) copy[0];
        assertThat(copiedKey).isNotSameAs(key);
        for (int i = 1; i <= 4; i++) {
            @SuppressWarnings("unchecked")
            Map<Key, String> copiedMap = (Map<Key, String>) copy[i];
            assertThat(copiedMap).as(copiedMap.getClass().getName()).isNotSameAs(original[i])
                    .hasSameClassAs(original[i]);
            assertThat(copiedMap.get(copiedKey)).as(copiedMap.getClass().getName()).isEqualTo("found");
        }
        KeyedCache copiedCache = (KeyedCache) copy[4];
        assertThat(copiedCache).hasSize(10);
        assertThat(copiedCache.keySet().stream().map(k -> k.name))
                .containsExactlyElementsOf(cache.keySet().stream().map(k -> k.name).toList());
        @SuppressWarnings("unchecked")
        Set<Key> copiedSet = (Set<Key>) copy[5];
        assertThat(copiedSet).hasSize(4).contains(copiedKey).doesNotContain(key);
        @SuppressWarnings("unchecked")
        Map<Key, String> copiedImmutableMap = (Map<Key, String>) copy[6];
        assertThat(copiedImmutableMap).hasSize(3).containsEntry(copiedKey, "found");
        assertThatThrownBy(() -> copiedImmutableMap.put(new Key("x"), "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void deepCopy_keepsComparatorsOrderingAndAccessOrder() {
        Comparator<String> byLength = Comparator.comparingInt(String::length);
        TreeMap<String, List<String>> tree = new TreeMap<>(byLength.thenComparing(Comparator.reverseOrder()));
        tree.put("bb", new ArrayList<>(List.of("x")));
        tree.put("a", new ArrayList<>());
        tree.put("ccc", new ArrayList<>());
        PriorityQueue<String> queue = new PriorityQueue<>(Comparator.reverseOrder());
        queue.addAll(List.of("a", "c", "b"));
        LinkedHashMap<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
        lru.put("one", 1);
        lru.put("two", 2);
        lru.get("one");
        ArrayDeque<String> deque = new ArrayDeque<>(List.of("first", "second"));

        TreeMap<String, List<String>> treeCopy = ObjectStates.deepCopy(tree);
        PriorityQueue<String> queueCopy = ObjectStates.deepCopy(queue);
        LinkedHashMap<String, Integer> lruCopy = ObjectStates.deepCopy(lru);
        ArrayDeque<String> dequeCopy = ObjectStates.deepCopy(deque);

        assertThat(treeCopy.comparator()).isSameAs(tree.comparator());
        assertThat(treeCopy.keySet()).containsExactly("a", "bb", "ccc");
        assertThat(treeCopy.get("bb")).containsExactly("x").isNotSameAs(tree.get("bb"));
        treeCopy.put("dd", List.of());
        assertThat(treeCopy.keySet()).containsExactly("a", "dd", "bb", "ccc");
        assertThat(tree).hasSize(3);
        assertThat(queueCopy.comparator()).isSameAs(queue.comparator());
        assertThat(queueCopy.poll()).isEqualTo("c");
        assertThat(queue).hasSize(3);
        assertThat(lruCopy.keySet()).containsExactly("two", "one");
        lruCopy.get("two");
        assertThat(lruCopy.keySet()).containsExactly("one", "two");
        assertThat(lru.keySet()).containsExactly("two", "one");
        assertThat(dequeCopy).containsExactly("first", "second");
        dequeCopy.pollFirst();
        assertThat(deque).hasSize(2);
    }

    @Test
    void deepCopy_copiesWrappedAndFixedSizeJdkCollections() {
        List<StringBuilder> inner = new ArrayList<>(List.of(new StringBuilder("a")));
        List<StringBuilder> unmodifiable = Collections.unmodifiableList(inner);
        List<StringBuilder> fixed = Arrays.asList(new StringBuilder("b"));
        List<StringBuilder> immutable = List.of(new StringBuilder("c"));
        EnumMap<Colour, StringBuilder> enumMap = new EnumMap<>(Colour.class);
        enumMap.put(Colour.GREEN, new StringBuilder("g"));
        Map<String, StringBuilder> synced = Collections.synchronizedMap(new HashMap<>());
        synced.put("s", new StringBuilder("s"));

        Object[] copy = ObjectStates.deepCopy(new Object[] {unmodifiable, fixed, immutable, enumMap, synced});

        @SuppressWarnings("unchecked")
        List<StringBuilder> unmodifiableCopy = (List<StringBuilder>) copy[0];
        assertThat(unmodifiableCopy.get(0)).isNotSameAs(inner.get(0)).hasToString("a");
        assertThatThrownBy(() -> unmodifiableCopy.add(new StringBuilder()))
                .isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<StringBuilder> fixedCopy = (List<StringBuilder>) copy[1];
        fixedCopy.get(0).append("!");
        assertThat(fixed.get(0)).hasToString("b");
        @SuppressWarnings("unchecked")
        List<StringBuilder> immutableCopy = (List<StringBuilder>) copy[2];
        assertThat(immutableCopy.get(0)).isNotSameAs(immutable.get(0)).hasToString("c");
        @SuppressWarnings("unchecked")
        EnumMap<Colour, StringBuilder> enumMapCopy = (EnumMap<Colour, StringBuilder>) copy[3];
        assertThat(enumMapCopy.get(Colour.GREEN)).hasToString("g").isNotSameAs(enumMap.get(Colour.GREEN));
        enumMapCopy.put(Colour.RED, new StringBuilder());
        assertThat(enumMap).containsOnlyKeys(Colour.GREEN);
        @SuppressWarnings("unchecked")
        Map<String, StringBuilder> syncedCopy = (Map<String, StringBuilder>) copy[4];
        syncedCopy.put("t", new StringBuilder());
        assertThat(syncedCopy).containsOnlyKeys("s", "t");
        assertThat(synced).containsOnlyKeys("s");
    }

    @Test
    void deepCopy_sharesImmutableAndIdentityObjects() {
        String string = new String("text");
        Integer boxed = 1_000_000;
        BigDecimal decimal = new BigDecimal("1.5");
        Point point = new Point(1, 2, new ArrayList<>());
        Supplier<String> lambda = () -> string;
        Path path = Path.of("some", "file");
        Duration duration = Duration.ofSeconds(3);
        Object[] original = {string, boxed, decimal, point, Colour.RED, Colour.GREEN, String.class, lambda, path,
                duration, Thread.currentThread()};

        Object[] copy = ObjectStates.deepCopy(original);

        assertThat(copy).isNotSameAs(original).hasSameSizeAs(original);
        for (int i = 0; i < original.length; i++) {
            assertThat(copy[i]).as("element %d", i).isSameAs(original[i]);
        }
        assertThat(ObjectStates.deepCopy(string)).isSameAs(string);
        assertThat(ObjectStates.deepCopy(point)).isSameAs(point);
        assertThat(ObjectStates.deepCopy(Colour.GREEN)).isSameAs(Colour.GREEN);
        assertThat(ObjectStates.<Object>deepCopy(null)).isNull();
    }

    @Test
    void deepCopy_sharesEmptyArraysAndStatelessObjects() {
        Object lock = new Object();
        Object[] empty = new Object[0];
        Comparator<String> stateless = String.CASE_INSENSITIVE_ORDER;
        Object[] original = {lock, empty, stateless};

        Object[] copy = ObjectStates.deepCopy(original);

        assertThat(copy[0]).isSameAs(lock);
        assertThat(copy[1]).isSameAs(empty);
        assertThat(copy[2]).isSameAs(stateless);
    }

    @Test
    void deepCopy_keepsExceptionsWorking() {
        IllegalStateException original = new IllegalStateException("boom", new RuntimeException("cause"));

        IllegalStateException copy = ObjectStates.deepCopy(original);
        copy.addSuppressed(new RuntimeException("later"));

        assertThat(copy).isNotSameAs(original).hasMessage("boom");
        assertThat(copy.getCause()).isNotSameAs(original.getCause()).hasMessage("cause");
        assertThat(copy.getStackTrace()).hasSameSizeAs(original.getStackTrace()).isNotEmpty();
        assertThat(copy.getSuppressed()).hasSize(1);
        assertThat(original.getSuppressed()).isEmpty();
    }

    @Test
    void deepCopy_handlesLongLinkedStructuresWithoutOverflowingTheStack() {
        Node head = new Node("0");
        Node tail = head;
        for (int i = 1; i < 200_000; i++) {
            tail.next = new Node(Integer.toString(i));
            tail = tail.next;
        }
        LinkedList<Integer> linked = new LinkedList<>();
        for (int i = 0; i < 200_000; i++) {
            linked.add(i);
        }

        Node copy = ObjectStates.deepCopy(head);
        LinkedList<Integer> linkedCopy = ObjectStates.deepCopy(linked);

        int count = 0;
        Node last = null;
        for (Node n = copy; n != null; n = n.next) {
            count++;
            last = n;
        }
        assertThat(count).isEqualTo(200_000);
        assertThat(last).isNotSameAs(tail);
        assertThat(last.name).isEqualTo("199999");
        assertThat(linkedCopy).hasSize(200_000);
        assertThat(linkedCopy.getLast()).isEqualTo(199_999);
    }

    @Test
    void deepCopy_rejectsCycleThroughImmutableSet() {
        Object[] holder = new Object[1];
        Set<Object> set = Set.of((Object) holder);
        holder[0] = set;

        assertThatThrownBy(() -> ObjectStates.deepCopy(set))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void deepCopy_copiesArraysOfEveryKind() {
        Object[] original = {new boolean[] {true}, new byte[] {1}, new char[] {'c'}, new short[] {2},
                new int[] {3}, new long[] {4}, new float[] {5}, new double[] {6}, new String[] {"s"},
                new Colour[] {Colour.RED}, new Node[] {new Node("n")}};

        Object[] copy = ObjectStates.deepCopy(original);

        for (int i = 0; i < original.length; i++) {
            assertThat(copy[i]).as("element %d", i).isNotSameAs(original[i]).hasSameClassAs(original[i]);
        }
        assertThat((boolean[]) copy[0]).containsExactly(true);
        assertThat((double[]) copy[7]).containsExactly(6);
        assertThat((String[]) copy[8]).containsExactly("s");
        assertThat(((Node[]) copy[10])[0]).isNotSameAs(((Node[]) original[10])[0]);
        assertThat(((Node[]) copy[10])[0].name).isEqualTo("n");
    }

    @Test
    void sizeEstimate_tellsASmallGraphFromALargeOne_withoutWalkingPastTheCap() {
        record Point(int x, int y) {}
        java.util.List<Object> small = new java.util.ArrayList<>(java.util.List.of("abc", 1, new int[10]));
        long estimate = ObjectStates.estimatedSize(small, 1 << 16);
        assertThat(estimate).isBetween(40L, 1024L);

        double[][] rows = new double[64][4096]; // 2 MB
        assertThat(ObjectStates.estimatedSize(rows, 1 << 17)).as("stops once past the cap")
                .isGreaterThan(1 << 17).isLessThan((1 << 17) + 2 * 4096 * 8);
        Object[] cycle = new Object[1];
        cycle[0] = cycle;
        assertThat(ObjectStates.estimatedSize(cycle, 1 << 16)).as("a cycle is walked once").isLessThan(64);
        assertThat(ObjectStates.estimatedSize(new Point(1, 2), 1 << 16)).as("a record: only serialising tells")
                .isEqualTo(-1);
    }
}
