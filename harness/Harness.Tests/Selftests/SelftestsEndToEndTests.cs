using Harness.Processes;
using Harness.Selftests;
using NUnit.Framework;

namespace Harness.Tests.Selftests;

/// <summary>
/// The real toolchain on the real tree: libbpf headers, vmlinux.h from a kernel's BTF, every program under
/// selftests/ compiled for both arches, and the static loader built for both arches.
/// The kernel is $HARNESS_VMLINUX, else the patched x86_64 kernel the harness builds:
/// the selftests compile against any of them (they name no type only the patched kernel has).
/// </summary>
[Category("EndToEnd")]
public class SelftestsEndToEndTests
{
    private const ushort MachineX86_64 = 62;
    private const ushort MachineAarch64 = 183;
    private static string Tree => Support.BuiltKernels.TreeDirectory();

    private static string Checkout()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) return dir.FullName;
        throw new InvalidOperationException("test not run from inside the checkout");
    }

    private static string Vmlinux() =>
        new[]
        {
            Environment.GetEnvironmentVariable("HARNESS_VMLINUX") ?? "",
            Support.BuiltKernels.Patched("x86_64").Vmlinux,
        }.First(p => p.Length > 0 && File.Exists(p));

    [Test, CancelAfter(600_000)]
    public async Task Compiles_every_selftest_and_builds_a_static_loader_for_both_arches(CancellationToken token)
    {
        Assert.That(Directory.Exists(Tree), Is.True, $"{Tree}: the extracted 6.12 tree (harness provisions it on the first run)");
        using var bed = new SelftestsTestBed();
        var checkout = Checkout();
        var context = bed.Context(new ProcessRunner()) with { Project = new Harness.Config.ProjectLayout(checkout) };
        var sources = SelftestSources.Of(Path.Combine(checkout, "selftests"));

        var headers = await new LibbpfHeadersStage().RunAsync(context, Tree, "e2e", token);
        foreach (var (arch, machine) in new[] { (SelftestsTestBed.X86, MachineX86_64), (SelftestsTestBed.Arm64, MachineAarch64) })
        {
            var vmlinuxH = await new VmlinuxHeaderStage().RunAsync(context, arch, Vmlinux(), token);
            var compiled = await new SelftestCompileStage().RunAsync(context, arch, sources, vmlinuxH, headers, token);
            var tools = await new LoaderBuildStage().RunAsync(context, arch, Tree, "e2e", headers, token);

            Assert.That(compiled.Objects, Has.Count.EqualTo(sources.CSources.Count));
            Assert.That(compiled.Objects.All(o => new FileInfo(o).Length > 0), Is.True);
            var (elfMachine, dynamic) = ElfFacts(tools.LoaderPath);
            Assert.That(elfMachine, Is.EqualTo(machine), $"{tools.LoaderPath} is for the wrong machine");
            Assert.That(dynamic, Is.False, $"{tools.LoaderPath} has a PT_INTERP: not statically linked");
        }
    }

    /// <summary>e_machine and whether a program interpreter (dynamic linking) is requested.</summary>
    private static (ushort Machine, bool Dynamic) ElfFacts(string path)
    {
        var b = File.ReadAllBytes(path);
        Assert.That(b[..4], Is.EqualTo(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }));
        var machine = BitConverter.ToUInt16(b, 18);
        var phoff = (int)BitConverter.ToUInt64(b, 32);
        var phentsize = BitConverter.ToUInt16(b, 54);
        var phnum = BitConverter.ToUInt16(b, 56);
        const uint PtInterp = 3;
        var dynamic = Enumerable.Range(0, phnum).Any(i => BitConverter.ToUInt32(b, phoff + i * phentsize) == PtInterp);
        return (machine, dynamic);
    }
}
