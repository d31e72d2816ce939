package dev.backfill.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.config.ReflectionRegistrations;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every type the function code reads or writes as JSON is registered for reflection in
 * {@link ReflectionRegistrations}, so a native image keeps what Jackson needs of it. On the JVM, in milliseconds: the
 * native build would otherwise find a missing one only at run time.
 */
class ReflectionRegistrationsTest {

    @Test
    void everyJsonTypeOfTheFunctions_isRegisteredForReflection() {
        List<Class<?>> registered = List.of(
                ReflectionRegistrations.class.getAnnotation(RegisterForReflection.class).targets());

        assertThat(JsonTypes.missing(CompiledClasses.under(CompiledClasses.MAIN), registered)).isEmpty();
    }

    /**
     * The dispatcher returns each action's answer as a tree of the Json mapper, so no call site names the answer's
     * type: every action's answer, and every record it is made of, must be listed by hand.
     */
    @Test
    void everyDispatcherActionsAnswer_andTheRecordsItIsMadeOf_areRegisteredForReflection() {
        List<Class<?>> registered = List.of(
                ReflectionRegistrations.class.getAnnotation(RegisterForReflection.class).targets());
        java.util.Set<Class<?>> answers = new java.util.LinkedHashSet<>();
        for (Class<?> action : List.of(dev.backfill.action.BackfillAction.class, dev.backfill.action.PlanAction.class,
                dev.backfill.action.StatusAction.class, dev.backfill.action.RunsAction.class,
                dev.backfill.action.CancelAction.class, dev.backfill.action.RetryAction.class,
                dev.backfill.action.RedriveAction.class, dev.backfill.action.WatermarkAction.class,
                dev.backfill.action.ScheduleAction.class)) {
            java.util.Arrays.stream(action.getDeclaredMethods())
                    .filter(method -> method.getName().equals("run") && !method.isBridge())
                    .forEach(method -> collect(method.getReturnType(), answers));
        }

        assertThat(answers).hasSizeGreaterThan(9).allSatisfy(type -> assertThat(registered).contains(type));
    }

    private static void collect(Class<?> type, java.util.Set<Class<?>> into) {
        if (!type.isRecord() || !into.add(type)) {
            return;
        }
        for (var component : type.getRecordComponents()) {
            collect(component.getType(), into);
            if (component.getGenericType() instanceof java.lang.reflect.ParameterizedType generic) {
                for (var argument : generic.getActualTypeArguments()) {
                    if (argument instanceof Class<?> element) {
                        collect(element, into);
                    }
                }
            }
        }
    }

    @Test
    void theJsonTypesFound_includeTheMessageManifestLedgerAndAnswers() {
        assertThat(JsonTypes.of(CompiledClasses.under(CompiledClasses.MAIN))).containsKeys(
                "dev.backfill.dispatch.WindowMessage", "dev.backfill.window.Window",
                "dev.backfill.partition.Manifest", "dev.backfill.partition.Manifest$Part",
                "dev.backfill.job.InputRef", "dev.backfill.ledger.RunRecord", "dev.backfill.ledger.WindowStatus",
                "dev.backfill.ledger.WindowState",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                "com.amazonaws.services.lambda.runtime.events.SQSBatchResponse");
    }
}
