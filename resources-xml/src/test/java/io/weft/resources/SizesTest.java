package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes as people write them in resources files. */
class SizesTest {
    private static final long KB = 1L << 10;
    private static final long MB = 1L << 20;
    private static final long GB = 1L << 30;
    private static final long TB = 1L << 40;

    @ParameterizedTest(name = "\"{0}\" = {1} bytes")
    @CsvSource(delimiter = '|', value = {
        "512MB      | 536870912",
        "6 GB       | 6442450944",
        "1.5TB      | 1649267441664",
        "16GiB      | 17179869184",
        "16 gib     | 17179869184",
        "4          | 4294967296",
        "256.2      | 275092655308",
        "100B       | 100",
        "2kb        | 2048",
        "3K         | 3072",
        "' 8 G '    | 8589934592",
        "1PB        | 1125899906842624",
        "0          | 0"
    })
    void parse_acceptsNumberAndUnit(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6 GX", "", "GB", "-1GB", "1.2.3GB", "lots", "1,5GB", "12 GB RAM"})
    void parse_rejectsOtherText_sayingWhatIsAccepted(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse(text))
                .withMessageContaining("'" + text + "' is not a size").withMessageContaining(Sizes.ACCEPTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999PB", "8EB"})
    void parse_rejectsWhatDoesNotFit(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse(text));
    }

    @ParameterizedTest(name = "{0} bytes = \"{1}\"")
    @CsvSource({"-1, unknown", "100, 100 B", "2048, 2 KB", "536870912, 512 MB", "1610612736, 1.5 GB"})
    void format_isForPeople(long bytes, String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {KB, MB, 40 * GB, 3 * TB})
    void formatThenParse_isTheSameSize(long bytes) {
        assertThat(Sizes.parse(Sizes.format(bytes).replace(" ", ""))).isEqualTo(bytes);
    }
}
