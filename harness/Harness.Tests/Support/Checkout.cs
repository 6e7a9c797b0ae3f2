using Harness.Config;

namespace Harness.Tests.Support;

/// <summary>The real checkout the tests run from: arch files, vm-images/, fixtures.</summary>
public static class Checkout
{
    public static ProjectLayout Layout { get; } = ProjectLayout.Locate();

    public static ArchRegistry Arches { get; } = ArchRegistry.Load(Layout.ArchDirectory);

    public static ArchConfig Arch(string name) => Arches.Get(name);

    public static string Fixture(params string[] parts) =>
        Path.Combine([TestContext.CurrentContext.TestDirectory, "Fixtures", .. parts]);
}
