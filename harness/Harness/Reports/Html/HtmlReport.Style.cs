namespace Harness.Reports.Html;

public static partial class HtmlReport
{
    /// <summary>
    /// The page's only stylesheet, inline: no fonts, images or imports from anywhere. Status colours are
    /// used in the matrix, the chips, the program rows and the charts alike.
    /// </summary>
    private const string Style = """
        :root { --pass: #2e7d32; --pass-bg: #e8f5e9; --known-deviation: #6a4fb3; --known-deviation-bg: #efeaf9;
                --fail: #c62828; --fail-bg: #fdecea; --error: #e65100; --error-bg: #fff3e0; --skip: #616161; --skip-bg: #f2f2f2; }
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
        header { background: #263238; color: #fff; padding: 12px 24px; }
        header h1 { margin: 0 0 6px; font-size: 20px; }
        header .filter { font-size: 13px; }
        main { padding: 8px 24px 48px; }
        h2 { margin: 28px 0 8px; border-bottom: 2px solid #cfd8dc; padding-bottom: 4px; }
        h3 { margin: 18px 0 6px; }
        a { color: inherit; }
        table { border-collapse: collapse; background: #fff; margin: 6px 0 12px; }
        th, td { border: 1px solid #d7dde0; padding: 3px 7px; text-align: left; vertical-align: top; }
        th { background: #eceff1; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.changes td:nth-child(3) { white-space: nowrap; }
        code, pre { font: 12px/1.35 ui-monospace, "DejaVu Sans Mono", monospace; }
        pre { background: #1e272c; color: #e0e6e8; padding: 8px; overflow-x: auto; max-height: 480px; margin: 4px 0; }
        pre .hit { background: #5d4037; display: block; }
        pre .gap { color: #ffcc80; display: block; }
        .chip { display: inline-block; padding: 1px 8px; border-radius: 10px; margin: 2px 4px 2px 0; text-decoration: none; font-size: 13px; }
        .chip.pass, .st-pass .status { background: var(--pass-bg); color: var(--pass); }
        .chip.known-deviation, .st-known-deviation .status { background: var(--known-deviation-bg); color: var(--known-deviation); }
        .chip.fail, .st-fail .status { background: var(--fail-bg); color: var(--fail); }
        .chip.error, .st-error .status { background: var(--error-bg); color: var(--error); }
        .chip.unsupported, .st-unsupported .status, .chip.skip, .st-skip .status { background: var(--skip-bg); color: var(--skip); }
        .chip.flaky, .st-flaky .status { background: #fff8e1; color: #a66a00; } .n.flaky { color: #a66a00; } .swatch.flaky { background: #f9a825; }
        .status { font-weight: 600; white-space: nowrap; }
        table.matrix td.m { min-width: 150px; }
        table.matrix td.m.pass { background: var(--pass-bg); }
        table.matrix td.m.fail { background: var(--fail-bg); }
        table.matrix td.m.error { background: var(--error-bg); }
        table.matrix td.m.informational { background: #f5f7f8; }
        table.matrix td.m a { text-decoration: none; display: block; }
        .n { display: inline-block; min-width: 2.2em; text-align: right; font-weight: 600; font-variant-numeric: tabular-nums; }
        .n.pass { color: var(--pass); } .n.known-deviation { color: var(--known-deviation); } .n.fail { color: var(--fail); }
        .n.error { color: var(--error); } .n.skip, .n.unsupported { color: var(--skip); } .n.zero { color: #b0bec5; font-weight: 400; }
        .legend span { margin-right: 12px; font-size: 12px; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
        .swatch.pass { background: var(--pass); } .swatch.known-deviation { background: var(--known-deviation); } .swatch.fail { background: var(--fail); }
        .swatch.error { background: var(--error); } .swatch.skip, .swatch.unsupported { background: var(--skip); }
        .note { color: #546e7a; font-size: 13px; }
        .stopped { background: var(--error-bg); border-left: 4px solid var(--error); padding: 6px 10px; margin: 6px 0; }
        dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 6px 0; }
        dl.meta dt { color: #546e7a; } dl.meta dd { margin: 0; word-break: break-all; white-space: pre-line; }
        .trend { display: inline-block; vertical-align: top; margin: 0 24px 12px 0; }
        .trend svg { background: #fff; border: 1px solid #d7dde0; }
        details summary { cursor: pointer; color: #37474f; }
        table.costs tr.grew td { background: var(--fail-bg); }
        tr.log > td { background: #fcfcfc; }
        .reason { color: #37474f; font-size: 12px; }
        body:has(#only-problems:checked) tr.st-pass, body:has(#only-problems:checked) tr.st-known-deviation,
        body:has(#only-problems:checked) tr.st-skip { display: none; }
        """;
}
