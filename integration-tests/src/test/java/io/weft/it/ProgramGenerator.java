package io.weft.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random Weft programs: sequences of task calls with random directions over shared objects, arrays and
 * files, interleaved with the main program reading and writing the same data, waiting at barriers and taking
 * synchronous results. Every program is deterministic: run sequentially or in parallel it must print the same.
 *
 * <p>The tasks live in a shared class {@code gen.Ops}; concurrent and commutative tasks only add constants, so any
 * order among them gives the same value.
 *
 * <p>A generator made {@link #withUndeclaredWrites} also calls, now and then, a task that writes what it does not
 * declare: {@code Ops.sneakyAdd} changes a cell it takes as {@code @In}, {@code Ops.sneakyWrite} creates a file
 * whose name it gets as a {@code String}. Each call changes something, so the check mode must report each one.
 */
final class ProgramGenerator {
    static final String PACKAGE = "gen";

    /** The shared support classes: the datum type and the task library. */
    static List<String[]> supportSources() {
        String cell = """
                package gen;
                public final class Cell {
                    public long v;
                    public Cell(long v) { this.v = v; }
                    public long value() { return v; }
                    public void bump(long k) { v = v * 3 + k; }
                    @Override public String toString() { return "Cell(" + v + ")"; }
                }
                """;
        String ops = """
                package gen;
                import io.weft.api.*;
                import java.nio.file.*;
                public final class Ops {
                    private Ops() {}
                    static long readNumber(Path f) {
                        try { return Long.parseLong(Files.readString(f).trim()); }
                        catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                    static void writeNumber(Path f, long v) {
                        try { Files.writeString(f, Long.toString(v)); }
                        catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                    @Task public static void upd(@InOut Cell x, Cell y, long k) { x.v = x.v * 31 + y.v + k; }
                    @Task public static void out(@Out Cell x, Cell y, long k) { x.v = y.v * 7 + k; }
                    @Task public static Cell make(Cell y, long k) { return new Cell(y.v * 3 + k); }
                    @Task public static long read(Cell y) { return y.v; }
                    @Task public static void conc(@Concurrent Cell x, long k) { synchronized (x) { x.v += k; } }
                    @Task public static void comm(@Commutative Cell x, long k) { x.v += 3 * k; }
                    @Task public static void updArr(@InOut long[] a, Cell y, int i, long k) {
                        a[i] = a[i] * 17 + y.v + k;
                    }
                    @Task public static void fromArr(@InOut Cell x, long[] a) { x.v = x.v * 13 + a[0] + a[a.length - 1]; }
                    @Task public static void updFile(@InOut Path f, Cell y, long k) {
                        writeNumber(f, readNumber(f) * 11 + y.v + k);
                    }
                    @Task public static void outFile(@Out Path f, Cell y, long k) { writeNumber(f, y.v * 5 + k); }
                    @Task public static void fromFile(@InOut Cell x, Path f) { x.v = x.v * 5 + readNumber(f); }
                    @Task(receiver = Direction.INOUT) public static void viaMethod(@InOut Cell x, long k) { x.bump(k); }
                    @Task public static void sneakyAdd(Cell x, long k) { x.v += k + 1; }
                    // Failures, for generators made withFailures: on under -Dgen.failures=true (and in the worker
                    // processes, through workerJvmOptions), counting attempts in files under -Dgen.attempts.
                    public static boolean failing() { return Boolean.getBoolean("gen.failures"); }
                    static int attempt(String key) {
                        try {
                            Path p = Path.of(System.getProperty("gen.attempts"), key);
                            int n = Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) + 1 : 1;
                            Files.writeString(p, Integer.toString(n));
                            return n;
                        } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                    }
                    /** upd, after changing x and failing the first {@code fails} attempts (at most its retries). */
                    @Task public static void flaky(@InOut Cell x, Cell y, long k, String key, int fails) {
                        long before = x.v;
                        x.v = -999;
                        if (failing() && attempt(key) <= fails) throw new IllegalStateException("flaky " + key);
                        x.v = before * 31 + y.v + k;
                    }
                    @Task public static void flakyArr(@InOut long[] a, Cell y, int i, long k, String key, int fails) {
                        long before = a[i];
                        java.util.Arrays.fill(a, -1);
                        if (failing() && attempt(key) <= fails) throw new IllegalStateException("flaky " + key);
                        a[i] = before * 17 + y.v + k;
                    }
                    @Task(retries = 1) public static void flakyFile(@InOut Path f, Cell y, long k, String key, int fails) {
                        long before = readNumber(f);
                        writeNumber(f, -999);
                        if (failing() && attempt(key) <= fails) throw new IllegalStateException("flaky " + key);
                        writeNumber(f, before * 11 + y.v + k);
                    }
                    /** Always fails after changing x; its policy goes on as if it had not been called. */
                    @Task(onFailure = OnFailure.IGNORE) public static void ignored(@InOut Cell x, long k) {
                        x.v = -777;
                        throw new IllegalStateException("ignored");
                    }
                    /** Always fails after changing x; no retry, what reads x is cancelled. */
                    @Task(onFailure = OnFailure.CANCEL_SUCCESSORS) public static void doomed(@InOut Cell x, Cell y) {
                        x.v = -555;
                        throw new IllegalStateException("doomed");
                    }
                    @Task public static void sneakyWrite(String name, long v) { writeNumber(Path.of(name), v); }
                }
                """;
        String runner = """
                package gen;
                import java.nio.file.*;
                public final class Runner {
                    public static void main(String[] args) throws Exception {
                        // In the working directory, which the test makes for the run and deletes (or under
                        // -Dgen.base=DIR, a fresh folder there).
                        String in = System.getProperty("gen.base");
                        Path base = in == null ? Files.createDirectory(Path.of("gen-files"))
                                : Files.createTempDirectory(Path.of(in), "weft-gen");
                        for (String name : args) {
                            Path dir = Files.createDirectory(base.resolve(name));
                            System.out.println("== " + name);
                            Class.forName("gen." + name).getMethod("run", Path.class).invoke(null, dir);
                        }
                    }
                }
                """;
        return List.of(new String[] {"gen/Cell.java", cell}, new String[] {"gen/Ops.java", ops},
                new String[] {"gen/Runner.java", runner});
    }

    /** Tasks that write what they do not declare, called by {@link #withUndeclaredWrites} programs. */
    static final String SNEAKY = "Ops.sneaky";

    private final Random random;
    private final boolean undeclaredWrites;
    private final boolean failures;
    private int sneakyFiles;
    private String program;
    private int failingCalls;

    ProgramGenerator(long seed) {
        this(seed, false, false);
    }

    private ProgramGenerator(long seed, boolean undeclaredWrites, boolean failures) {
        this.random = new Random(seed);
        this.undeclaredWrites = undeclaredWrites;
        this.failures = failures;
    }

    /**
     * A generator whose programs also call tasks that fail under {@code -Dgen.failures=true}, with the failures
     * applied by hand to the sequential run: a {@code RETRY} task that changes its data, then fails up to its
     * retries and succeeds (sequentially: it succeeds at once); an {@code IGNORE} task that changes its data and
     * fails (sequentially: not called); a {@code CANCEL_SUCCESSORS} task whose failure the program waits for and
     * catches at once (sequentially: not called), after which a task rewrites the datum. Either way the program must
     * print the same.
     */
    static ProgramGenerator withFailures(long seed) {
        return new ProgramGenerator(seed, false, true);
    }

    /** A generator whose programs also make undeclared writes: one to three calls of the {@link #SNEAKY} tasks. */
    static ProgramGenerator withUndeclaredWrites(long seed) {
        return new ProgramGenerator(seed, true, false);
    }

    /** How many calls of the {@link #SNEAKY} tasks a program makes. */
    static int undeclaredWrites(String program) {
        return program.split(java.util.regex.Pattern.quote(SNEAKY), -1).length - 1;
    }

    /** One random program as a class {@code gen.<name>} with {@code public static void run(Path dir)}. */
    String program(String name) {
        int cells = 2 + random.nextInt(4);
        int arrays = 1 + random.nextInt(2);
        int files = 1 + random.nextInt(2);
        int statements = 8 + random.nextInt(30);
        program = name;
        StringBuilder b = new StringBuilder();
        b.append("package gen;\nimport io.weft.api.*;\nimport java.nio.file.*;\n");
        b.append("public final class ").append(name).append(" {\n");
        b.append("  public static void run(Path dir) throws Exception {\n");
        b.append("    Cell[] c = new Cell[").append(cells).append("];\n");
        for (int i = 0; i < cells; i++) {
            b.append("    c[").append(i).append("] = new Cell(").append(random.nextInt(10)).append(");\n");
        }
        for (int i = 0; i < arrays; i++) {
            b.append("    long[] a").append(i).append(" = new long[] {").append(random.nextInt(5)).append(", ")
                    .append(random.nextInt(5)).append(", ").append(random.nextInt(5)).append("};\n");
        }
        for (int i = 0; i < files; i++) {
            b.append("    Path f").append(i).append(" = dir.resolve(\"f").append(i).append(".txt\");\n");
            b.append("    Files.writeString(f").append(i).append(", \"").append(random.nextInt(9)).append("\");\n");
        }
        int sneaky = undeclaredWrites ? 1 + random.nextInt(3) : 0;
        for (int s = 0; s < statements; s++) {
            b.append("    ").append(statement(cells, arrays, files)).append('\n');
            if (failures && random.nextInt(3) == 0) {
                b.append("    ").append(failingStatement(cells, arrays, files)).append('\n');
            }
            if (sneaky > 0 && random.nextInt(statements - s) < sneaky) {
                b.append("    ").append(sneakyStatement(cells)).append('\n');
                sneaky--;
            }
        }
        for (int i = 0; i < cells; i++) {
            b.append("    System.out.println(\"c").append(i).append("=\" + c[").append(i).append("].v);\n");
        }
        for (int i = 0; i < arrays; i++) {
            b.append("    System.out.println(\"a").append(i).append("=\" + java.util.Arrays.toString(a").append(i)
                    .append("));\n");
        }
        for (int i = 0; i < files; i++) {
            b.append("    System.out.println(\"f").append(i).append("=\" + Files.readString(f").append(i)
                    .append("));\n");
        }
        b.append("  }\n}\n");
        return b.toString();
    }

    private String failingStatement(int cells, int arrays, int files) {
        String x = "c[" + random.nextInt(cells) + "]";
        String y = "c[" + random.nextInt(cells) + "]";
        long k = random.nextInt(100);
        String key = "\"" + program + "-" + failingCalls++ + "\"";
        int pick = random.nextInt(10);
        if (pick < 4) {
            return "Ops.flaky(" + x + ", " + y + ", " + k + "L, " + key + ", " + random.nextInt(3) + ");";
        } else if (pick < 5) {
            return "Ops.flakyArr(a" + random.nextInt(arrays) + ", " + y + ", " + random.nextInt(3) + ", " + k + "L, "
                    + key + ", " + random.nextInt(3) + ");";
        } else if (pick < 6) {
            return "Ops.flakyFile(f" + random.nextInt(files) + ", " + y + ", " + k + "L, " + key + ", "
                    + random.nextInt(2) + ");";
        } else if (pick < 8) {
            return "if (Ops.failing()) Ops.ignored(" + x + ", " + k + "L);";
        }
        return "if (Ops.failing()) { Ops.doomed(" + x + ", " + y + "); try { Weft.waitOn(" + x + ");"
                + " System.out.println(\"not failed\"); } catch (TaskFailedException e) {"
                + " System.out.println(\"caught \" + e.getCause().getMessage()); } }"
                + " else { System.out.println(\"caught doomed\"); } Ops.out(" + x + ", " + y + ", " + k + "L);";
    }

    private String sneakyStatement(int cells) {
        long k = random.nextInt(100);
        if (random.nextBoolean()) {
            return SNEAKY + "Add(c[" + random.nextInt(cells) + "], " + k + "L);";
        }
        return SNEAKY + "Write(dir.resolve(\"sneaky" + sneakyFiles++ + ".txt\").toString(), " + k + "L);";
    }

    private String statement(int cells, int arrays, int files) {
        String x = "c[" + random.nextInt(cells) + "]";
        String y = "c[" + random.nextInt(cells) + "]";
        String a = "a" + random.nextInt(arrays);
        String f = "f" + random.nextInt(files);
        long k = random.nextInt(100);
        int pick = random.nextInt(100);
        if (pick < 18) {
            return "Ops.upd(" + x + ", " + y + ", " + k + "L);";
        } else if (pick < 26) {
            return "Ops.out(" + x + ", " + y + ", " + k + "L);";
        } else if (pick < 34) {
            return x + " = Ops.make(" + y + ", " + k + "L);";
        } else if (pick < 42) {
            int n = 1 + random.nextInt(4);
            StringBuilder run = new StringBuilder();
            for (int i = 0; i < n; i++) {
                run.append("Ops.conc(").append(x).append(", ").append(random.nextInt(50)).append("L); ");
            }
            return run.toString();
        } else if (pick < 50) {
            int n = 1 + random.nextInt(4);
            StringBuilder run = new StringBuilder();
            for (int i = 0; i < n; i++) {
                run.append("Ops.comm(").append(x).append(", ").append(random.nextInt(50)).append("L); ");
            }
            return run.toString();
        } else if (pick < 57) {
            return "Ops.updArr(" + a + ", " + y + ", " + random.nextInt(3) + ", " + k + "L);";
        } else if (pick < 62) {
            return "Ops.fromArr(" + x + ", " + a + ");";
        } else if (pick < 68) {
            return "Ops.updFile(" + f + ", " + y + ", " + k + "L);";
        } else if (pick < 72) {
            return "Ops.outFile(" + f + ", " + y + ", " + k + "L);";
        } else if (pick < 77) {
            return "Ops.fromFile(" + x + ", " + f + ");";
        } else if (pick < 80) {
            return "Ops.viaMethod(" + x + ", " + k + "L);";
        } else if (pick < 84) {
            return "System.out.println(\"read \" + Ops.read(" + y + "));";
        } else if (pick < 88) {
            return "System.out.println(\"main sees \" + " + y + ".v);";
        } else if (pick < 91) {
            return x + ".v += " + k + ";";
        } else if (pick < 93) {
            return x + ".bump(" + k + ");";
        } else if (pick < 95) {
            return "System.out.println(\"" + a + "[1]=\" + " + a + "[1]); " + a + "[2] += " + k + ";";
        } else if (pick < 97) {
            return "System.out.println(\"" + f + " has \" + Files.readString(" + f + "));";
        } else if (pick < 98) {
            return "Files.writeString(" + f + ", \"" + k + "\");";
        } else {
            return "Weft.barrier();";
        }
    }
}
