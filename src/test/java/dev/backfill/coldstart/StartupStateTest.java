package dev.backfill.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Nothing unique or current is made while the functions start: not in a static initializer (a native build runs those
 * at build time) and not in a producer, bean constructor or start-up observer (a SnapStart snapshot captures those).
 * Fast, on the JVM, so a regression shows without a native build.
 */
class StartupStateTest {

    @Test
    void functionCode_makesNoRandomnessUuidOrClockReadingAtStartup() {
        assertThat(StartupState.scan(CompiledClasses.under(CompiledClasses.MAIN))).isEmpty();
    }
}
