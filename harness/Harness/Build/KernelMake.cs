using Harness.Config;
using Harness.Processes;

namespace Harness.Build;

/// <summary>
/// The kernel's make, with the same ARCH/CROSS_COMPILE/CC for configuring and building (Kconfig records
/// the compiler, so a different CC at build time would re-run it), and ccache in the harness cache.
/// </summary>
public static class KernelMake
{
    public static ProcessSpec Spec(ArchConfig arch, CacheLayout cache, string sourceDirectory, string outputDirectory,
        IEnumerable<string> targets, string logFile, TimeSpan? timeout = null) =>
        new("make",
        [
            "-C", sourceDirectory,
            $"ARCH={arch.KernelArch}",
            $"CROSS_COMPILE={arch.CrossCompile}",
            $"O={outputDirectory}",
            $"CC=ccache {Toolchain.Compiler(arch)}",
            .. targets,
        ])
        {
            LogFile = logFile,
            Timeout = timeout,
            CaptureStandardOutput = false,
            Environment = new Dictionary<string, string?>
            {
                ["CCACHE_DIR"] = cache.Ccache,
                // Messages in English, so the error parser reads them whatever the user's locale. The kernel's
                // Makefile unexports LC_ALL, so the compiler would see LANG: set that too.
                ["LC_ALL"] = "C",
                ["LANG"] = "C",
                ["LC_MESSAGES"] = null,
                ["LC_CTYPE"] = null,
                // make's own MAKEFLAGS from a parent make (make run) would leak -j and the jobserver.
                ["MAKEFLAGS"] = null,
                ["MAKELEVEL"] = null,
                ["MFLAGS"] = null,
            },
        };
}
