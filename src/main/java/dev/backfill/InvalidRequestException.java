package dev.backfill;

/**
 * A request or message that can never succeed as it is: malformed, out of range or naming something unknown.
 * Nothing is written and nothing is sent when it is thrown; retrying it is pointless.
 */
public class InvalidRequestException extends BackfillException {

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A user-supplied value as a message shows it: at most 40 characters, so a huge payload never floods logs, and
     * control characters and line separators escaped as Java does, so a value cannot forge log lines.
     */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() <= 40 ? value : value.substring(0, 40) + "…";
        StringBuilder shown = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
