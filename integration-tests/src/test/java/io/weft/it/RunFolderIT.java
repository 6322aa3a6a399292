package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.it.ownlog.OwnLog4j;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The run folder ({@code runFolder=}): the master's and each worker's log and the descriptions the run used, which
 * run again as they are; nothing at all without one, not even log4j2's classes; and Weft's log4j2 never meets the
 * one a program brings, nor its configuration.
 */
class RunFolderIT {
    private static final String HELLO = """
            package hello;

            import io.weft.api.Task;

            public class Hello {
                @Task static int twice(int x) { return 2 * x; }

                public static void main(String[] args) {
                    System.out.println("twice 21 is " + twice(21));
                }
            }
            """;

    private static final String OWN_LOG4J2_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration name="the program's own" status="warn">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="program: %level %logger{1} - %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Root level="info"><AppenderRef ref="out"/></Root>
              </Loggers>
            </Configuration>
            """;

    private static Path hello() throws Exception {
        return SourcePrograms.compile(Map.of("hello/Hello.java", HELLO), "17");
    }

    @Test
    void withoutARunFolder_nothingIsWritten_andLog4jIsNeverLoaded() throws Exception {
        Path work = TemporaryFolders.directory("weft-no-run-folder");
        ChildJvm.Result r = ChildJvm.withAgent().jvmOption("-verbose:class").in(work).classPath(hello())
                .run("hello.Hello");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("twice 21 is 42").doesNotContain("org.apache.logging")
                .doesNotContain("io.weft.log.Log4jFile");
        assertThat(r.stderr()).isEmpty();
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aRunFolder_ofTwoWorkers_holdsEveryLogAndTheDescriptions_whichRunAgainAsTheyAre() throws Exception {
        Path classes = hello();
        Path folder = TemporaryFolders.directory("weft-run");
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("workers=2,awaitWorkers=true,runFolder=" + folder)
                .classPath(classes).run("hello.Hello");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo("twice 21 is 42\n");
        assertThat(r.stderr()).as("standard error is as without a run folder").isEmpty();
        assertThat(files(folder)).containsExactly("master.log", "project.xml", "resources.xml",
                "workers/worker1.log", "workers/worker2.log");
        String master = Files.readString(folder.resolve("master.log"));
        assertThat(master).contains("INFO  [main] WeftRuntimeProvider: the master starts")
                .contains("weft: worker worker1 serves").contains("weft: worker worker2 serves")
                .contains("RunStatistics: weft: 1 task, 0 failed")
                .doesNotContain("DEBUG");
        for (String node : List.of("worker1", "worker2")) {
            assertThat(Files.readString(folder.resolve("workers/" + node + ".log")))
                    .contains("WorkerMain: worker " + node + " starts")
                    .contains("WorkerMain: worker " + node + " serves")
                    .contains("WorkerMain: worker " + node + " leaves the run");
        }
        assertThat(Files.readString(folder.resolve("resources.xml"))).contains("<ComputeNode Name=\"worker2\">");

        Path again = TemporaryFolders.directory("weft-run-again");
        ChildJvm.Result rerun = ChildJvm.withAgent().agentArgs("resources=" + folder.resolve("resources.xml")
                + ",project=" + folder.resolve("project.xml") + ",runFolder=" + again + ",logLevel=debug")
                .classPath(classes).run("hello.Hello");

        assertThat(rerun.exitCode()).as("%s", rerun).isZero();
        assertThat(rerun.stdout()).isEqualTo(r.stdout());
        assertThat(rerun.stderr()).isEmpty();
        assertThat(Files.readString(again.resolve("resources.xml")))
                .isEqualTo(Files.readString(folder.resolve("resources.xml")));
        assertThat(Files.readString(again.resolve("project.xml")))
                .isEqualTo(Files.readString(folder.resolve("project.xml")));
        assertThat(Files.readString(again.resolve("master.log"))).contains("DEBUG [main] WorkerLauncher: worker"
                + " worker1 arguments: --node worker1");
        assertThat(files(again)).contains("workers/worker1.log", "workers/worker2.log");
    }

    @Test
    void aProgramWithItsOwnLog4j2_logsExactlyAsWithoutTheAgent_andWeftsLogGoesOnlyToTheRunFolder()
            throws Exception {
        Path config = TemporaryFolders.directory("weft-own-log4j2");
        Files.writeString(config.resolve("log4j2.xml"), OWN_LOG4J2_XML);
        Path[] classPath = {config, testClasses(), jarOf(org.apache.logging.log4j.LogManager.class),
            jarOf(org.apache.logging.log4j.core.LoggerContext.class)};

        ChildJvm.Result without = ChildJvm.sequential().classPath(classPath).run(OwnLog4j.class.getName());
        assertThat(without.exitCode()).as("%s", without).isZero();
        assertThat(without.stdout()).startsWith("program: INFO OwnLog4j - configured by the program's own\n")
                .contains("program: INFO OwnLog4j - squaring 3\n")
                .endsWith("program: WARN OwnLog4j - the sum of squares is 14\n");

        Path folder = TemporaryFolders.directory("weft-run");
        Path classes = config.resolve("classes.txt");
        // awaitWorkers: the run lasts long enough for Weft's log4j2 to load (a shorter one writes without it).
        ChildJvm.Result with = ChildJvm.withAgent().jvmOption("-Xlog:class+load:file=" + classes)
                .agentArgs("workers=2,awaitWorkers=true,logLevel=debug,runFolder=" + folder)
                .classPath(classPath).run(OwnLog4j.class.getName());

        assertThat(with.exitCode()).as("%s", with).isZero();
        String loaded = Files.readString(classes);
        assertThat(loaded).as("both log4j2s were loaded")
                .contains(" io.weft.internal.shaded.org.apache.logging.log4j.core.LoggerContext ")
                .contains(" org.apache.logging.log4j.core.LoggerContext ");
        assertThat(with.stdout()).isEqualTo(without.stdout());
        assertThat(with.stderr()).as("no word from either log4j2 about the other").isEqualTo(without.stderr());
        String master = Files.readString(folder.resolve("master.log"));
        assertThat(master).contains("WeftRuntimeProvider: the master starts").doesNotContain("OwnLog4j")
                .doesNotContain("program:");
        for (String node : List.of("worker1", "worker2")) {
            Path log = folder.resolve("workers/" + node + ".log");
            if (Files.exists(log)) { // a worker that came too late for any task may have been stopped first
                assertThat(Files.readString(log)).doesNotContain("squaring").doesNotContain("program:");
            }
        }
    }

    @Test
    void aRunFolder_ofARunInTheProgramsOwnJvm_holdsItsLogAndResources_evenWhenMainEndsAtOnce() throws Exception {
        // A run in the program's own JVM starts beside main, on a daemon thread. Even when main ends at once, the
        // folder gets the description of the run, whether or not the end of the run is logged there.
        Path noTask = SourcePrograms.compile(Map.of("notask/NoTask.java", """
                package notask;
                public class NoTask {
                    @io.weft.api.Task static int square(int x) { return x * x; }
                    public static void main(String[] args) {
                        int n = args.length == 0 ? -1 : Integer.parseInt(args[0]);
                        System.out.println(n < 0 ? "usage: NoTask N" : "" + square(n));
                    }
                }
                """), "17");
        for (String level : new String[] {"info", "warn"}) {
            Path folder = Files.createDirectories(TemporaryFolders.directory("weft-run").resolve(level));
            ChildJvm.Result r = ChildJvm.withAgent().agentArgs("logLevel=" + level + ",runFolder=" + folder)
                    .classPath(noTask).run("notask.NoTask");

            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).isEqualTo("usage: NoTask N\n");
            assertThat(files(folder)).as("logLevel=%s", level).contains("resources.xml");
            assertThat(Files.readString(folder.resolve("resources.xml"))).contains("<ComputeNode");
        }
    }

    @Test
    void aRunFolderThatDoesNotExist_stopsTheRunBeforeMain() throws Exception {
        Path missing = TemporaryFolders.directory("weft-run").resolve("missing");
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("runFolder=" + missing).classPath(hello())
                .run("hello.Hello");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("weft: error: option runFolder=" + missing
                + ": expected an existing folder (the weft command makes one for each run)\n");
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    private static Path testClasses() {
        return Path.of(System.getProperty("weft.test.classes", "target/test-classes"));
    }

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
