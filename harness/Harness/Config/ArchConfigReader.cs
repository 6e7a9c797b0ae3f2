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
        if (name != expected)
            throw root.Required("name").Error($"is '{name}' but the file is named '{expected}.yaml'. Make them the same.");

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
                Memory = qemu.OptionalString("memory") ?? "512M",
                Cpus = qemu.Int("cpus", 1),
                Console = qemu.String("console"),
                NetDevice = qemu.String("net-device"),
                ExtraArguments = qemu.StringList("extra-args"),
                KernelArguments = qemu.StringList("kernel-args"),
            },
        };
    }
}
