namespace Harness.Verdicts;

/// <summary>
/// The one spelling of every status, used by every report (results.json, junit.xml, summary.md, report.html, the
/// console): "pass", "known-deviation", "fail", "error", "flaky", "unsupported", "skip".
/// </summary>
public static class StatusName
{
    public static string Of(OutcomeStatus status) => status switch
    {
        OutcomeStatus.Pass => "pass",
        OutcomeStatus.KnownDeviation => "known-deviation",
        OutcomeStatus.Fail => "fail",
        OutcomeStatus.Error => "error",
        OutcomeStatus.Flaky => "flaky",
        OutcomeStatus.Unsupported => "unsupported",
        _ => "skip",
    };
}
