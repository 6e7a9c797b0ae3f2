using Harness.Errors;
using Harness.Kconfig;
using NUnit.Framework;

namespace Harness.Tests.Kconfig;

public class KconfigCheckerTests
{
    private const string Fragment = """
        # BPF
        CONFIG_BPF_SYSCALL=y
        CONFIG_BPF_JIT=y
        # CONFIG_DEBUG_INFO_REDUCED is not set
        CONFIG_LOG_BUF_SHIFT=17
        """;

    private static IReadOnlyList<KconfigEntry> Definitions(string symbol) => symbol switch
    {
        "BPF_JIT" => [new KconfigEntry("kernel/bpf/Kconfig", 41, ["depends on BPF && HAVE_CBPF_JIT || HAVE_EBPF_JIT", "select ARCH_WANT_X"])],
        _ => [],
    };

    [Test]
    public void Accepts_a_config_that_sets_every_requested_symbol()
    {
        var requests = KconfigFragment.Parse("base.config", Fragment);
        const string final = "CONFIG_BPF_SYSCALL=y\nCONFIG_BPF_JIT=y\nCONFIG_LOG_BUF_SHIFT=17\n";

        Assert.That(KconfigChecker.Check(requests, final, Definitions), Is.Empty);
    }

    [Test]
    public void Reports_a_dropped_symbol_with_its_fragment_line_and_unmet_dependency()
    {
        var requests = KconfigFragment.Parse("configs/kconfig/base.config", Fragment);
        const string final = "CONFIG_BPF_SYSCALL=y\nCONFIG_BPF=y\n# CONFIG_BPF_JIT is not set\nCONFIG_LOG_BUF_SHIFT=17\n";

        var mismatches = KconfigChecker.Check(requests, final, Definitions);
        var message = KconfigChecker.Describe(mismatches, final);

        Assert.That(mismatches.Select(m => (m.Request.Symbol, m.Actual)), Is.EqualTo(new[] { ("CONFIG_BPF_JIT", "n") }));
        Assert.That(message, Does.Contain("configs/kconfig/base.config:3: CONFIG_BPF_JIT requested y, final .config has n."));
        Assert.That(message, Does.Contain("defined at kernel/bpf/Kconfig:41"));
        Assert.That(message, Does.Contain("depends on BPF && HAVE_CBPF_JIT || HAVE_EBPF_JIT   [BPF=y, HAVE_CBPF_JIT=n, HAVE_EBPF_JIT=n]"));
    }

    [Test]
    public void Reports_a_symbol_no_kconfig_file_defines()
    {
        var requests = KconfigFragment.Parse("x.config", "CONFIG_NO_SUCH_THING=y\n");

        var mismatches = KconfigChecker.Check(requests, "", Definitions);

        Assert.That(KconfigChecker.Describe(mismatches, ""), Does.Contain("No Kconfig file of this tree defines NO_SUCH_THING"));
    }

    [Test]
    public void A_later_fragment_overrides_an_earlier_one()
    {
        var requests = KconfigFragment.Parse("a.config", "CONFIG_PCI=y\n").Concat(KconfigFragment.Parse("b.config", "# CONFIG_PCI is not set\n"));

        Assert.That(KconfigChecker.Check(requests, "# CONFIG_PCI is not set\n", Definitions), Is.Empty);
        Assert.That(KconfigFragment.Merge("CONFIG_PCI=y\nCONFIG_X=y\n", requests), Is.EqualTo("CONFIG_X=y\n# CONFIG_PCI is not set\n"));
    }

    [Test]
    public void A_symbol_absent_from_the_final_config_counts_as_not_set()
    {
        var requests = KconfigFragment.Parse("a.config", "# CONFIG_DEBUG_INFO_SPLIT is not set\nCONFIG_NET=y\n");

        var mismatches = KconfigChecker.Check(requests, "", Definitions);

        Assert.That(mismatches.Select(m => m.Request.Symbol), Is.EqualTo(new[] { "CONFIG_NET" }));
    }

    [Test]
    public void Rejects_a_fragment_line_that_is_not_a_setting()
    {
        var error = Assert.Throws<BadInputException>(() => KconfigFragment.Parse("configs/kconfig/x.config", "CONFIG_A=y\nBPF=y\n"))!;

        Assert.That(error.Message, Does.StartWith("configs/kconfig/x.config:2: 'BPF=y' is not a Kconfig setting."));
    }

    [Test]
    public void Finds_the_dependency_lines_of_a_kconfig_entry()
    {
        string[] kconfig =
        [
            "config BPF_JIT", "\tbool \"Enable BPF Just In Time compiler\"", "\tdepends on BPF", "\tdepends on HAVE_CBPF_JIT || HAVE_EBPF_JIT",
            "\tselect ARCH_WANT_DEFAULT_BPF_JIT", "\thelp", "\t  The JIT.", "", "config BPF_JIT_ALWAYS_ON", "\tbool", "\tdepends on BPF_JIT",
        ];

        var entries = KconfigDefinitions.Entries("kernel/bpf/Kconfig", kconfig).ToArray();

        Assert.That(entries.Select(e => e.Symbol), Is.EqualTo(new[] { "BPF_JIT", "BPF_JIT_ALWAYS_ON" }));
        Assert.That(entries[0].Entry, Has.Property("Line").EqualTo(1));
        Assert.That(entries[0].Entry.DependencyLines,
            Is.EqualTo(new[] { "depends on BPF", "depends on HAVE_CBPF_JIT || HAVE_EBPF_JIT", "select ARCH_WANT_DEFAULT_BPF_JIT" }));
        Assert.That(entries[1].Entry.DependencyLines, Is.EqualTo(new[] { "depends on BPF_JIT" }));
    }
}
