package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The job scripts {@code weft submit} writes, compared with golden files in
 * {@code src/test/resources/io/weft/launcher/job-scripts/}: one per set of options. After a deliberate change to the
 * script, regenerate them and review the difference with git:
 *
 * <pre>mvn -pl launcher test -Dtest=JobScriptTest -Dweft.golden.update=true</pre>
 *
 * <p>The program's folder is a temporary one, written {@code /home/alice/app} in the files.
 */
class JobScriptTest {
    private static final Path GOLDEN = Path.of("src/test/resources/io/weft/launcher/job-scripts");
    private static final boolean UPDATE = Boolean.getBoolean("weft.golden.update");
    private static final String APP = "/home/alice/app";
    private static final String RUN = "/home/alice/.weft/runs/Main-20261206-120000-1a2b";

    @TempDir
    static Path app;

    @BeforeAll
    static void program() throws IOException {
        Path cls = app.resolve("classes/com/acme/Main.class");
        Files.createDirectories(cls.getParent());
        Files.write(cls, new byte[0]);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "com.acme.Main");
        try (OutputStream out = Files.newOutputStream(app.resolve("app.jar"));
                JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.putNextEntry(new java.util.jar.JarEntry("com/acme/Main.class"));
            jar.closeEntry();
        }
    }

    static Stream<Arguments> optionSets() {
        return Stream.of(
                Arguments.of("three-nodes", "--nodes 3 -cp {app}/classes com.acme.Main"),
                Arguments.of("one-node", "--time 10m -cp {app}/classes com.acme.Main input.txt"),
                Arguments.of("every-batch-option", "--nodes 4 --time 1-12:00 --partition gpu --qos high --account"
                        + " proj42 --cpus-per-node 48 --gpus-per-node 4 --node-memory 256G --worker-in-master-cpus 8"
                        + " --job-name sim --dependency afterok:1234 --reservation maint --constraint skylake"
                        + " --exclusive --network-interface ib0 --master-working-dir /scratch/alice/run"
                        + " --worker-working-dir shared_disk --sbatch-flag=--mail-type=END"
                        + " --sbatch-flag=--mail-user=alice@example.org -cp {app}/classes com.acme.Main in.txt"),
                Arguments.of("run-options", "-N 2 -t 30 --summary --no-progress --scheduler fifo --log-level debug"
                        + " --jvm-option=-Xmx8g --worker-jvm-option=-Xmx4g --wall-clock-limit 20m --master-port 47000"
                        + " -A check=true --master-working-dir local_disk --network-interface=-ib0"
                        + " -cp {app}/lib.jar -jar {app}/app.jar --input x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionSets")
    void jobScript_isTheGoldenOne(String name, String options) throws IOException {
        String script = script(options);
        Path golden = GOLDEN.resolve(name + ".sh");
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, script, StandardCharsets.UTF_8);
            return;
        }
        assertThat(golden).as("golden file; regenerate with -Dweft.golden.update=true").exists();
        assertThat(script).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @Test
    void programArguments_keepTheirSpacesAndQuotes() {
        String script = script("--nodes 2 -cp {app}/classes com.acme.Main");
        assertThat(script).contains("program=(-cp /home/alice/app/classes com.acme.Main)");
        SubmitCommand c = parse(List.of("--nodes", "2", "-cp", app + "/classes", "com.acme.Main", "two words",
                "it's", "--summary"));
        String text = JobScript.render(c.jobSpec(Path.of("/opt/weft/bin/weft"), RUN, Path.of("/home/alice"),
                c.program())).replace(app.toString(), APP);
        // After the main class, --summary is the program's, not Weft's.
        assertThat(text).contains("com.acme.Main 'two words' 'it'\\''s' --summary)");
    }

    @Test
    void runOptionsTheJobSetsItself_areRefused() {
        for (String option : List.of("--resources=x.xml", "--project=x.xml", "--workers=2", "--work-dir=.")) {
            assertThatThrownBy(() -> script("--nodes 2 " + option + " -cp {app}/classes com.acme.Main"))
                    .isInstanceOf(LauncherException.class).hasMessageContaining("is not for weft submit");
        }
    }

    @Test
    void badBatchOptions_areNamedWithWhatIsAccepted() {
        assertThatThrownBy(() -> script("--worker-in-master-cpus 0 -cp {app}/classes com.acme.Main"))
                .hasMessage("--worker-in-master-cpus 0 with --nodes 1: no node would run tasks");
        assertThatThrownBy(() -> script("--time soon -cp {app}/classes com.acme.Main"))
                .hasMessageStartingWith("--time soon: expected a time limit as SLURM writes it");
        assertThatThrownBy(() -> script("--node-memory 2X -cp {app}/classes com.acme.Main"))
                .hasMessageStartingWith("--node-memory 2X: expected a size as SLURM's --mem takes it");
        assertThatThrownBy(() -> script("--sbatch-flag=mail -cp {app}/classes com.acme.Main"))
                .hasMessageStartingWith("--sbatch-flag mail: expected one option of sbatch");
        assertThatThrownBy(() -> script("--cpus-per-node 4 --worker-in-master-cpus 6 -cp {app}/classes"
                + " com.acme.Main")).hasMessageContaining("more than the 4 CPUs asked on each node");
        assertThatThrownBy(() -> script("--nodes 0 -cp {app}/classes com.acme.Main"))
                .hasMessageContaining("--nodes 0: expected a whole number of at least 1");
    }

    @Test
    void signalLead_isHalfTheMastersMargin() {
        assertThat(SubmitCommand.stopMargin(60)).isEqualTo(20);
        assertThat(SubmitCommand.stopMargin(3600)).isEqualTo(300);
        assertThat(SubmitCommand.stopMargin(1800)).isEqualTo(180);
        assertThat(JobScript.signalLead(60L)).isEqualTo(10);
        assertThat(JobScript.signalLead(3600L)).isEqualTo(150);
        assertThat(JobScript.signalLead(null)).isEqualTo(60);
    }

    /**
     * SLURM's warning (SIGUSR1) can come up to a minute early, so also while the script ends what it started after
     * the master stopped at its own limit: the script then still ends with the run's status, here 124, not killed by
     * the signal (138). The script's own functions, run by bash, with a worker step that takes a second to leave.
     */
    @Test
    void slurmsWarningDuringTheCleanUp_doesNotEndTheScript() throws Exception {
        Path run = Files.createDirectories(app.resolve("run"));
        String test = "run=" + run + "; job=7; signal_lead=10\n" + JobScript.FUNCTIONS
                + "sleep 1 & worker_pids+=(\"$!\") worker_nodes+=(node1)\n"
                + "( sleep 0.3; kill -USR1 $$ ) &\n"
                + "cleanup 2; trap - EXIT\n"
                + "exit 124\n";
        Process bash = new ProcessBuilder("bash", "-c", test).redirectErrorStream(true).start();
        String said = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor()).as("the script's status; it said: %s", said).isEqualTo(124);
    }

    @Test
    void nodeMemory_isReadAsSlurmReadsMem() {
        assertThat(SubmitCommand.memoryMb("500")).isEqualTo(500);
        assertThat(SubmitCommand.memoryMb("500M")).isEqualTo(500);
        assertThat(SubmitCommand.memoryMb("64G")).isEqualTo(64 * 1024);
        assertThat(SubmitCommand.memoryMb("1t")).isEqualTo(1024 * 1024);
        assertThat(SubmitCommand.memoryMb("2048K")).isEqualTo(2);
    }

    /** The script for {@code options} (words split at spaces, {@code {app}} the program's folder). */
    private static String script(String options) {
        List<String> args = new ArrayList<>();
        for (String w : options.split(" ")) {
            args.add(w.replace("{app}", app.toString()));
        }
        SubmitCommand c = parse(args);
        return JobScript.render(c.jobSpec(Path.of("/opt/weft/bin/weft"), RUN, Path.of("/home/alice/work"),
                c.program())).replace(app.toString(), APP);
    }

    private static SubmitCommand parse(List<String> args) {
        CommandLine cl = WeftCommand.commandLine(null);
        List<String> all = new ArrayList<>(List.of("submit"));
        all.addAll(args);
        cl.parseArgs(all.toArray(new String[0]));
        return cl.getSubcommands().get("submit").getCommand();
    }
}
