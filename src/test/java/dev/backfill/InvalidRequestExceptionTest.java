package dev.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvalidRequestExceptionTest {

    @Test
    void shown_escapesControlCharactersAndLineSeparators_soAValueCannotForgeLogLines() {
        assertThat(InvalidRequestException.shown("job\nERROR forged\u0000\u001b[31m\u2028"))
                .isEqualTo("job\\u000aERROR forged\\u0000\\u001b[31m\\u2028");
    }

    @Test
    void shown_cutsAHugeValueAt40Characters() {
        assertThat(InvalidRequestException.shown("x".repeat(100_000))).isEqualTo("x".repeat(40) + "…");
    }
}
