using Harness.Build;
using NUnit.Framework;

namespace Harness.Tests.Build;

public class BuildErrorParserTests
{
    private static string[] Fixture(string name) =>
        File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "build", name));

    [Test]
    public void Finds_the_first_compiler_error_of_a_real_kernel_build_failure()
    {
        // Captured from a real x86_64 build of the series' first draft (a missing brace in visit_insn).
        var lines = Fixture("x86_64-verifier-storage-class.log");

        var error = BuildErrorParser.FirstError(lines)!;

        Assert.That(error.File, Is.EqualTo("/root/.cache/harness/worktrees/linux-source-6.12/build/kernel/bpf/verifier.c"));
        Assert.That((error.Line, error.Column), Is.EqualTo((17296, 12)));
        Assert.That(error.Message, Is.EqualTo("invalid storage class for function ‘check_cfg’"));
        Assert.That(error.Context[0], Does.EndWith("verifier.c: In function ‘visit_insn’:"));
        Assert.That(error.Context, Has.Some.EqualTo("17296 | static int check_cfg(struct bpf_verifier_env *env)"));
    }

    [TestCase("  CC      init/main.o\ninit/main.c:12:1: fatal error: linux/nope.h: No such file or directory\n",
        "init/main.c:12:1", "linux/nope.h: No such file or directory")]
    [TestCase("  LD      vmlinux.o\nld: kernel/bpf/verifier.o: in function `check_cfg':\nld: verifier.c:(.text+0x1c): undefined reference to `bpf_nope'\nmake[2]: *** [scripts/Makefile.vmlinux_o:61: vmlinux.o] Error 1\n",
        "", "ld: verifier.c:(.text+0x1c): undefined reference to `bpf_nope'")]
    [TestCase("scripts/Makefile.build:41: *** missing separator.  Stop.\n", "scripts/Makefile.build:41", "missing separator.  Stop.")]
    [TestCase("  CC      a.o\nmake[1]: *** No rule to make target 'Imagex'.  Stop.\n", "", "No rule to make target 'Imagex'.  Stop.")]
    public void Finds_the_first_error_of_other_kinds_of_failure(string log, string location, string message)
    {
        var error = BuildErrorParser.FirstError(log.Split('\n'))!;

        Assert.That(error.Location, Is.EqualTo(location));
        Assert.That(error.Message, Is.EqualTo(message));
    }

    [Test]
    public void Ignores_warnings_and_finds_nothing_in_a_clean_log()
    {
        string[] log = ["  CC      kernel/bpf/core.o", "kernel/bpf/core.c:10:5: warning: unused variable 'x' [-Wunused-variable]", "  LD      vmlinux"];

        Assert.That(BuildErrorParser.FirstError(log), Is.Null);
    }
}
