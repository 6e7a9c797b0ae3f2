namespace Harness.Reports.Html;

/// <summary>
/// One cell of a report: a name (the matrix cell, e.g. "x86_64-next", or "run" for a plain run) and the
/// run it produced. A plain `harness run` is a report of one cell.
/// </summary>
public sealed record ReportCell(string Name, RunResult Result);
