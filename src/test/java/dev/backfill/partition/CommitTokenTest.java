package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.window.Window;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The commit token's order and text form, and the partition paths that carry it. */
class CommitTokenTest {

    private static final Window APR_09 = Window.day(LocalDate.of(2026, 4, 9), ZoneOffset.UTC);
    private static final PartitionPath APR_09_PARTITION = PartitionPath.of("daily_event_counts", APR_09);
    private static final String PREFIX = "tables/daily_event_counts/dt=2026-04-09/";

    @Test
    void order_laterFence_winsOverAnyAttemptOrNonce() {
        CommitToken laterRun = new CommitToken(2_000, 1, "0");
        CommitToken earlierRunManyRetries = new CommitToken(1_999, 9, "zzzz");

        assertThat(laterRun.isNewerThan(earlierRunManyRetries)).isTrue();
        assertThat(earlierRunManyRetries.isNewerThan(laterRun)).isFalse();
    }

    @Test
    void order_sameFence_laterAttemptWinsOverNonce() {
        assertThat(new CommitToken(1_000, 2, "0").isNewerThan(new CommitToken(1_000, 1, "zzzz"))).isTrue();
    }

    @Test
    void order_sameFenceAndAttempt_nonceBreaksTheTie() {
        CommitToken a = new CommitToken(1_000, 1, "a1");
        CommitToken b = new CommitToken(1_000, 1, "b0");

        assertThat(b.isNewerThan(a)).isTrue();
        assertThat(a.isNewerThan(b)).isFalse();
    }

    @Test
    void order_sameToken_isNotNewerThanItself() {
        CommitToken token = new CommitToken(1_000, 1, "beef");

        assertThat(token.compareTo(new CommitToken(1_000, 1, "beef"))).isZero();
        assertThat(token.isNewerThan(new CommitToken(1_000, 1, "beef"))).isFalse();
    }

    @Test
    void toString_parse_roundTrip() {
        CommitToken token = new CommitToken(1_795_601_730_123_456L, 3, "a1b2c3");

        assertThat(token.toString()).isEqualTo("f1795601730123456-a3-a1b2c3");
        assertThat(CommitToken.parse(token.toString())).isEqualTo(token);
    }

    @Test
    void parse_malformedText_isRefused() {
        assertThatThrownBy(() -> CommitToken.parse("f1-a1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Malformed commit token 'f1-a1'");
        assertThatThrownBy(() -> CommitToken.parse("f1-a1-BEEF"))
                .hasMessage("Malformed commit token 'f1-a1-BEEF'");
        assertThatThrownBy(() -> CommitToken.parse("f-1-a1-beef"))
                .hasMessage("Malformed commit token 'f-1-a1-beef'");
    }

    @Test
    void constructor_negativeNumbersOrBadNonce_areRefused() {
        assertThatThrownBy(() -> new CommitToken(-1, 1, "beef"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid commit token: fence -1, attempt 1, nonce 'beef'");
        assertThatThrownBy(() -> new CommitToken(1, -1, "beef"))
                .hasMessage("Invalid commit token: fence 1, attempt -1, nonce 'beef'");
        assertThatThrownBy(() -> new CommitToken(1, 1, "a".repeat(17)))
                .hasMessage("Invalid commit token: fence 1, attempt 1, nonce '" + "a".repeat(17) + "'");
        assertThatThrownBy(() -> new CommitToken(1, 1, "be-ef"))
                .hasMessage("Invalid commit token: fence 1, attempt 1, nonce 'be-ef'");
    }

    @Test
    void ofPartKey_keyWrittenByPartKey_givesItsToken() {
        CommitToken token = new CommitToken(2_000, 4, "beef");

        assertThat(CommitToken.ofPartKey(APR_09_PARTITION.partKey(12, token))).contains(token);
    }

    @Test
    void ofPartKey_keysThisProtocolDidNotWrite_areEmpty() {
        assertThat(CommitToken.ofPartKey(PREFIX + "legacy.json")).isEmpty();
        assertThat(CommitToken.ofPartKey(PREFIX + "part-00000.jsonl.gz")).isEmpty();
        assertThat(CommitToken.ofPartKey(PREFIX + "_manifest.json")).isEmpty();
        assertThat(CommitToken.ofPartKey(PREFIX + "part-00000-f1-a1-beef.jsonl.gz/nested")).isEmpty();
    }

    @Test
    void ofPartKey_partLikeKeysOutOfRange_areEmptyNotErrors() {
        assertThat(CommitToken.ofPartKey(PREFIX + "part-00000-f1-a1-legacyexportfile01.jsonl.gz")).isEmpty();
        assertThat(CommitToken.ofPartKey(PREFIX + "part-00000-f12345678901234567890-a1-beef.jsonl.gz")).isEmpty();
        assertThat(CommitToken.ofPartKey(PREFIX + "part-00000-f9999999999999999999-a1-beef.jsonl.gz")).isEmpty();
        assertThat(CommitToken.ofPartKey(PREFIX + "part-00000-f1-a1234567890-beef.jsonl.gz")).isEmpty();
    }

    @Test
    void partitionPath_shapesPrefixManifestAndPartKeys() {
        CommitToken token = new CommitToken(5, 2, "beef");

        assertThat(APR_09_PARTITION.prefix()).isEqualTo(PREFIX);
        assertThat(APR_09_PARTITION.manifestKey()).isEqualTo(PREFIX + "_manifest.json");
        assertThat(APR_09_PARTITION.partKey(0, token)).isEqualTo(PREFIX + "part-00000-f5-a2-beef.jsonl.gz");
        assertThat(APR_09_PARTITION.partKey(123, token)).isEqualTo(PREFIX + "part-00123-f5-a2-beef.jsonl.gz");
        assertThat(PartitionPath.tablePrefix("daily_event_counts")).isEqualTo("tables/daily_event_counts/");
    }

    @Test
    void partitionPath_tableNameOutsideTheAllowedPattern_isRefused() {
        assertThatThrownBy(() -> PartitionPath.of("Daily-Counts", APR_09))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Table name 'Daily-Counts' must match [a-z][a-z0-9_]{0,62}");
        assertThatThrownBy(() -> new PartitionPath("../secrets", "2026-04-09"))
                .hasMessage("Table name '../secrets' must match [a-z][a-z0-9_]{0,62}");
        assertThatThrownBy(() -> new PartitionPath("t".repeat(64), "2026-04-09"))
                .hasMessageStartingWith("Table name 'tttt");
    }

    @Test
    void partitionPath_labelWithSlash_isRefused() {
        assertThatThrownBy(() -> new PartitionPath("daily_event_counts", "2026/04/09"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Partition label '2026/04/09' must be non-blank without '/'");
    }
}
