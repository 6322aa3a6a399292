package weftsamples;

import java.io.FileReader;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** Calls Block's tasks and uses Block objects in every way the instrumenter intercepts. Not the entry class. */
public final class Calls {
    public static void callStaticTask(Block b) {
        Block.scale(b, 2.0);
    }

    public static void callInstanceTask(Block target, Block other) {
        target.add(other);
    }

    public static void callInheritedTask(SubBlock target, Block other) {
        target.add(other);
    }

    public static void callFromLambda(Block b) {
        Runnable r = () -> Block.scale(b, 3.0);
        r.run();
    }

    public static void callViaMethodReference(Block b) {
        Consumer<Block> c = Block::touch;
        c.accept(b);
    }

    public static void callViaBoundMethodReference(Block target, Block other) {
        Consumer<Block> c = target::add;
        c.accept(other);
    }

    final class Inner {
        void go(Block b) {
            Block.scale(b, 4.0);
        }
    }

    static final class Nested {
        static void go(Block b) {
            Block.scale(b, 5.0);
        }
    }

    public static void callFromInnerClass(Block b) {
        Calls outer = new Calls();
        Inner inner = outer.new Inner();
        inner.go(b);
    }

    public static void callFromNestedClass(Block b) {
        Nested.go(b);
    }

    public static void callFromAnonymousClass(Block b) {
        new Runnable() {
            @Override
            public void run() {
                Block.scale(b, 6.0);
            }
        }.run();
    }

    public static int callIntTask(Block b) {
        return Block.count(b);
    }

    /** A static task named through a subclass: the call site says SubBlock, the method is Block's. */
    public static int callStaticTaskThroughSubclass(Block b) {
        return SubBlock.count(b);
    }

    public static Block callObjectTask(Block b) {
        return Block.copy(b);
    }

    public static void callPlainMethod(Block receiver, Block other) {
        receiver.plain(other, "label", 3);
    }

    /** Calls a method on an object and reads its field in a loop: each variable's object is asked for once. */
    public static double useInALoop(Block receiver, Block other) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            receiver.plain(other, "label", i);
            s += receiver.value;
        }
        return s;
    }

    /** Reads a field around task calls: each call makes the next read ask again. */
    public static double fieldAroundTasks(Block b, Block c) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            s += b.value;
            Block.touch(c);
        }
        return s;
    }

    /** One variable given objects in turn: each new one is asked for. */
    public static double switchBlocks(Block a, Block b) {
        Block x = a;
        double s = x.value + x.value;
        x = b;
        s += x.value;
        x = a;
        return s + x.value;
    }

    /** The first use fails (as a task that made the object failed): the next one asks again. */
    public static double fieldAfterFailure(Block b) {
        try {
            return b.value;
        } catch (IllegalStateException e) {
            return b.value + 1;
        }
    }

    public static void callLibraryMethod(List<Object> list, Block b, StringBuilder sb, String s) {
        list.add(b);
        sb.append(s);
    }

    public static void storeInCollections(List<Object> list, java.util.Map<Object, Object> map,
            java.util.Deque<Object> deque, Block key, Block value, Block other) {
        list.add(value);
        list.set(0, other);
        map.put(key, value);
        deque.offer(value);
        java.util.Collections.addAll(list, value, other);
        for (java.util.Map.Entry<Object, Object> e : map.entrySet()) {
            e.setValue(other);
        }
    }

    public static List<Block> storeInNewLists(Block a, Block b) {
        List<Block> two = List.of(a, b);
        List<Block> asList = java.util.Arrays.asList(a, b);
        return java.util.Optional.of(two).orElse(asList);
    }

    public static void addToSet(java.util.Set<Object> set, Block b) {
        set.add(b);
    }

    public static void callLibraryMethodWithStringAsObject(List<Object> list, String s) {
        list.contains(s);
    }

    public static double readField(Block b) {
        return b.value;
    }

    public static void writeField(Block b, double v) {
        b.value = v;
    }

    public static Block construct(double v) {
        return new Block(v);
    }

    public static Holder wrap(Block b) {
        return new Holder(b);
    }

    public static double readElement(double[] a, int i) {
        return a[i];
    }

    public static void writeElement(double[] a, int i, double v) {
        a[i] = v;
    }

    /** Reads every element twice, then doubles each: one variable, one array, asked for once. */
    public static double sumTwiceAndDouble(double[] a) {
        double s = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < a.length; i++) {
                s += a[i];
            }
        }
        for (int i = 0; i < a.length; i++) {
            a[i] *= 2;
        }
        return s;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Zeroes the positive elements, behind a branch in the loop; longs, whose values take two stack slots. */
    public static int clearPositive(long[] a, long bias) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] + bias > 0) {
                a[i] = 0L;
                n++;
            }
        }
        return n;
    }

    public static double sumValues(Block[] blocks) {
        double s = 0;
        for (int i = 0; i < blocks.length; i++) {
            Block b = blocks[i];
            s += b.value;
        }
        return s;
    }

    /** Reads the array around task calls: each call makes the next read ask again. */
    public static double readAroundTasks(double[] a, Block b) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            s += a[0];
            Block.scale(b, 1.0);
        }
        return s + a[0];
    }

    public static double sumInConstructor(double[] a) {
        return new Sums(a).total;
    }

    /** One slot, three variables in turn (javac reuses the slot of a variable whose scope ended). */
    public static double reusedSlot(double[] array) {
        double s = 0;
        {
            double[] a = array;
            s += a[0] + a[1];
        }
        {
            int j = 2;
            s += j;
        }
        {
            double[] b = array;
            s += b[0];
        }
        return s;
    }

    /** One variable given arrays in turn: each new one is asked for. */
    public static double switchArrays(double[] a, double[] b) {
        double[] x = a;
        double s = x[0] + x[1];
        x = b;
        s += x[0] + x[1];
        x = a;
        return s + x[0];
    }

    /** The index is a task's result: the access after the call asks again. */
    public static double indexFromTask(double[] a, Block b) {
        return a[0] + a[Block.count(b)];
    }

    /** The first access fails (as a task that made the array failed): the next one asks again. */
    public static double readAfterFailure(double[] a) {
        try {
            return a[0];
        } catch (IllegalStateException e) {
            return a[1];
        }
    }

    public static Block readObjectElement(Block[] a) {
        return a[0];
    }

    public static void writeObjectElement(Block[] a, Block b) {
        a[0] = b;
    }

    public static String concat(Block b) {
        return "x=" + b;
    }

    public static String concatMixed(long n, Block b, String s, double d) {
        return n + ":" + b + ":" + s + ":" + d;
    }

    public static String format(Block b) {
        return String.format("%s", b);
    }

    public static int open(String path) throws IOException {
        try (FileReader r = new FileReader(path)) {
            return r.read();
        }
    }

    /** The name of the method that is running: the twin's name on a task thread. */
    /** Runs a lambda, made here, on a thread of its own (as a parallel stream would); returns where it ran. */
    public static String lambdaOnAnotherThread(Block b) throws InterruptedException {
        String[] ranIn = new String[1];
        Thread t = new Thread(() -> {
            b.plain(b, "x", 1); // a use of b: waits, unless the lambda is task code
            ranIn[0] = new Throwable().getStackTrace()[0].getMethodName();
        });
        t.start();
        t.join();
        return ranIn[0];
    }

    public static String whoAmI() {
        return new Throwable().getStackTrace()[0].getMethodName();
    }

    public static void main(String[] args) {
        io.weft.instrument.SampleJournal.note("Calls.main");
    }
}
