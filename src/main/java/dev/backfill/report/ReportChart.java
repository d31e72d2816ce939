package dev.backfill.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * One measure per day as an inline SVG bar chart: two bars a day (before, after), a labelled value axis with grid
 * lines, a labelled day axis and a legend. Every bar carries its day and value ({@code data-day},
 * {@code data-value}) so that the picture can be checked against the numbers.
 */
final class ReportChart {

    static final int WIDTH = 1040;
    static final int HEIGHT = 300;
    private static final int LEFT = 84;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 64;

    private ReportChart() {
    }

    /** @param before the measure per day on the before side, zero where absent; likewise {@code after} */
    static String svg(String title, String valueAxis, List<String> days, List<BigDecimal> before,
                      List<BigDecimal> after, String beforeLegend, String afterLegend) {
        double max = Math.max(1, Math.max(max(before), max(after)));
        double step = niceStep(max / 5);
        double top = Math.ceil(max / step) * step;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"22\">%s</text>%n", LEFT,
                Html.escape(title)));
        for (double tick = 0; tick <= top + step / 2; tick += step) {
            double y = TOP + plotHeight - tick / top * plotHeight;
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
                    + "y2=\"%.1f\"/><text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, WIDTH - RIGHT, y, y, LEFT - 6, y + 4, compact(tick)));
        }
        double slot = (double) plotWidth / days.size();
        double bar = Math.max(1, slot * 0.38);
        int every = Math.max(1, (int) Math.ceil(days.size() / 16.0));
        for (int i = 0; i < days.size(); i++) {
            double x = LEFT + i * slot + slot / 2;
            bar(svg, "before", days.get(i), before.get(i), x - bar, bar, top, plotHeight);
            bar(svg, "after", days.get(i), after.get(i), x, bar, top, plotHeight);
            if (i % every == 0) {
                svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" "
                        + "text-anchor=\"middle\">%s</text>%n", x, TOP + plotHeight + 18,
                        Html.escape(days.get(i).substring(5))));
            }
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>"
                + "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>%n", LEFT, WIDTH - RIGHT,
                TOP + plotHeight, TOP + plotHeight, LEFT, LEFT, TOP, TOP + plotHeight));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" "
                + "text-anchor=\"middle\">day (%s .. %s)</text>%n", LEFT + plotWidth / 2, HEIGHT - 14,
                days.get(0), days.get(days.size() - 1)));
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" transform=\"translate(18 %d) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", TOP + plotHeight / 2, Html.escape(valueAxis)));
        legend(svg, beforeLegend, afterLegend);
        return svg.append("</svg>\n").toString();
    }

    private static void bar(StringBuilder svg, String series, String day, BigDecimal value, double x, double width,
                            double top, int plotHeight) {
        double height = Math.max(0, value.doubleValue()) / top * plotHeight;
        svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" data-day=\"%s\" data-value=\"%s\" x=\"%.1f\" "
                + "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s %s: %s</title></rect>%n", series, day,
                value.toPlainString(), x, TOP + plotHeight - height, width, height, day, series,
                Html.number(value)));
    }

    private static void legend(StringBuilder svg, String before, String after) {
        int x = WIDTH - RIGHT - 500;
        svg.append(String.format(Locale.ROOT, "<g class=\"legend\"><rect class=\"before\" x=\"%d\" y=\"10\" "
                + "width=\"14\" height=\"14\"/><text x=\"%d\" y=\"22\">%s</text>", x, x + 20, Html.escape(before)));
        svg.append(String.format(Locale.ROOT, "<rect class=\"after\" x=\"%d\" y=\"10\" width=\"14\" height=\"14\"/>"
                + "<text x=\"%d\" y=\"22\">%s</text></g>%n", x + 260, x + 280, Html.escape(after)));
    }

    /** A tick label: 800, 40k, 2.5M. */
    static String compact(double value) {
        if (Math.abs(value) >= 1_000_000) {
            return trim(value / 1_000_000) + "M";
        }
        if (Math.abs(value) >= 10_000) {
            return trim(value / 1_000) + "k";
        }
        return Html.number(BigDecimal.valueOf(value));
    }

    private static String trim(double value) {
        return BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private static double max(List<BigDecimal> values) {
        return values.stream().mapToDouble(BigDecimal::doubleValue).max().orElse(0);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= raw) {
                return factor * power;
            }
        }
        return 10 * power;
    }
}
