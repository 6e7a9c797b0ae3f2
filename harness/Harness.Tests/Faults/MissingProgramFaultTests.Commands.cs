using Harness.Errors;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// Every command that starts host programs checks them before it starts anything, as `run` does: the same exit 2
/// and message (the program, its Debian package and the apt-get line), with a PATH that lacks one program.
/// </summary>
public partial class MissingProgramFaultTests
{
    [TestCase("build", "x86_64", "pahole", "dwarves")]
    [TestCase("build", "arm64", "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")]
    [TestCase("exec", "x86_64", "qemu-system-x86_64", "qemu-system-x86")]
    [TestCase("exec", "arm64", "qemu-system-aarch64", "qemu-system-arm")]
    [TestCase("exec", "x86_64", "dropbearkey", "dropbear-bin")]
    [TestCase("exec-building-its-kernel", "arm64", "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")]
    [TestCase("boot", "x86_64", "qemu-system-x86_64", "qemu-system-x86")]
    [TestCase("bisect", "x86_64", "qemu-system-x86_64", "qemu-system-x86")]
    [TestCase("bisect", "x86_64", "clang-19", "clang-19")]
    [TestCase("bisect", "arm64", "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")]
    [TestCase("tree", "x86_64", "dpkg-query", "dpkg")]
    [TestCase("patch-apply", "x86_64", "git", "git")]
    [TestCase("bench", "x86_64", "ssh", "openssh-client")]
    [TestCase("matrix", "arm64", "qemu-system-aarch64", "qemu-system-arm")]
    [CancelAfter(120_000)]
    public async Task A_command_without_a_program_it_starts_names_its_Debian_package_before_starting_anything(
        string command, string arch, string program, string package, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var path = PathWithout(scratch.File("bin"), program);
        var config = scratch.Write();
        // Any file will do for --kernel: the check comes before QEMU would read it.
        var kernel = scratch.WriteFile("kernel-image", "not booted\n");
        string[] arguments = command switch
        {
            "exec" => ["exec", "--config", config, "--arch", arch, "--kernel", kernel, "--", "true"],
            "exec-building-its-kernel" => ["exec", "--config", config, "--arch", arch, "--", "true"],
            "boot" => ["boot", "--config", config, "--arch", arch, "--kernel", kernel],
            "tree" => ["tree", "--config", config],
            "patch-apply" => ["patch", "apply", "--config", config],
            "bench" => ["bench", "--config", config, "--arch", arch, "--boots", "1"],
            "matrix" => ["run", "--matrix", ScratchMatrix(scratch), "--arch", arch],
            _ => [command, "--config", config, "--arch", arch],
        };

        var result = await HarnessCli.RunAsync(arguments, cancellationToken, scratch.Temp, path);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{program} not found on PATH; nothing was started."), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{program}: Install it with: sudo apt-get install {package}"), result.Transcript());
        Assert.That(result.StandardError, Does.Not.Contain("Cannot start"), "a program was started and failed instead of being checked first");
        scratch.AssertNothingBuiltBootedOrWritten($"{command} without {program}");
    }

    /// <summary>configs/matrix.yaml with every path absolute and the scratch cache and output.</summary>
    private static string ScratchMatrix(ScratchConfig scratch)
    {
        var root = Checkout.Layout.Root;
        var text = File.ReadAllText(Path.Combine(Checkout.Layout.ConfigsDirectory, "matrix.yaml"))
            .Replace("../", root + "/")
            .Replace("directory: kconfig", $"directory: {Checkout.Layout.ConfigsDirectory}/kconfig")
            .Replace("output: " + root + "/results", "output: " + scratch.Output)
            .Replace("cache: ~/.cache/harness", "cache: " + scratch.Cache);
        Assert.That(text, Does.Contain(scratch.Output).And.Contain(scratch.Cache), "configs/matrix.yaml changed shape: update the test");
        return scratch.WriteFile("matrix.yaml", text);
    }
}
