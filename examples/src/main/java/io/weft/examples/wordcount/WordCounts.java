package io.weft.examples.wordcount;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many times each word occurs in some text: a mutable wrapper around a {@code HashMap}.
 *
 * <p>An ordinary class (no no-arg constructor, not {@code Serializable}) used as a task result. Not
 * thread-safe; the tasks that build one own it until they return it.
 */
public final class WordCounts {
    private final HashMap<String, Long> counts;

    /** Empty counts. */
    public WordCounts() {
        this(new HashMap<>());
    }

    private WordCounts(HashMap<String, Long> counts) {
        this.counts = counts;
    }

    /** A new object holding the counts of {@code a} and {@code b} added together; neither is changed. */
    public static WordCounts sum(WordCounts a, WordCounts b) {
        WordCounts result = new WordCounts(new HashMap<>(a.counts));
        b.counts.forEach(result::add);
        return result;
    }

    /** Counts {@code occurrences} more of {@code word}. */
    public void add(String word, long occurrences) {
        counts.merge(word, occurrences, Long::sum);
    }

    /** How many times {@code word} occurs (0 if never). */
    public long get(String word) {
        return counts.getOrDefault(word, 0L);
    }

    /** The number of words counted, with repetitions. */
    public long total() {
        long total = 0;
        for (long n : counts.values()) {
            total += n;
        }
        return total;
    }

    /** The number of different words. */
    public int distinct() {
        return counts.size();
    }

    /** The {@code n} most frequent words, by count descending and then by word ascending. */
    public List<Map.Entry<String, Long>> top(int n) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<String, Long>> top = new ArrayList<>();
        for (Map.Entry<String, Long> e : entries.subList(0, Math.min(n, entries.size()))) {
            top.add(Map.entry(e.getKey(), e.getValue()));
        }
        return top;
    }

    /** A copy of all counts. */
    public Map<String, Long> asMap() {
        return new HashMap<>(counts);
    }
}
