// In package weftsamples on purpose: see Block.java.
package weftsamples;

/** Sums an array in its constructor, after super(): the guarded accesses start there. */
public class Sums {
    public double total;

    public Sums(double[] a) {
        super();
        for (int i = 0; i < a.length; i++) {
            total += a[i];
        }
    }
}
