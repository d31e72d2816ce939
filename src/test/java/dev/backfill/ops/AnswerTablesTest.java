package dev.backfill.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerTablesTest {

    @ParameterizedTest
    @CsvSource({
            "PT0.2S, 0.2 s",
            "PT7.492S, 7.5 s",
            "PT59.96S, 1 min 00 s",
            "PT5M44.632S, 5 min 45 s",
            "PT59M59.6S, 1 h 00 min",
            "PT26H3M, 26 h 03 min",
            "unknown, unknown",
    })
    void duration_isWrittenForPeople_andAnythingElseIsLeftAsItIs(String iso, String shown) {
        assertThat(AnswerTables.duration(iso)).isEqualTo(shown);
    }

    @Test
    void plan_showsTheEstimatesDurationsForPeople() throws Exception {
        String answer = """
                {"job":"daily_event_counts","start":"2026-01-01","end":"2026-07-01","reprocess":"all",
                 "order":"oldest","inRange":181,"toRun":181,"skipped":{},"inputObjects":181,"inputBytes":6815744,
                 "missing":0,"estimate":{"upstreamRequests":362,"s3Requests":1629,"windowDuration":"PT7.492S",
                 "makespan":"PT5M44.632S","concurrency":4,"lambdaGbSeconds":1356.1,"lambdaRequests":181,
                 "basis":"median committed window of the job's last 5 runs"},"warnings":[],"windows":[]}
                """;

        String shown = AnswerTables.render("plan", new ObjectMapper().readTree(answer));

        assertThat(shown).contains("window 7.5 s, makespan 5 min 45 s at concurrency 4");
    }
}
