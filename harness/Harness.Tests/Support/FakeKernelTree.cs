namespace Harness.Tests.Support;

/// <summary>
/// A git repository that looks enough like a kernel tree for the configure and build stages (like
/// tuxmake's fakelinux): its Makefile honours O=, writes a .config for tinyconfig, drops CONFIG_NEEDS_PCI
/// on olddefconfig (PCI is never set), and for Image either prints the text of a committed FAIL file and
/// fails, or writes an image, vmlinux and System.map. Every build appends a line to O/builds.
/// </summary>
public static class FakeKernelTree
{
    private const string Makefile = """
        .PHONY: tinyconfig olddefconfig Image
        tinyconfig:
        	mkdir -p $(O) && printf 'CONFIG_FAKE=y\n# CONFIG_OTHER is not set\n' > $(O)/.config
        olddefconfig:
        	sed -i '/^CONFIG_NEEDS_PCI=/d' $(O)/.config
        Image:
        	echo "$(ARCH) $(CC)" >> $(O)/builds
        	@if [ -f $(CURDIR)/FAIL ]; then cat $(CURDIR)/FAIL; exit 2; fi
        	@if [ -f $(CURDIR)/SLEEP ]; then sleep $$(cat $(CURDIR)/SLEEP); fi
        	mkdir -p $(O)/arch/$(ARCH)/boot
        	echo image > $(O)/arch/$(ARCH)/boot/Image
        	echo vmlinux > $(O)/vmlinux
        	echo map > $(O)/System.map
        """;

    private const string Kconfig = """
        config FAKE
        	bool "A fake option"

        config NEEDS_PCI
        	bool "Needs PCI"
        	depends on PCI
        	help
        	  depends on nothing in help text.
        """;

    public static async Task<GitRepo> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var repo = await GitRepo.InitAsync(path, cancellationToken);
        repo.Write("Makefile", Makefile.Replace("\n        \t", "\n\t"));
        repo.Write("Kconfig", Kconfig);
        repo.Write("kernel/bpf/verifier.c", "int verifier;\n");
        await repo.CommitAllAsync("fake kernel", cancellationToken);
        return repo;
    }
}
