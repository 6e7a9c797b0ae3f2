using Harness.Errors;

namespace Harness.Tests.Faults;

/// <summary>
/// Broken arch files (configs/arch/NAME.yaml) given to the real CLI: each exits 3 with a message naming the file,
/// the line:column or key, and the fix, before anything is built or booted. The CLI runs from a scratch checkout
/// (<see cref="ScratchCheckout"/>), so it reads the scratch arch files; the real ones are never touched.
/// </summary>
[Category("Faults")]
public class ArchFileFaultTests
{
    private const int Minute = 60_000;

    // The expected message fragments are separated by " | "; {file} is the broken arch file, {line} the injected line,
    // {next} the line after it, {dir} the scratch configs/arch.
    [TestCase("syntax-error", "{file}:{line}:16: YAML syntax error: | Fix the YAML at that position.")]
    [TestCase("unclosed-list", "{file}:{line}: YAML syntax error: a '[' list | is not closed | Close it")]
    [TestCase("duplicate-key", "{file}:{next}:1: YAML syntax error: Duplicate key kernel-arch | Fix the YAML at that position.")]
    [TestCase("unknown-key", "{file}:{line}:3: unknown key 'qemu.cpu-count'. Allowed here: binary, package, machine, cpu, kvm-cpu, accelerators, memory, cpus,")]
    [TestCase("string-for-a-number", "{file}:{line}:9: 'qemu.cpus' must be a whole number (found 'two'). Write it in digits.")]
    [TestCase("string-for-a-list", "{file}:{line}:20: 'kconfig-fragments' must be a list (found 'x86_64.config'). Write it as [a, b]")]
    [TestCase("list-for-a-value", "{file}:{line}:12: 'qemu.machine' must be a single value (found a list). Give one value.")]
    [TestCase("zero-cpus", "{file}:{line}:9: 'qemu.cpus' is 0. Give 1 or more.")]
    [TestCase("bad-memory-size", "{file}:{line}:11: 'qemu.memory' is 'lots'. Give a size in megabytes or gigabytes, like 512M or 2G.")]
    [TestCase("unknown-accelerator", "{file}:{line}: | 'qemu.accelerators[1]' is 'hvf'. Use kvm or tcg.")]
    [TestCase("missing-key", "{file}: | is missing the required key 'kernel-arch'. Add it.")]
    [TestCase("missing-qemu-key", "{file}: | 'qemu' is missing the required key 'binary'. Add it.")]
    [TestCase("empty-value", "{file}:{line}: | 'qemu.binary' is empty. Give it a value.")]
    [TestCase("name-differs-from-file", "{file}:{line}:7: 'name' is 'aarch64' but the file is named 'arm64.yaml'. Make them the same (name: arm64, or rename the file to aarch64.yaml).")]
    [TestCase("two-files-for-one-arch", "{dir}/x86_64.yaml and {dir}/x86_64.yml both describe the arch 'x86_64'. Keep one of them")]
    [TestCase("empty-file", "{file}: the file is empty. It must hold a YAML mapping of keys.")]
    [TestCase("no-arch-files", "{dir}: no arch files. Add one NAME.yaml per architecture")]
    [TestCase("arch-with-no-file", "Unknown arch 'riscv64'. Available: arm64, x86_64 (the NAME.yaml files in {dir}). Use one of them, or describe riscv64 in {dir}/riscv64.yaml.")]
    [CancelAfter(2 * Minute)]
    public async Task A_broken_arch_file_exits_3_naming_the_file_the_place_and_the_fix_before_anything_is_built(string fault, string expected, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchCheckout();
        var (file, line, arch) = Inject(scratch, fault);

        var result = await scratch.RunAsync(["run", "--config", scratch.Config.Write(), "--arch", arch, "--no-baseline"], cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Transcript());
        Assert.That(result.StandardError, Does.Contain("harness: bad input:"), result.Transcript());
        foreach (var fragment in expected.Split(" | "))
        {
            var text = fragment.Replace("{file}", file).Replace("{dir}", scratch.ArchDirectory)
                .Replace("{line}", line.ToString()).Replace("{next}", (line + 1).ToString());
            Assert.That(result.StandardError, Does.Contain(text), result.Transcript());
        }
        Assert.That(result.StandardError, Does.Not.Contain("   at "), "a stack trace instead of a message");
        scratch.Config.AssertNothingBuiltBootedOrWritten(fault);
    }

    /// <summary>Every command reads every arch file first: a broken one (here an arch the command does not use) stops each the same way.</summary>
    [TestCase("build")]
    [TestCase("bisect")]
    [TestCase("exec")]
    [TestCase("boot")]
    [TestCase("tree")]
    [TestCase("validate")]
    [CancelAfter(2 * Minute)]
    public async Task Every_command_refuses_a_broken_arch_file_before_starting_anything(string command, CancellationToken cancellationToken)
    {
        using var scratch = new ScratchCheckout();
        var (file, line, _) = Inject(scratch, "unknown-key");
        var config = scratch.Config.Write();
        string[] arguments = command switch
        {
            "exec" => ["exec", "--arch", "x86_64", "--kernel", scratch.Config.File("no-kernel"), "--", "true"],
            "boot" => ["boot", "--arch", "x86_64", "--kernel", scratch.Config.File("no-kernel")],
            "tree" => ["tree", "--config", config],
            _ => [command, "--config", config, "--arch", "x86_64"],
        };

        var result = await scratch.RunAsync(arguments, cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.Transcript());
        Assert.That(result.StandardError, Does.Contain($"{file}:{line}:3: unknown key 'qemu.cpu-count'. Allowed here:"), result.Transcript());
        scratch.Config.AssertNothingBuiltBootedOrWritten(command);
    }

    /// <summary>The control: the CLI run from the scratch checkout reads its arch files (an arch only they describe is accepted).</summary>
    [Test, CancelAfter(2 * Minute)]
    public async Task The_cli_reads_the_arch_files_of_the_checkout_it_runs_from(CancellationToken cancellationToken)
    {
        using var scratch = new ScratchCheckout();
        File.WriteAllText(scratch.ArchFile("x86_64b"), File.ReadAllText(scratch.ArchFile("x86_64")).Replace("name: x86_64", "name: x86_64b"));

        var result = await scratch.RunAsync(["validate", "--config", scratch.Config.Write(), "--arch", "x86_64b"], cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.Transcript());
        Assert.That(result.StandardOutput, Does.Contain("x86_64b"), result.Transcript());
    }

    /// <summary>Breaks one arch file of <paramref name="scratch"/>; returns that file, the line changed, and the arch to run.</summary>
    private static (string File, int Line, string Arch) Inject(ScratchCheckout scratch, string fault)
    {
        (string, int, string) X86(string prefix, string? replacement) => (scratch.ArchFile("x86_64"), scratch.ReplaceLine("x86_64", prefix, replacement), "x86_64");
        // arm64's file is broken while the run uses x86_64 only: every arch file is read, so the mistake shows at once.
        (string, int, string) Arm(string prefix, string? replacement) => (scratch.ArchFile("arm64"), scratch.ReplaceLine("arm64", prefix, replacement), "x86_64");
        switch (fault)
        {
            case "syntax-error": return Arm("  machine:", "  machine: virt: x");
            case "unclosed-list": return X86("  accelerators:", "  accelerators: [kvm, tcg");
            case "duplicate-key": return X86("bpf-target-arch:", "bpf-target-arch: x86\nkernel-arch: x86_64");
            case "unknown-key": return Arm("  cpus:", "  cpu-count: 1");
            case "string-for-a-number": return X86("  cpus:", "  cpus: two");
            case "string-for-a-list": return X86("kconfig-fragments:", "kconfig-fragments: x86_64.config");
            case "list-for-a-value": return Arm("  machine:", "  machine: [virt]");
            case "zero-cpus": return X86("  cpus:", "  cpus: 0");
            case "bad-memory-size": return Arm("  memory:", "  memory: lots");
            case "unknown-accelerator": return X86("  accelerators:", "  accelerators: [kvm, hvf]");
            case "missing-key": return X86("kernel-arch:", null);
            case "missing-qemu-key": return Arm("  binary:", null);
            case "empty-value": return X86("  binary:", "  binary:");
            case "name-differs-from-file": return Arm("name:", "name: aarch64");
            case "two-files-for-one-arch":
                File.Copy(scratch.ArchFile("x86_64"), scratch.ArchFile("x86_64", ".yml"));
                return (scratch.ArchFile("x86_64", ".yml"), 0, "x86_64");
            case "empty-file":
                File.WriteAllText(scratch.ArchFile("x86_64"), "");
                return (scratch.ArchFile("x86_64"), 0, "x86_64");
            case "no-arch-files":
                foreach (var file in Directory.GetFiles(scratch.ArchDirectory)) File.Delete(file);
                return (scratch.ArchDirectory, 0, "x86_64");
            case "arch-with-no-file": return (scratch.ArchFile("riscv64"), 0, "riscv64");
            default: throw new ArgumentException(fault);
        }
    }
}
