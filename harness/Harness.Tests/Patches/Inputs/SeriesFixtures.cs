using Harness.Patches;
using Harness.Tests.Support;

namespace Harness.Tests.Patches.Inputs;

/// <summary>The series inputs the tests read: the shipped series as an mbox, a b4 mbox, the web archive copy.</summary>
internal static class SeriesFixtures
{
    public static string ShippedSeriesDirectory => Path.Combine(Checkout.Layout.Root, "kernel-patches", "async-kfunc-suffixes");

    /// <summary>The shipped series' patch files in series order, concatenated as `git format-patch --stdout` writes them.</summary>
    public static string ShippedSeriesAsMbox() =>
        string.Concat(SeriesReader.Read(ShippedSeriesDirectory).Patches.Select(p => File.ReadAllText(p.Path)));

    /// <summary>b4 am's shape: "From git@z" separators, Message-Id and To headers, a cover letter, here with patch 2/2 before 1/2.</summary>
    public static string B4Mbox => File.ReadAllText(Checkout.Fixture("Patches", "Inputs", "b4-own-series.mbox"));

    /// <summary>The RFC as a web archive shows it: subject line, pseudo-headers, every indentation lost.</summary>
    public static string ArchiveCopyPath => Checkout.Fixture("Patches", "Import", "bpf-async-kfunc-suffixes.rfc.txt");
}
