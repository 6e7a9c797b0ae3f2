using Harness.Kconfig;
using NUnit.Framework;

namespace Harness.Tests.Kconfig;

public class KconfigInputsTests
{
    [TestCase("kernel/bpf/Kconfig", true)]
    [TestCase("arch/x86/Kconfig.debug", true)]
    [TestCase("kernel/configs/tiny.config", true)]
    [TestCase("arch/arm64/configs/defconfig", true)]
    [TestCase("scripts/kconfig/conf.c", true)]
    [TestCase("Makefile", true)]
    [TestCase("kernel/bpf/verifier.c", false)]
    [TestCase("kernel/bpf/Makefile", false)]
    [TestCase("include/linux/bpf_verifier.h", false)]
    public void Counts_only_files_kconfig_reads_as_configuration_inputs(string path, bool matters) =>
        Assert.That(KconfigInputs.Matters(path), Is.EqualTo(matters));
}
