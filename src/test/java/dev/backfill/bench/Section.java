package dev.backfill.bench;

import java.util.List;

/**
 * The figures of one part of the bench (P1 … P6), with a sentence on what exactly was measured and how.
 */
record Section(String id, String title, String method, List<Figure> figures) {

    Section {
        figures = List.copyOf(figures);
    }
}
