using Harness.Config;
using Harness.Tests.Support;
using Harness.Tree;

namespace Harness.Tests.Faults;

/// <summary>
/// A `bin/harness run` that needs no real kernel (tuxmake's fakelinux): a fake tree provisioned in a scratch cache as the
/// tree stage leaves a Debian source package (base tag, marker), whose Makefile fakes tinyconfig/olddefconfig and sleeps
/// at bzImage, and whose tools/lib/bpf Makefile installs a header and sleeps at libbpf.a (the loader, built meanwhile);
/// a one-patch series for it, Kconfig fragments it satisfies, and a run config naming them, with the cache and output
/// under the scratch directory. The sleeps are lengths no other process uses, to find them in the process table.
/// </summary>
internal static class FakeTreeRun
{
    public const string Package = "linux-source-fake";

    /// <summary>What the fake make sleeps at bzImage, and the fake libbpf make at libbpf.a.</summary>
    public const string KernelMakeSleep = "94.41", LoaderMakeSleep = "94.43";

    private const string KernelMakefile = """
        .PHONY: tinyconfig olddefconfig bzImage
        tinyconfig:
        	mkdir -p $(O) && echo CONFIG_FAKE=y > $(O)/.config
        olddefconfig:
        	true
        bzImage:
        	sleep {0}
        """;

    private const string LibbpfMakefile = """
        install_headers:
        	{0}mkdir -p $(DESTDIR)$(prefix)/include/bpf && echo '/* fake */' > $(DESTDIR)$(prefix)/include/bpf/bpf_helper_defs.h
        $(OUTPUT)libbpf.a:
        	sleep {1}
        """;

    /// <summary>Writes it all; returns the run config's path.</summary>
    /// <param name="scratch">Everything goes under it: cache/, out/, series/, selftests/, kconfig/, run.yaml.</param>
    /// <param name="cancellationToken">Stops the git commands that make the tree.</param>
    /// <param name="headersSleep">Make `make install_headers` (the first host step after the series) sleep this long first.</param>
    /// <param name="prepareSeconds">timeouts.prepare in the config; the default when null.</param>
    public static async Task<string> WriteConfigAsync(TempDirectory scratch, CancellationToken cancellationToken,
        string? headersSleep = null, int? prepareSeconds = null)
    {
        // (A --tree checkout would be cloned without a checkout, where the libbpf stage finds no files.)
        var linux = await GitRepo.InitAsync(new CacheLayout(scratch.Combine("cache")).Tree(Package), cancellationToken);
        linux.Write("Makefile", string.Format(KernelMakefile, KernelMakeSleep) + "\n");
        linux.Write("Kconfig", "config FAKE\n\tbool \"A fake option\"\n");
        linux.Write("tools/lib/bpf/Makefile",
            string.Format(LibbpfMakefile, headersSleep is null ? "" : $"sleep {headersSleep} && ", LoaderMakeSleep) + "\n");
        linux.Write("kernel/bpf/verifier.c", "int verifier;\n");
        var @base = await linux.CommitAllAsync("fake kernel", cancellationToken);
        linux.Write("kernel/bpf/verifier.c", "int verifier = 1;\n");
        await linux.FormatPatchAsync(await linux.CommitAllAsync("bpf: a change", cancellationToken), scratch.Combine("series", "0001-change.patch"), cancellationToken);
        await linux.RunAsync(cancellationToken, "reset", "--quiet", "--hard", @base);
        await linux.RunAsync(cancellationToken, "tag", TreeStage.BaseTag);
        await File.WriteAllTextAsync(Path.Combine(linux.Path, ".git", TreeStage.MarkerFile), "1.0 (fake)\n", cancellationToken);
        scratch.Write("series/series", "0001-change.patch\n");
        scratch.Write("selftests/prog.c", "int prog;\n");
        // The run's fragments and the arch's (configs/arch/x86_64.yaml names x86_64.config), all satisfied by the fake tinyconfig.
        scratch.Write("kconfig/base.config", "CONFIG_FAKE=y\n");
        scratch.Write("kconfig/x86_64.config", "CONFIG_FAKE=y\n");
        var timeouts = prepareSeconds is { } seconds ? $"timeouts:\n  prepare: {seconds}\n" : "";
        return scratch.Write("run.yaml", $"""
            tree:
              debian-package: {Package}
            series: {scratch.Combine("series")}
            baseline:
              enabled: false
            arches: [x86_64]
            selftests: {scratch.Combine("selftests")}
            output: {scratch.Combine("out")}
            cache: {scratch.Combine("cache")}
            kconfig:
              directory: {scratch.Combine("kconfig")}
              base: tinyconfig
              fragments: [base.config]

            """ + timeouts);
    }
}
