package io.weft.resources.internal.jaxb;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean…?": the accepted name closest to a mistyped one, by edit distance. */
final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate closest to {@code word}, ignoring case, if it is close enough to be a typo: at most one edit
     * for every four letters, and at most three. Case alone ({@code memory} for {@code Memory}) always counts.
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        int allowed = Math.min(3, Math.max(1, word.length() / 4));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(word)) {
                continue;
            }
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "; did you mean X?" with the closest candidate, or "". */
    static String didYouMean(String word, Collection<String> candidates, String prefix, String suffix) {
        return closest(word, candidates).map(c -> "; did you mean " + prefix + c + suffix + "?").orElse("");
    }

    /** Levenshtein distance, counting an adjacent transposition as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
