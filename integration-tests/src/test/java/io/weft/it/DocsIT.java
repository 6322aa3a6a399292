package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The documentation agrees with the code: the programs of the README and of the getting-started guide print the
 * same with and without the agent, and what the docs say they print; every option of the agent's parser is in the
 * table of {@code docs/agent-options.md}, and nothing else is; and every sample of what Weft prints is what it
 * prints now.
 *
 * <p>A sample is a fenced block preceded by a line {@code <!-- weft-sample: NAME -->}; {@link #GENERATORS} makes
 * the real text for each name, by running the agent, and says how to compare (numbers such as times and counts
 * may differ). Every fenced block that starts with Weft's words ({@code weft: …}, {@code weft [}) must be marked:
 * a sample nothing checks here is marked {@code weft-sample: unchecked: why}, naming the test that covers it.
 */
class DocsIT {
    private static final Path ROOT = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath()
            .normalize();
    private static final Pattern MARKER = Pattern.compile("^\\s*<!-- weft-sample: (.+?) -->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```(\\w*)\\s*$");

    /** The documents whose samples are checked. */
    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("examples/README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** A fenced block of a document: its language, text (indentation of the fence removed) and marker, if any. */
    record Block(Path file, int line, String language, String text, String marker) {
        @Override
        public String toString() {
            return ROOT.relativize(file) + ":" + line;
        }

        List<String> lines() {
            return List.of(text.split("\n"));
        }
    }

    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).trim().equals("```")) {
                String l = lines.get(j);
                text.append(l.startsWith(indent) ? l.substring(indent.length()) : l.strip()).append('\n');
                j++;
            }
            String marker = null;
            for (int k = i - 1; k >= 0 && k >= i - 2; k--) {
                Matcher m = MARKER.matcher(lines.get(k));
                if (m.matches()) {
                    marker = m.group(1).trim();
                    break;
                }
                if (!lines.get(k).isBlank()) {
                    break;
                }
            }
            blocks.add(new Block(file, i + 1, open.group(2), text.toString(), marker));
            i = j;
        }
        return blocks;
    }

    // ---------------------------------------------------------------- programs of the README and getting-started

    @Test
    void programsOfTheReadmeAndGettingStarted_printTheSameWithAndWithoutTheAgent_asTheDocsSay() throws Exception {
        int programs = 0;
        for (Path doc : List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/getting-started.md"))) {
            for (Block b : blocks(doc)) {
                if (!b.language().equals("java") || !b.text().contains("public static void main")) {
                    continue;
                }
                programs++;
                String main = className(b.text());
                Path classes = program(main, b.text());
                ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run(main);
                assertThat(sequential.exitCode()).as("%s without the agent: %s", b, sequential).isZero();
                ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("summary=true").classPath(classes)
                        .run(main);
                assertThat(parallel.exitCode()).as("%s with the agent: %s", b, parallel).isZero();
                assertThat(parallel.stdout()).as("%s with the agent", b).isEqualTo(sequential.stdout());
                assertThat(parallel.stderr()).as("%s ran tasks", b).containsPattern("weft: [1-9]\\d* tasks?, 0 failed");
            }
        }
        assertThat(programs).as("programs in README.md and docs/getting-started.md").isGreaterThanOrEqualTo(2);
    }

    private static String className(String source) {
        Matcher m = Pattern.compile("(?m)^public (?:final )?class (\\w+)").matcher(source);
        assertThat(m.find()).as("a public class in:\n%s", source).isTrue();
        return m.group(1);
    }

    // ---------------------------------------------------------------- agent options

    @Test
    void everyOptionTheAgentKnows_isInTheTable_andTheTableHasNoOther() throws Exception {
        Set<String> known = knownOptions();
        Set<String> documented = new TreeSet<>();
        List<String> lines = Files.readAllLines(ROOT.resolve("docs/agent-options.md"));
        int start = lines.indexOf("## Options");
        assertThat(start).as("docs/agent-options.md has '## Options'").isNotNegative();
        Pattern row = Pattern.compile("^\\| `([A-Za-z]+)` \\|");
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher m = row.matcher(lines.get(i));
            if (m.find()) {
                documented.add(m.group(1));
            }
        }
        assertThat(documented).as("options in the table of docs/agent-options.md, against the agent's parser")
                .containsExactlyInAnyOrderElementsOf(known);
    }

    /** The options the agent's parser knows, as its error for an unknown one lists them. */
    private static Set<String> knownOptions() throws Exception {
        String error = agentError("xyzzyq=1");
        Matcher m = Pattern.compile("Known options: (.*)\\.$", Pattern.MULTILINE).matcher(error);
        assertThat(m.find()).as("the agent's error for an unknown option: %s", error).isTrue();
        return new TreeSet<>(List.of(m.group(1).split(", ")));
    }

    // ---------------------------------------------------------------- message samples

    @Test
    void everySampleOfWeftsWords_isMarked_withAKnownName() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Path doc : documents()) {
            for (Block b : blocks(doc)) {
                boolean weftsWords = !b.language().equals("java") && !b.language().equals("xml")
                        && !b.language().equals("sh") && b.lines().stream().anyMatch(
                                l -> l.startsWith("weft: ") || l.startsWith("weft [") || l.contains(":0:0: "));
                if (b.marker() == null && weftsWords) {
                    problems.add(b + ": a sample of what Weft prints without a <!-- weft-sample: … --> marker");
                } else if (b.marker() != null && generator(b.marker()) == null
                        && !b.marker().startsWith("unchecked:")) {
                    problems.add(b + ": unknown sample '" + b.marker() + "'; known: " + GENERATORS.keySet());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> eachMarkedSample_isWhatTheCodePrints() throws Exception {
        List<Block> marked = new ArrayList<>();
        for (Path doc : documents()) {
            // A sample marked unchecked says which test covers it instead; it is not a test here (nor a skipped one).
            blocks(doc).stream().filter(b -> b.marker() != null && !b.marker().startsWith("unchecked:"))
                    .forEach(marked::add);
        }
        assertThat(marked).as("marked samples").isNotEmpty();
        Map<String, Generated> cache = new LinkedHashMap<>();
        return marked.stream().map(b -> DynamicTest.dynamicTest(b + " " + b.marker(), () -> {
            Generator g = generator(b.marker());
            assertThat(g).as("%s: no generator for '%s'", b, b.marker()).isNotNull();
            Generated real = cache.get(b.marker());
            if (real == null) {
                real = g.generate(b.marker());
                cache.put(b.marker(), real);
            }
            real.compare.check(b, real.text);
        }));
    }

    /** The real text of a sample, and how a doc's sample must match it. */
    record Generated(String text, Comparison compare) {}

    @FunctionalInterface
    interface Generator {
        Generated generate(String name) throws Exception;
    }

    @FunctionalInterface
    interface Comparison {
        void check(Block sample, String real);
    }

    /** Equal once every number (times, counts, ids, process ids) is replaced by N. */
    static final Comparison SAME_BUT_NUMBERS = (b, real) -> assertThat(numbersOut(b.text().strip()))
            .as("%s (numbers aside), against what the code prints:\n%s", b, real).isEqualTo(numbersOut(real.strip()));
    /** Each line of the sample is one of the lines the code printed. */
    static final Comparison EACH_LINE_PRINTED = (b, real) -> {
        Set<String> printed = new LinkedHashSet<>(List.of(real.split("\n")));
        for (String line : b.lines()) {
            assertThat(printed).as("%s: the line\n%s\nagainst what the code prints", b, line).contains(line);
        }
    };
    /** The sample's lines, but those with "…" (elided), appear in this order among the printed ones. */
    static final Comparison LINES_IN_ORDER = (b, real) -> assertThat(List.of(real.split("\n")))
            .as("%s, against what the code prints", b)
            .containsSubsequence(b.lines().stream().filter(l -> !l.contains("…")).toList());

    static String numbersOut(String text) {
        return text.replaceAll("\\d+", "N");
    }

    private static Generator generator(String marker) {
        String name = marker.contains(" ") ? marker.substring(0, marker.indexOf(' ')) : marker;
        return GENERATORS.get(name);
    }

    private static final Map<String, Generator> GENERATORS = generators();

    private static Map<String, Generator> generators() {
        Map<String, Generator> generators = new LinkedHashMap<>();
        // The end-of-run summary of a run in this process.
        generators.put("summary", name -> new Generated(weftLines(ChildJvm.withAgent()
                .agentArgs("summary=true,threads=2")
                .classPath(program("Tasks", TASKS)).run("Tasks").stderr()), SAME_BUT_NUMBERS));
        // The summary of the matmul example on a local cluster of three workers, with what came home.
        generators.put("summary-workers", name -> new Generated(weftLines(ChildJvm.withAgent()
                .agentArgs("summary=true,workers=3").classPath(ChildJvm.EXAMPLES)
                .run("io.weft.examples.matmul.Matmul", "4", "256").stderr()), SAME_BUT_NUMBERS));
        // The progress bar's last state, as a terminal shows it.
        generators.put("progress", name -> {
            ChildJvm.Result run = ChildJvm.withAgent().agentArgs("progress=true,threads=2")
                    .classPath(program("Tasks", TASKS)).run("Tasks", "4000");
            List<String> screen = ConsoleOutputIT.render(run.stderr());
            return new Generated(screen.stream().filter(l -> l.startsWith("weft [")).reduce((a, b) -> b)
                    .orElse("(no bar drawn)"), (b, real) -> assertThat(bars(b.text().strip()))
                            .as("%s, against %s", b, real).isEqualTo(bars(real)));
        });
        // The agent's one-line errors for bad options.
        generators.put("agent-errors", name -> {
            StringBuilder all = new StringBuilder();
            for (String args : List.of("thread=4", "xyzzyq=1", "threads=0", "summary=yes", "foo")) {
                all.append(agentError(args)).append('\n');
            }
            all.append(agentError(null, "-Dweft.sumary=true")).append('\n');
            return new Generated(all.toString(), EACH_LINE_PRINTED);
        });
        // A direction on an int (E), or a direction on a method that is not a task (E2).
        generators.put("declaration-error", name -> {
            String main = name.substring("declaration-error ".length());
            String source = main.equals("E") ? BAD_TASK : NOT_A_TASK;
            ChildJvm.Result run = ChildJvm.withAgent().classPath(program(main, source)).run(main);
            assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
            return new Generated(run.stderr(), (b, real) -> assertThat(b.text().strip()).as("%s", b)
                    .isEqualTo(real.strip()));
        });
        // A task that throws, its result touched by main.
        generators.put("task-failure", name -> new Generated(ChildJvm.withAgent().classPath(program("Fail", FAIL))
                .run("Fail").stderr(), EACH_LINE_PRINTED));
        // A task fails unnoticed, then main throws its own exception.
        generators.put("main-throws", name -> new Generated(ChildJvm.withAgent()
                .classPath(program("Main", MAIN_THROWS)).run("Main").stderr(), LINES_IN_ORDER));
        // A thread that has waited long.
        generators.put("wait-warning", name -> new Generated(ChildJvm.withAgent().agentArgs("waitWarning=1")
                .classPath(program("Main", WAITS)).run("Main").stderr(), SAME_BUT_NUMBERS));
        // A resources file that is not there, named relative to the working directory.
        generators.put("missing-resources", name -> {
            String err = ChildJvm.withAgent().agentArgs("resources=examples/resources/missing.xml").in(ROOT)
                    .classPath(program("Tasks", TASKS)).run("Tasks").stderr();
            return new Generated(err.replace(ROOT.toString(), "/home/alice/weft"), EACH_LINE_PRINTED);
        });
        // What a program of the README or getting-started prints, without the agent (the program test shows the
        // agent changes nothing).
        generators.put("output-of", name -> {
            String main = name.substring("output-of ".length());
            for (Path doc : List.of(ROOT.resolve("README.md"), ROOT.resolve("docs/getting-started.md"))) {
                for (Block b : blocks(doc)) {
                    if (b.language().equals("java") && b.text().contains("public static void main")
                            && className(b.text()).equals(main)) {
                        ChildJvm.Result run = ChildJvm.sequential().classPath(program(main, b.text())).run(main);
                        return new Generated(run.stdout(), (sample, real) -> assertThat(sample.text())
                                .as("%s", sample).isEqualTo(real));
                    }
                }
            }
            throw new AssertionError("no program " + main + " in README.md or docs/getting-started.md");
        });
        return generators;
    }

    private static String bars(String text) {
        return numbersOut(text.replaceAll("\\[[# ]*]", "[bar]"));
    }

    /** The lines of Weft's own (starting "weft: "), for the summary. */
    private static String weftLines(String stderr) {
        return String.join("\n", stderr.lines().filter(l -> l.startsWith("weft: ")).toList());
    }

    private static final Map<String, Path> COMPILED = new LinkedHashMap<>();

    /**
     * Compiles a one-class program as the docs do ({@code javac -cp weft-api.jar -d app Main.java}: no
     * {@code -parameters}, so messages name parameters by position only), once per source.
     */
    private static Path program(String main, String source) throws Exception {
        Path classes = COMPILED.get(main + source.hashCode());
        if (classes == null) {
            Path src = TemporaryFolders.directory("weft-src");
            classes = TemporaryFolders.directory("weft-classes");
            Path file = Files.writeString(src.resolve(main + ".java"), source);
            int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                    "-cp", ChildJvm.API.toAbsolutePath().toString(), "--release", "17", file.toString());
            assertThat(rc).as("javac of %s:\n%s", main, source).isZero();
            COMPILED.put(main + source.hashCode(), classes);
        }
        return classes;
    }

    private static String agentError(String agentArgs, String... jvmOptions) throws Exception {
        ChildJvm jvm = ChildJvm.withAgent().classPath(program("Tasks", TASKS));
        if (agentArgs != null) {
            jvm.agentArgs(agentArgs);
        }
        for (String o : jvmOptions) {
            jvm.jvmOption(o);
        }
        ChildJvm.Result run = jvm.run("Tasks");
        assertThat(run.exitCode()).as("a bad option stops the JVM with status 2: %s", run).isEqualTo(2);
        return run.stderr().strip();
    }

    // ---------------------------------------------------------------- the programs that make the samples

    /** Tasks that each return a block of numbers; main sums them. Argument: how many (default 96). */
    static final String TASKS = """
            import io.weft.api.*;
            public class Tasks {
                static final class Block { double[] v = new double[1000]; }
                @Task static Block make(int seed) {
                    Block b = new Block();
                    for (int i = 0; i < b.v.length; i++) b.v[i] = Math.sin(seed * 1000 + i);
                    try { Thread.sleep(1); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                    return b;
                }
                public static void main(String[] args) {
                    int n = args.length > 0 ? Integer.parseInt(args[0]) : 96;
                    Block[] blocks = new Block[n];
                    for (int i = 0; i < n; i++) blocks[i] = make(i);
                    double total = 0;
                    for (Block b : blocks) total += b.v[0];
                    System.out.println(total);
                }
            }
            """;

    static final String BAD_TASK = """
            import io.weft.api.*;
            public class E {
                @Task static void bad(@InOut int x) {}
                public static void main(String[] args) { bad(1); }
            }
            """;

    static final String NOT_A_TASK = """
            import io.weft.api.*;
            public class E2 {
                static void notTask(@InOut int[] a) {}
                public static void main(String[] args) { notTask(new int[1]); }
            }
            """;

    static final String FAIL = """
            import io.weft.api.*;
            public class Fail {
                static final class Result { int v; }
                @Task static Result boom(int input) {
                    if (input == 0) throw new IllegalStateException("bad input " + input);
                    Result r = new Result();
                    r.v = input;
                    return r;
                }
                public static void main(String[] args) {
                    Result r = boom(0);
                    System.out.println(r.v);
                }
            }
            """;

    /** Line 10 is main's throw, as the sample says. */
    static final String MAIN_THROWS = """
            import io.weft.api.*;
            public class Main {
                static final class Box { int v; }
                @Task static void boom(@InOut Box b) { throw new IllegalStateException("task boom"); }
                public static void main(String[] args) throws Exception {
                    Box b = new Box();
                    boom(b);
                    // main never touches b: the failure goes unnoticed until main throws
                    Thread.sleep(200);
                    throw new java.io.IOException("main's own");
                }
            }
            """;

    static final String WAITS = """
            import io.weft.api.*;
            public class Main {
                static final class Box { long v; }
                @Task static void spin(@InOut Box b) {
                    try { Thread.sleep(2500); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                    b.v++;
                }
                public static void main(String[] args) {
                    Box b = new Box();
                    spin(b);
                    System.out.println(b.v);
                }
            }
            """;
}
