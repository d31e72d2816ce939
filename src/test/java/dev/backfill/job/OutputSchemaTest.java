package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.job.OutputSchema.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputSchemaTest {

    private static final Column TYPE = Column.string("type");
    private static final Column EVENTS = Column.bigint("events");

    @Test
    void columns_areKeysThenMeasures_withoutThePartition() {
        OutputSchema schema = new OutputSchema(List.of(TYPE), List.of(EVENTS, Column.bigint("users")));

        assertThat(schema.columns()).extracting(Column::name).containsExactly("type", "events", "users");
        assertThat(OutputSchema.PARTITION).isEqualTo(Column.string("dt"));
        assertThat(EVENTS.type().catalogName()).isEqualTo("bigint");
    }

    @Test
    void schema_withoutKeys_isOneRowPerPartition_andAllowed() {
        assertThat(new OutputSchema(List.of(), List.of(EVENTS)).columns()).containsExactly(EVENTS);
    }

    @Test
    void schema_withoutColumns_isRefused() {
        assertThatThrownBy(() -> new OutputSchema(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An output schema needs at least one column");
    }

    @Test
    void schema_withPartitionColumnAmongColumns_isRefusedNamingIt() {
        assertThatThrownBy(() -> new OutputSchema(List.of(Column.string("dt"), TYPE), List.of(EVENTS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Column 'dt' is the partition column");
    }

    @Test
    void schema_withRepeatedName_isRefusedNamingIt() {
        assertThatThrownBy(() -> new OutputSchema(List.of(TYPE), List.of(Column.bigint("type"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Column 'type' is declared twice");
    }

    @Test
    void schema_withUpperCaseOrSpacedName_isRefusedNamingIt() {
        assertThatThrownBy(() -> new OutputSchema(List.of(Column.string("Type")), List.of()))
                .hasMessageContaining("Column name 'Type' is not a lower-case identifier");
        assertThatThrownBy(() -> new OutputSchema(List.of(), List.of(Column.bigint("amount cents"))))
                .hasMessageContaining("Column name 'amount cents'");
    }
}
