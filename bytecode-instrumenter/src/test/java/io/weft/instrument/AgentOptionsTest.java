package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    private static final Properties NONE = new Properties();

    @Test
    void unknownOption_suggestsTheClosest() {
        assertThatThrownBy(() -> AgentOptions.parse("thread=4", NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option 'thread'")
                .hasMessageContaining("did you mean 'threads'")
                .hasMessageContaining("Known options:");
    }

    @Test
    void unknownSystemProperty_suggestsTheClosestWithItsPrefix() {
        Properties system = new Properties();
        system.setProperty("weft.sumary", "true");

        assertThatThrownBy(() -> AgentOptions.parse(null, system))
                .hasMessageContaining("unknown option '-Dweft.sumary'")
                .hasMessageContaining("did you mean '-Dweft.summary'");
    }

    @Test
    void unknownOptionFarFromAnyKnown_hasNoSuggestion() {
        assertThatThrownBy(() -> AgentOptions.parse("zzzzzzzzzzzz=1", NONE))
                .hasMessageContaining("unknown option 'zzzzzzzzzzzz'")
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void optionWithoutValue_isRejectedWithAnExample() {
        assertThatThrownBy(() -> AgentOptions.parse("threads", NONE))
                .hasMessageContaining("'threads' is not of the form name=value");
    }

    @Test
    void threadsThatAreNotAPositiveWholeNumber_areRejected() {
        for (String bad : new String[] {"0", "-1", "four", "2.5", ""}) {
            assertThatThrownBy(() -> AgentOptions.parse("threads=" + bad, NONE)).as(bad)
                    .hasMessageContaining("option threads=" + bad + ": expected a whole number of at least 1");
        }
        assertThatThrownBy(() -> AgentOptions.parse("maxPending=0", NONE))
                .hasMessageContaining("expected a whole number of at least 1");
    }

    @Test
    void enumeratedOptionsWithOtherValues_areRejectedListingTheAccepted() {
        assertThatThrownBy(() -> AgentOptions.parse("summary=maybe", NONE))
                .hasMessageContaining("option summary=maybe: expected one of true, false, auto");
        assertThatThrownBy(() -> AgentOptions.parse("scheduler=random", NONE))
                .hasMessageContaining("expected one of locality, critical, fifo, lifo");
        assertThatThrownBy(() -> AgentOptions.parse("verbose=auto", NONE))
                .hasMessageContaining("expected one of true, false");
    }

    @Test
    void validOptions_areKeptAndListsSplitOnSemicolons() {
        AgentOptions options = AgentOptions.parse(
                "threads=4, summary=TRUE,scheduler=lifo,include=com.acme.; org.example.*;", NONE);

        assertThat(options.get("threads", "1")).isEqualTo("4");
        assertThat(options.get("summary", "auto")).isEqualTo("TRUE");
        assertThat(options.get("progress", "auto")).isEqualTo("auto");
        assertThat(options.list("include")).containsExactly("com.acme.", "org.example.*");
        assertThat(options.list("exclude")).isEmpty();
        assertThat(options.asMap()).containsOnlyKeys("threads", "summary", "scheduler", "include");
    }

    @Test
    void agentArgument_winsOverSystemProperty() {
        Properties system = new Properties();
        system.setProperty("weft.threads", "2");
        system.setProperty("weft.verbose", "true");
        system.setProperty("other.property", "ignored");

        AgentOptions options = AgentOptions.parse("threads=8", system);

        assertThat(options.get("threads", "1")).isEqualTo("8");
        assertThat(options.get("verbose", "false")).isEqualTo("true");
    }

    @Test
    void noArguments_giveNoOptions() {
        assertThat(AgentOptions.parse(null, NONE).asMap()).isEmpty();
        assertThat(AgentOptions.parse("  ", NONE).asMap()).isEmpty();
    }

    @Test
    void distance_isLevenshtein() {
        assertThat(AgentOptions.distance("thread", "threads")).isEqualTo(1);
        assertThat(AgentOptions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(AgentOptions.distance("", "abc")).isEqualTo(3);
        assertThat(AgentOptions.distance("same", "same")).isZero();
    }

    @Test
    void check_isTrueOrFalse() {
        assertThat(AgentOptions.parse("check=TRUE", NONE).get("check", "false")).isEqualTo("TRUE");
        assertThatThrownBy(() -> AgentOptions.parse("check=yes", NONE))
                .hasMessage("option check=yes: expected one of true, false");
    }

    @Test
    void runtimeCompiler_isC1OrC2() {
        assertThat(AgentOptions.parse("runtimeCompiler=C2", NONE).get("runtimeCompiler", "c1")).isEqualTo("C2");
        assertThatThrownBy(() -> AgentOptions.parse("runtimeCompiler=graal", NONE))
                .hasMessage("option runtimeCompiler=graal: expected one of auto, c1, c2");
        assertThatThrownBy(() -> AgentOptions.parse("runtimeCompilers=c2", NONE))
                .hasMessageContaining("runtimeCompiler");
    }
}
