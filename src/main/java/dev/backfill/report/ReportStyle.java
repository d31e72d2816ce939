package dev.backfill.report;

/** The report page's style sheet, inline in the page: system fonts only, nothing loaded from elsewhere. */
final class ReportStyle {

    private ReportStyle() {
    }

    static final String CSS = """
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
                   color: #1d2330; margin: 32px auto; max-width: 1060px; padding: 0 16px; }
            h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
            code { font: 0.92em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            .lede { color: #4a5366; margin: 0 0 16px; }
            .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 18px; }
            .facts dt { color: #6b7385; } .facts dd { margin: 0; }
            .totals { display: flex; gap: 12px; flex-wrap: wrap; }
            .total { border: 1px solid #dde1e8; border-radius: 8px; padding: 8px 12px; min-width: 200px; }
            .total .name { color: #6b7385; font-size: 13px; } .total .value { font-size: 18px; font-weight: 600; }
            figure { margin: 8px 0 18px; }
            .chart .title { font-size: 15px; font-weight: 600; fill: #1d2330; }
            .chart .tick { font-size: 12px; fill: #6b7385; } .chart .axis-label { font-size: 13px; fill: #4a5366; }
            .chart .grid { stroke: #eceef2; } .chart .axis { stroke: #8a92a3; }
            .chart .legend text { font-size: 13px; fill: #1d2330; }
            .chart rect.before { fill: #b5bcc9; } .chart rect.after { fill: #2f6fde; }
            table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
            th, td { padding: 3px 7px; border-bottom: 1px solid #eceef2; text-align: right; white-space: nowrap; }
            th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
            thead th { border-bottom: 1px solid #c9ced8; } tr.sub th { color: #6b7385; font-weight: 400; }
            tr.sum td { font-weight: 600; border-top: 1px solid #c9ced8; }
            .up { color: #1a7f37; } .down { color: #c0362c; } .same { color: #6b7385; }
            .foot { color: #6b7385; font-size: 13px; margin-top: 24px; }
            """;
}
