using NUnit.Framework;
namespace Harness.Tests.Verdicts;

/// <summary>Paths of the fixtures copied to the test output directory.</summary>
internal static class Fixture
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([TestContext.CurrentContext.TestDirectory, "Fixtures", .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));
}
