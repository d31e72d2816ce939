package dev.backfill.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A UTF-8 stream read as blocks of whole lines, decoded into one reused character buffer: what
 * {@code new BufferedReader(new InputStreamReader(in, UTF_8))} reads, without a string per line. Malformed bytes
 * become U+FFFD, as in that reader; a line longer than a block grows the block to hold it.
 */
final class LineBlocks {

    /** Bytes read per block. */
    private static final int BLOCK = 64 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] bytes = new byte[BLOCK];
    private int buffered;
    private boolean ended;
    private char[] chars = new char[BLOCK];
    private int length;

    LineBlocks(InputStream in) {
        this.in = in;
    }

    /** Reads the next block; false at the end of the stream. */
    boolean next() throws IOException {
        while (!ended) {
            buffered += in.readNBytes(bytes, buffered, bytes.length - buffered);
            ended = buffered < bytes.length;
            // Decoding apart at line ends is safe: '\n' is never part of a multi-byte UTF-8 sequence.
            int end = ended ? buffered : lastNewline() + 1;
            if (end > 0) {
                decode(end);
                System.arraycopy(bytes, end, bytes, 0, buffered - end);
                buffered -= end;
                return true;
            }
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        return false;
    }

    /** The block's characters, valid up to {@link #length()} until the next call of {@link #next()}. */
    char[] chars() {
        return chars;
    }

    int length() {
        return length;
    }

    /** The block's lines as {@link BufferedReader#readLine()} counts them: ended by '\n', '\r', "\r\n" or the end. */
    long lines() {
        long lines = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c == '\n' || c == '\r') {
                lines++;
                if (c == '\r' && i + 1 < length && chars[i + 1] == '\n') {
                    i++;
                }
            }
        }
        char last = length == 0 ? '\n' : chars[length - 1];
        return last == '\n' || last == '\r' ? lines : lines + 1;
    }

    boolean contains(char wanted) {
        for (int i = 0; i < length; i++) {
            if (chars[i] == wanted) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }

    private void decode(int end) {
        if (chars.length < end) {
            chars = new char[bytes.length];
        }
        CharBuffer out = CharBuffer.wrap(chars);
        decoder.reset();
        decoder.decode(ByteBuffer.wrap(bytes, 0, end), out, true);
        decoder.flush(out);
        length = out.position();
    }

    private int lastNewline() {
        for (int i = buffered - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
