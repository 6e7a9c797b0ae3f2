using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// A copy of configs/run.yaml in a temp directory with every path absolute, and an empty cache and output of its
/// own: a fault test can break one thing in it and prove that nothing was built, booted or written.
/// </summary>
public sealed class ScratchConfig : IDisposable
{
    private readonly TempDirectory _directory = new();

    /// <param name="realCache">Keep the real (warm) cache ~/.cache/harness: for runs that must not rebuild anything.</param>
    public ScratchConfig(bool realCache = false)
    {
        var root = Checkout.Layout.Root;
        Text = System.IO.File.ReadAllText(Checkout.Layout.DefaultRunConfig)
            .Replace("../", root + "/")
            .Replace("directory: kconfig", $"directory: {Checkout.Layout.ConfigsDirectory}/kconfig")
            .Replace("output: " + root + "/results", "output: " + Output)
            .Replace("cache: ~/.cache/harness", "cache: " + (realCache ? "~/.cache/harness" : Cache));
        Assert.That(Text, Does.Contain(Output).And.Contain(realCache ? "~/.cache/harness" : Cache), "configs/run.yaml changed shape: update ScratchConfig");
        Directory.CreateDirectory(Temp);
    }

    public string Root => _directory.Path;
    public string Output => _directory.Combine("out");
    public string Cache => _directory.Combine("cache");

    /// <summary>TMPDIR of the harness under test: it must be empty afterwards.</summary>
    public string Temp => _directory.Combine("tmp");

    /// <summary>The run config text; edit it before <see cref="Write"/>.</summary>
    public string Text { get; set; }

    public string File(params string[] relative) => _directory.Combine(relative);

    public string Write(string name = "run.yaml") => _directory.Write(name, Text);

    public string WriteFile(string relative, string text) => _directory.Write(relative, text);

    /// <summary>No kernel built, no tree extracted, no build dir, no guest image, no run directory, no temp left, no process.</summary>
    /// <param name="because">The fault, for the assertion messages.</param>
    /// <param name="treeWork">Trees and worktrees may exist (the input was found bad while applying the series).</param>
    public void AssertNothingBuiltBootedOrWritten(string because, bool treeWork = false)
    {
        string[] heavy = treeWork ? ["kernels", "build", "images", "objects"] : ["kernels", "build", "trees", "images", "objects", "worktrees"];
        var made = heavy.Select(d => Path.Combine(Cache, d)).Where(d => Directory.Exists(d) && Directory.EnumerateFileSystemEntries(d).Any());
        Assert.Multiple(() =>
        {
            Assert.That(made, Is.Empty, $"cache entries made ({because})");
            Assert.That(Directory.Exists(Output) ? Directory.GetFileSystemEntries(Output) : [], Is.Empty, $"output written ({because})");
            Assert.That(Directory.GetFileSystemEntries(Temp), Is.Empty, $"temp left ({because})");
            Assert.That(ProcessTable.Containing(Root), Is.Empty, $"processes left ({because})");
        });
    }

    public void Dispose() => _directory.Dispose();
}
