import io.weft.api.*;
public class Main {
    static class Acc { double total; int adds; void add(double v) { total += v; adds++; } }
    static class Holder { double[] values = new double[64]; }
    @Task static void scale(@InOut double[] x, double f) { for (int i = 0; i < x.length; i++) x[i] *= f; }
    @Task static void bump(@InOut Acc acc) { acc.total += 1000; }
    @Task static void shift(@InOut Holder h) { for (int i = 0; i < h.values.length; i++) h.values[i] += 0.5; }
    // The program's own loops over arrays and objects held in local variables, fields and results, with task calls
    // between them: each read after a task call that changes the datum must see what the task wrote.
    public static void main(String[] args) {
        double[] a = new double[64];
        Acc acc = new Acc();
        Holder h = new Holder();
        double sum = 0;
        for (int r = 0; r < 5; r++) {
            for (int i = 0; i < a.length; i++) a[i] += i;
            scale(a, 2.0);
            for (int i = 0; i < a.length; i++) sum += a[i];
            acc.add(sum);
            bump(acc);
            sum += acc.total + acc.adds;
            shift(h);
            for (int i = 0; i < h.values.length; i++) sum += h.values[i];
            double[] b = a;
            b[r] = -b[r];
            scale(b, 0.5);
            sum += a[r] + b[r + 1];
            a = new double[64];
            sum += a[0];
        }
        System.out.println("sum " + sum + " total " + acc.total + " adds " + acc.adds + " h0 " + h.values[0]);
    }
}
