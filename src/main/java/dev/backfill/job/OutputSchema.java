package dev.backfill.job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The columns of a job's output table, as query engines (Athena through the Glue catalog, Spark, DuckDB) read its JSON
 * lines: every line is one object whose members are these columns, plus the partition column {@link #PARTITION}.
 *
 * <p>Columns come in two kinds. <b>Keys</b> identify a row within a partition: no two rows of one partition share the
 * same key values, and the keys mean the same thing in every partition (they do not depend on the window).
 * <b>Measures</b> are the values computed for a key; comparing a partition before and after a rerun means comparing
 * measures by key.
 * A table with no key has at most one row per partition.
 *
 * <p>The partition column is always {@code dt}, the window's day ({@code yyyy-MM-dd}): partitions live under
 * {@code tables/<table>/dt=<label>/} ({@code dev.backfill.partition.PartitionPath}); an hour-grain table adds a second
 * one, {@code hr} ({@code dt=<day>/hr=<hour>/}). Jobs may also write {@code dt} into each line; readers of the catalog
 * take the partition columns from the path.
 *
 * @param keys     the key columns, in the order the job writes them
 * @param measures the measure columns, in the order the job writes them
 */
public record OutputSchema(List<Column> keys, List<Column> measures) {

    /** The partition column of every table: the window's label. */
    public static final Column PARTITION = new Column("dt", ColumnType.STRING);

    /** Lower case, as Glue and Hive store column names; a leading letter or underscore. */
    private static final Pattern COLUMN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

    /**
     * @throws IllegalArgumentException if there is no column, a name is not a lower-case identifier, a name repeats,
     *                                  or a column is named like the partition column
     */
    public OutputSchema {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        measures = List.copyOf(Objects.requireNonNull(measures, "measures"));
        if (keys.isEmpty() && measures.isEmpty()) {
            throw new IllegalArgumentException("An output schema needs at least one column");
        }
        Set<String> names = new HashSet<>();
        for (Column column : concat(keys, measures)) {
            if (!COLUMN_NAME.matcher(column.name()).matches()) {
                throw new IllegalArgumentException("Column name '" + column.name()
                        + "' is not a lower-case identifier (" + COLUMN_NAME.pattern() + ")");
            }
            if (column.name().equals(PARTITION.name())) {
                throw new IllegalArgumentException("Column '" + column.name() + "' is the partition column; "
                        + "it is not declared among keys or measures");
            }
            if (!names.add(column.name())) {
                throw new IllegalArgumentException("Column '" + column.name() + "' is declared twice");
            }
        }
    }

    /** Every column but the partition: keys first, then measures, as the job writes them. */
    public List<Column> columns() {
        return concat(keys, measures);
    }

    private static List<Column> concat(List<Column> first, List<Column> second) {
        List<Column> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /** One column: its name in the JSON lines and in the catalog, and its type. */
    public record Column(String name, ColumnType type) {

        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        public static Column string(String name) {
            return new Column(name, ColumnType.STRING);
        }

        public static Column bigint(String name) {
            return new Column(name, ColumnType.BIGINT);
        }
    }

    /** Column types, named as the Glue catalog and Athena's DDL name them. */
    public enum ColumnType {
        STRING("string"),
        BIGINT("bigint"),
        DOUBLE("double"),
        BOOLEAN("boolean");

        private final String catalogName;

        ColumnType(String catalogName) {
            this.catalogName = catalogName;
        }

        /** The type as a Glue column's {@code Type} spells it: {@code bigint}. */
        public String catalogName() {
            return catalogName;
        }
    }
}
