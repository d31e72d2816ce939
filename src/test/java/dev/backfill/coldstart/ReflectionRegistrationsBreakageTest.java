package dev.backfill.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.coldstart.fixtures.JsonFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JsonTypes} reports each kind of unregistered JSON type, and where it is used, in fixture code. */
class ReflectionRegistrationsBreakageTest {

    private static final String FIXTURES = JsonFixtures.class.getName() + "$";

    @Test
    void typeReadWithJsonRead_unregistered_isReported() {
        assertThat(missing(List.of(), JsonFixtures.Reads.class)).containsExactly(
                FIXTURES + "ReadType (read in " + FIXTURES + "Reads.read)");
    }

    @Test
    void typeWrittenWithJsonWrite_unregistered_isReported() {
        assertThat(missing(List.of(), JsonFixtures.Writes.class)).containsExactly(
                FIXTURES + "WrittenType (written in " + FIXTURES + "Writes.write)");
    }

    @Test
    void handlerAnswer_unregistered_isReported() {
        assertThat(missing(List.of(), JsonFixtures.Handler.class)).containsExactly(
                FIXTURES + "AnswerType (request or answer of the handler " + FIXTURES + "Handler)");
    }

    @Test
    void componentTypeOfARegisteredRecord_unregistered_isReported_butNestedTypesComeWithTheirOuterType() {
        assertThat(missing(List.of(JsonFixtures.Listed.class))).containsExactly(
                FIXTURES + "ComponentType (component components of " + FIXTURES + "Listed)");
    }

    @Test
    void everythingRegistered_nothingReported() {
        assertThat(missing(List.of(JsonFixtures.ReadType.class, JsonFixtures.WrittenType.class,
                JsonFixtures.AnswerType.class, JsonFixtures.Listed.class, JsonFixtures.ComponentType.class),
                JsonFixtures.Reads.class, JsonFixtures.Writes.class, JsonFixtures.Handler.class)).isEmpty();
    }

    private static List<String> missing(List<Class<?>> registered, Class<?>... code) {
        return JsonTypes.missing(CompiledClasses.of(code), registered);
    }
}
