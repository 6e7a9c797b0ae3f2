namespace Harness.Processes;

/// <summary>Which Debian package provides a program, so "not found" can say what to install.</summary>
public static class MissingPrograms
{
    private static readonly Dictionary<string, string> PackageOf = new()
    {
        ["git"] = "git",
        ["make"] = "make",
        ["gcc"] = "gcc",
        ["aarch64-linux-gnu-gcc"] = "gcc-aarch64-linux-gnu",
        ["ccache"] = "ccache",
        ["pahole"] = "dwarves",
        ["clang-19"] = "clang-19",
        ["llvm-strip-19"] = "llvm-19",
        ["bpftool"] = "bpftool",
        ["qemu-system-x86_64"] = "qemu-system-x86",
        ["qemu-system-aarch64"] = "qemu-system-arm",
        ["cpio"] = "cpio",
        ["dropbearkey"] = "dropbear-bin",
        ["dpkg-deb"] = "dpkg",
        ["dpkg-query"] = "dpkg",
        ["ssh"] = "openssh-client",
        ["ssh-keygen"] = "openssh-client",
        ["apt-get"] = "apt",
        ["tar"] = "tar",
        ["bash"] = "bash",
        ["flex"] = "flex",
        ["bison"] = "bison",
        ["bc"] = "bc",
    };

    /// <summary>The Debian package of <paramref name="program"/>, or null when the table does not know it.</summary>
    /// <remarks>A cross compiler not in the table follows Debian's naming: PREFIX-gcc comes from gcc-PREFIX (a new arch file needs no entry here).</remarks>
    public static string? PackageFor(string program)
    {
        var name = Path.GetFileName(program);
        if (PackageOf.TryGetValue(name, out var package)) return package;
        return name.EndsWith("-gcc", StringComparison.Ordinal) && name.Length > "-gcc".Length ? $"gcc-{name[..^"-gcc".Length]}" : null;
    }

    public static string Hint(string program) => Hint(program, null);

    /// <summary>How to install <paramref name="program"/>: <paramref name="package"/> when the caller knows it (an arch file names its QEMU's), else the table's.</summary>
    public static string Hint(string program, string? package)
    {
        package ??= PackageFor(program);
        return package is not null
            ? $"Install it with: sudo apt-get install {package}   (or run 'make deps', which installs every package Harness needs)"
            : "Install it, or run 'make deps', which installs every package Harness needs.";
    }
}
