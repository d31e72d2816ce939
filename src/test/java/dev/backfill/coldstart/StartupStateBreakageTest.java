package dev.backfill.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.coldstart.fixtures.StartupStateFixtures;
import org.junit.jupiter.api.Test;

/** {@link StartupState} finds each kind of start-up state, and says where, in deliberately bad classes. */
class StartupStateBreakageTest {

    private static final String FIXTURES = StartupStateFixtures.class.getName() + "$";

    @Test
    void randomInAStaticInitializer_isReported() {
        assertThat(scan(StartupStateFixtures.RandomInStaticInitializer.class)).containsExactly(
                FIXTURES + "RandomInStaticInitializer.<clinit> creates java.util.Random");
    }

    @Test
    void uuidMadeThroughAHelperOfAStaticInitializer_isReportedWithTheHelper() {
        assertThat(scan(StartupStateFixtures.UuidThroughAHelper.class)).containsExactly(
                FIXTURES + "UuidThroughAHelper.newId (reached from " + FIXTURES + "UuidThroughAHelper.<clinit>) calls "
                        + "java.util.UUID.randomUUID");
    }

    @Test
    void secureRandomInABeanField_isReported() {
        assertThat(scan(StartupStateFixtures.SecureRandomInABeanField.class)).containsExactly(
                FIXTURES + "SecureRandomInABeanField.<init> creates java.security.SecureRandom");
    }

    @Test
    void clockReadInAProducer_isReported() {
        assertThat(scan(StartupStateFixtures.ClockReadInAProducer.class)).containsExactly(
                FIXTURES + "ClockReadInAProducer.startedAt calls java.time.Clock.instant");
    }

    @Test
    void timeCachedInPostConstruct_isReported() {
        assertThat(scan(StartupStateFixtures.TimeCachedAfterConstruction.class)).containsExactly(
                FIXTURES + "TimeCachedAfterConstruction.remember calls java.lang.System.currentTimeMillis");
    }

    @Test
    void valuesMadePerCall_areNotReported() {
        assertThat(scan(StartupStateFixtures.PerCallValues.class)).isEmpty();
    }

    private static java.util.List<String> scan(Class<?> type) {
        return StartupState.scan(CompiledClasses.of(type)).stream().map(StartupState.Finding::toString).toList();
    }
}
