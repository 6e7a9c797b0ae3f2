using System.Text;
using Harness.Verdicts;

namespace Harness.Reports.Html;

/// <summary>Escaping and naming helpers: every text that comes from a run goes through <see cref="Escape"/>.</summary>
internal static class HtmlText
{
    /// <summary>Text safe in element content and in quoted attribute values: logs are full of &lt;, &gt; and &amp;.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>An id fragment from any text: lowercase letters, digits and '-', so anchors stay valid.</summary>
    public static string Id(params string[] parts)
    {
        var sb = new StringBuilder();
        foreach (var c in string.Join("-", parts).ToLowerInvariant())
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        return sb.ToString();
    }

    /// <summary>The CSS class of a status: "pass", "known-deviation", "fail", "error", "flaky", "unsupported", "skip".</summary>
    public static string Css(OutcomeStatus status) => StatusName.Of(status);

    /// <summary>The words a reader sees for a status.</summary>
    public static string Word(OutcomeStatus status) => StatusName.Of(status);

    public static string Kernel(KernelRole kernel) => kernel.ToString().ToLowerInvariant();

    /// <summary>The statuses in the order the report shows them.</summary>
    public static readonly OutcomeStatus[] Statuses =
        [OutcomeStatus.Pass, OutcomeStatus.KnownDeviation, OutcomeStatus.Fail, OutcomeStatus.Error, OutcomeStatus.Flaky, OutcomeStatus.Unsupported, OutcomeStatus.Skip];
}
