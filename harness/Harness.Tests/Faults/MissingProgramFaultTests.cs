using System.Text.RegularExpressions;
using Harness.Build;
using Harness.Cli;
using Harness.Errors;
using Harness.Processes;
using Harness.Selftests;
using Harness.Tests.Support;

namespace Harness.Tests.Faults;

/// <summary>
/// The real CLI run with a PATH that lacks one program (a directory of links to everything else on PATH): the
/// message names the program and the Debian package that provides it, exit 2, and nothing is started or written.
/// </summary>
[Category("Faults")]
public partial class MissingProgramFaultTests
{
    [TestCase("qemu-system-aarch64", "arm64", "qemu-system-arm")]
    [TestCase("qemu-system-x86_64", "x86_64", "qemu-system-x86")]
    [TestCase("aarch64-linux-gnu-gcc", "arm64", "gcc-aarch64-linux-gnu")]
    [TestCase("clang-19", "x86_64", "clang-19")]
    [TestCase("bpftool", "x86_64", "bpftool")]
    [TestCase("pahole", "x86_64", "dwarves")]
    [TestCase("dropbearkey", "x86_64", "dropbear-bin")]
    [CancelAfter(120_000)]
    public async Task A_run_without_a_program_names_its_Debian_package_before_starting_anything(string program, string arch, string package, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchConfig();
        var path = PathWithout(scratch.File("bin"), program);

        var result = await HarnessCli.RunAsync(["run", "--config", scratch.Write(), "--arch", arch, "--no-baseline"], cancellationToken, scratch.Temp, path);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.InfrastructureError), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{program} not found on PATH"));
        Assert.That(result.StandardError, Does.Contain($"{program}: Install it with: sudo apt-get install {package}"));
        scratch.AssertNothingBuiltBootedOrWritten(program);
    }

    /// <summary>Every program the harness starts (found in its source and the arch files) has a Debian package to name, and a run checks it first.</summary>
    [Test]
    public void Every_program_the_harness_starts_has_a_package_and_is_checked_before_a_run()
    {
        var source = Path.Combine(Checkout.Layout.Root, "harness", "Harness");
        var started = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .SelectMany(f => ProgramLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups["program"].Value))
            .Append("git").Append(SelftestCompileStage.Clang).Append("bash")
            .Concat(Checkout.Arches.Names.Select(Checkout.Arch).SelectMany(a => Toolchain.RequiredPrograms(a).Append(a.Qemu.Binary)))
            .Distinct().Order().ToArray();
        var run = CommonOptions.Load(null, null);
        // Started only by `bench` (its plain-way scripts) or printed for the user, never by a run.
        string[] notRun = ["bash", "ssh"];

        Assert.That(started, Does.Contain("dpkg-deb").And.Contain("tar").And.Contain("make"), "the source scan found the programs");
        Assert.Multiple(() =>
        {
            foreach (var program in started)
            {
                Assert.That(MissingPrograms.PackageFor(program), Is.Not.Null, $"{program}: no Debian package in MissingPrograms");
                if (!notRun.Contains(program)) Assert.That(HostPrograms.For(run), Does.Contain(program), $"{program}: not checked by HostPrograms");
            }
        });
    }

    /// <summary>A directory of links to every program on the current PATH except <paramref name="hidden"/>.</summary>
    private static string PathWithout(string directory, string hidden)
    {
        Directory.CreateDirectory(directory);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            var name = Path.GetFileName(file);
            var link = Path.Combine(directory, name);
            if (name == hidden || File.Exists(link) || Directory.Exists(link)) continue;
            File.CreateSymbolicLink(link, file);
        }
        var present = hidden == "git" ? "make" : "git";
        Assert.That(File.Exists(Path.Combine(directory, present)) && !File.Exists(Path.Combine(directory, hidden)), "the reduced PATH");
        return directory;
    }

    [GeneratedRegex("""(?:ProcessSpec\.Of\(|new ProcessSpec\(|Run\(context,)\s*"(?<program>[a-z][a-z0-9_.+-]*)"\s*,""")]
    private static partial Regex ProgramLiteral();
}
