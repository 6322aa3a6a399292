package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/launcher.md keeps a table of options per command, after a {@code <!-- weft-options: NAME -->} marker:
 * every option of the command's {@code --help} is in it, and nothing else.
 */
class LauncherDocsTest {
    private static final Path DOC = Path.of("../docs/launcher.md");
    private static final Pattern MARKER = Pattern.compile("<!-- weft-options: (\\S+) -->\\R((?:\\|.*\\R?)+)");
    private static final Pattern OPTION = Pattern.compile("`(-{1,2}[A-Za-z][-A-Za-z]*)");

    @Test
    void everyCommandsOptionsTable_listsExactlyItsOptions() throws Exception {
        String doc = Files.readString(DOC);
        CommandLine weft = WeftCommand.commandLine(null);
        Set<String> documentedCommands = new TreeSet<>();
        Matcher m = MARKER.matcher(doc);
        while (m.find()) {
            String command = m.group(1);
            documentedCommands.add(command);
            CommandLine sub = weft.getSubcommands().get(command);
            assertThat(sub).as("a command named %s", command).isNotNull();
            Set<String> documented = new TreeSet<>();
            for (String row : m.group(2).split("\\R")) {
                String first = row.split("\\|")[1];
                Matcher o = OPTION.matcher(first);
                while (o.find()) {
                    documented.add(o.group(1));
                }
            }
            Set<String> actual = new TreeSet<>();
            for (OptionSpec option : sub.getCommandSpec().options()) {
                if (option.hidden()) {
                    continue; // not for people: weft run's --run-folder is for weft submit's jobs
                }
                for (String name : option.names()) {
                    actual.add(name);
                    if (option.negatable() && name.startsWith("--")) {
                        actual.add("--no-" + name.substring(2));
                    }
                }
            }
            assertThat(documented).as("options of weft %s in docs/launcher.md", command).isEqualTo(actual);
        }
        Set<String> commands = new TreeSet<>(weft.getSubcommands().keySet());
        commands.remove("help");
        // Hidden commands (slurm-setup, which weft submit's job scripts run) are not for people.
        commands.removeIf(c -> weft.getSubcommands().get(c).getCommandSpec().usageMessage().hidden());
        assertThat(documentedCommands).as("commands with an options table").isEqualTo(commands);
    }

    @Test
    void unknownOption_namesTheNearest() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine weft = WeftCommand.commandLine(null);
        weft.getSubcommands().get("run").setErr(new java.io.PrintWriter(err));
        int status = weft.execute("run", "--wokers", "2", "Main");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--wokers'", "did you mean --workers");
    }

    @Test
    void runOptions_becomeAgentOptions() {
        RunOptions o = new RunOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            RunOptions options = o;
        }).parseArgs("--workers", "2", "--summary", "--wall-clock-limit", "1h30m", "-d", "-A", "check=true",
                "--worker-jvm-option=-Xmx1g", "--worker-jvm-option=-Xss8m");
        assertThat(o.agentOptions()).isEqualTo(Map.of("workers", "2", "summary", "true",
                "wallClockLimit", "5400", "logLevel", "debug", "check", "true",
                "workerJvmOptions", "-Xmx1g;-Xss8m"));
    }

    @Test
    void runFolderAsAnAgentOption_isRefused_beforeAFolderIsMade() {
        RunOptions o = new RunOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            RunOptions options = o;
        }).parseArgs("-A", "runFolder=/elsewhere");
        org.assertj.core.api.Assertions.assertThatThrownBy(o::agentOptions).isInstanceOf(LauncherException.class)
                .hasMessageContaining("-A runFolder=/elsewhere").hasMessageContaining("--log-dir");
    }
}
