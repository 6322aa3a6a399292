package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchCommandsTest {
    private static final List<String> ARGS = List.of("--node", "gpu 1", "--work-dir", "/scratch/it's mine");

    @Test
    void ssh_fillsTheTemplate_andPassesTheWorkerCommandAsOneWord() {
        List<String> command = LaunchCommands.ssh("ssh -o BatchMode=yes {user}@{host} {command}", "alice",
                "node7.cluster", List.of("-Xss4m"), "/opt/weft/weft-agent.jar:/home/alice/app.jar", ARGS, "");
        assertThat(command).hasSize(5).startsWith("ssh", "-o", "BatchMode=yes", "alice@node7.cluster");
        assertThat(command.get(4)).isEqualTo("WEFT_RUN_SECRET_FILE=- exec \"${JAVA_HOME:+$JAVA_HOME/bin/}java\""
                + " -Xss4m -cp /opt/weft/weft-agent.jar:/home/alice/app.jar io.weft.runtime.worker.process.WorkerMain"
                + " --node 'gpu 1' --work-dir '/scratch/it'\\''s mine'");
    }

    @Test
    void ssh_withoutAUser_dropsTheUserPart() {
        List<String> command = LaunchCommands.ssh("ssh -p 2222 {user}@{host} {command}", "", "n1", List.of(), "cp",
                List.of(), "");
        assertThat(command.get(3)).isEqualTo("n1");
    }

    @Test
    void ssh_sourcesTheEnvironmentScriptFirst() {
        List<String> command = LaunchCommands.ssh("ssh {host} {command}", "", "n1", List.of(), "cp", List.of(),
                "/etc/profile.d/my modules.sh");
        assertThat(command.get(2)).startsWith(". '/etc/profile.d/my modules.sh' && WEFT_RUN_SECRET_FILE=- exec ");
    }

    /** The quoted words, read back by a real shell, are the words that went in: nothing is expanded or split. */
    @Test
    void quotedWords_areReadBackByAShellUnchanged() throws IOException, InterruptedException {
        List<String> words = List.of("plain", "with space", "it's", "$HOME", "`id`", "a\"b", "*", "x;y", "",
                "tab\there", "new\nline");
        StringBuilder script = new StringBuilder("printf '%s\\0'");
        for (String w : words) {
            script.append(' ').append(LaunchCommands.quote(w));
        }
        Process p = new ProcessBuilder("/bin/sh", "-c", script.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        List<String> back = new ArrayList<>(List.of(out.split("\0", -1)));
        back.remove(back.size() - 1);
        assertThat(back).isEqualTo(words);
    }

    @Test
    void local_withAnEnvironmentScript_runsItThroughShWithoutParsingTheCommand() {
        List<String> command = LaunchCommands.local("/usr/bin/java", List.of("-Xss4m"), "a.jar", ARGS,
                "/opt/env.sh");
        assertThat(command).startsWith("/bin/sh", "-c", ". \"$0\" && exec \"$@\"", "/opt/env.sh", "/usr/bin/java",
                "-Xss4m", "-cp", "a.jar", LaunchCommands.MAIN_CLASS).endsWith("/scratch/it's mine");
        assertThat(LaunchCommands.local("/usr/bin/java", List.of(), "a.jar", List.of(), "")).first()
                .isEqualTo("/usr/bin/java");
    }
}
