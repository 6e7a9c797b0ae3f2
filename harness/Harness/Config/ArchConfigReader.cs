namespace Harness.Config;

/// <summary>Binds configs/arch/NAME.yaml to an <see cref="ArchConfig"/>, refusing unknown keys.</summary>
public static class ArchConfigReader
{
    public static ArchConfig Read(string file)
    {
        var root = YamlNodeReader.Load(file).OnlyKeys(
            "name", "kernel-arch", "cross-compile", "image-target", "image-path", "kconfig-fragments",
            "debian-arch", "gnu-triplet", "bpf-target-arch", "qemu");
        var name = root.String("name");
        var expected = Path.GetFileNameWithoutExtension(file);
        // `--arch NAME` and `arches: [NAME]` find the file by its name: a different name inside would be a second truth.
        if (name != expected)
            throw root.Required("name").Error($"is '{name}' but the file is named '{Path.GetFileName(file)}'. Make them the same " +
                                              $"(name: {expected}, or rename the file to {name}{Path.GetExtension(file)}).");

        var qemu = root.Required("qemu").OnlyKeys(
            "binary", "package", "machine", "cpu", "kvm-cpu", "accelerators", "memory", "cpus", "console",
            "net-device", "extra-args", "kernel-args");
        var accelerators = qemu.StringList("accelerators");
        foreach (var (accel, i) in accelerators.Select((a, i) => (a, i)))
            if (accel is not ("kvm" or "tcg"))
                throw qemu.Required("accelerators").Items()[i].Error($"is '{accel}'. Use kvm or tcg.");

        return new ArchConfig
        {
            Name = name,
            SourceFile = file,
            KernelArch = root.String("kernel-arch"),
            CrossCompile = root.OptionalString("cross-compile") ?? "",
            ImageTarget = root.String("image-target"),
            ImagePath = root.String("image-path"),
            KconfigFragments = root.StringList("kconfig-fragments"),
            DebianArch = root.String("debian-arch"),
            GnuTriplet = root.String("gnu-triplet"),
            BpfTargetArch = root.String("bpf-target-arch"),
            Qemu = new QemuConfig
            {
                Binary = qemu.String("binary"),
                Package = qemu.String("package"),
                Machine = qemu.String("machine"),
                Cpu = qemu.String("cpu"),
                KvmCpu = qemu.OptionalString("kvm-cpu") ?? "host",
                Accelerators = accelerators.Count > 0 ? accelerators : ["tcg"],
                Memory = Memory(qemu),
                Cpus = Positive(qemu, "cpus", 1),
                Console = qemu.String("console"),
                NetDevice = qemu.String("net-device"),
                ExtraArguments = qemu.StringList("extra-args"),
                KernelArguments = qemu.StringList("kernel-args"),
            },
        };
    }

    private static int Positive(YamlNodeReader node, string key, int fallback)
    {
        var value = node.Int(key, fallback);
        return value >= 1 ? value : throw node.Required(key).Error($"is {value}. Give 1 or more.");
    }

    /// <summary>QEMU's -m size (512M, 2G), checked here so a typo is a bad input and not a guest that fails to start.</summary>
    private static string Memory(YamlNodeReader qemu)
    {
        var memory = qemu.OptionalString("memory") ?? "512M";
        return System.Text.RegularExpressions.Regex.IsMatch(memory, "^[1-9][0-9]*[MGmg]?$")
            ? memory
            : throw qemu.Required("memory").Error($"is '{memory}'. Give a size in megabytes or gigabytes, like 512M or 2G.");
    }
}
