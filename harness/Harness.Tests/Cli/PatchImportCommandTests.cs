using Harness.Cli;
using Harness.Errors;
using Harness.Tests.Patches.Import;
using NUnit.Framework;

namespace Harness.Tests.Cli;

public class PatchImportCommandTests
{
    [Test, CancelAfter(30_000)]
    public async Task Writes_the_imported_patch_to_the_output_file(CancellationToken ct)
    {
        var output = Path.Combine(Path.GetTempPath(), $"harness-import-cli-{Guid.NewGuid():N}.patch");
        try
        {
            var exit = await CommandCatalog.BuildRoot()
                .Parse(["patch", "import", ImportFixtures.Path("bpf-async-kfunc-suffixes.rfc.txt"), "--tree", ImportFixtures.Tree, "-o", output])
                .InvokeAsync(cancellationToken: ct);

            Assert.That(exit, Is.EqualTo(ExitCodes.Success));
            Assert.That(await File.ReadAllTextAsync(output, ct), Is.EqualTo(ImportFixtures.Read("bpf-async-kfunc-suffixes.expected.patch")));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [TestCase("no-such-file.txt", ExitCodes.BadInput), CancelAfter(30_000)]
    public async Task Exits_with_bad_input_for_a_missing_file(string file, int expected, CancellationToken ct)
    {
        var exit = await CommandCatalog.BuildRoot()
            .Parse(["patch", "import", file, "--tree", ImportFixtures.Tree])
            .InvokeAsync(cancellationToken: ct);

        Assert.That(exit, Is.EqualTo(expected));
    }
}
