using System.Globalization;

namespace Harness.Reports;

/// <summary>Counts in plain words for people: "1 patch", "3 patches".</summary>
public static class Words
{
    public static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
