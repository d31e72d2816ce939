package dev.backfill.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Escaping and number formatting for the report's HTML, SVG and CSV. */
final class Html {

    private Html() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** 12,345 or 12,345.67; an en dash for none. */
    static String number(Number number) {
        BigDecimal value = Diff.decimal(number);
        if (value == null) {
            return "–";
        }
        DecimalFormat format = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(value);
    }

    /** +12 or −3 (a true minus sign); none for null. */
    static String signed(Number number) {
        BigDecimal value = Diff.decimal(number);
        if (value == null) {
            return "–";
        }
        return value.signum() > 0 ? "+" + number(value) : value.signum() < 0 ? "−" + number(value.negate()) : "0";
    }

    static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%s%.1f %%", value > 0 ? "+" : value < 0 ? "−" : "",
                Math.abs(value));
    }
}
