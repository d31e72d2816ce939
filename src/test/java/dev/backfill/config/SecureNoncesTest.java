package dev.backfill.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.partition.CommitToken;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SecureNoncesTest {

    private final SecureNonces nonces = new SecureNonces();

    @Test
    void get_givesSixLowercaseHexCharacters_thatACommitTokenAccepts() {
        String nonce = nonces.get();

        assertThat(nonce).matches("[0-9a-f]{6}");
        assertThat(new CommitToken(1, 1, nonce).nonce()).isEqualTo(nonce);
    }

    @Test
    void get_drawsAFreshValueEachCall() {
        Set<String> drawn = new HashSet<>();
        IntStream.range(0, 200).forEach(i -> drawn.add(nonces.get()));

        // 200 draws from 2^24 values collide with probability about 0.1%.
        assertThat(drawn).hasSizeGreaterThan(195);
    }
}
