namespace Harness.Selftests;

/// <summary>
/// A directory of BPF selftests: C sources (*.c, compiled per arch) and/or prebuilt objects (*.bpf.o, *.o,
/// copied as they are). <see cref="IncludeDirectories"/> are searched after the directory itself and its
/// include/ (the tree's tools/testing/selftests/bpf, for its progs/ that include bpf_misc.h's neighbours).
/// </summary>
public sealed record SelftestSources(string Directory, IReadOnlyList<string> IncludeDirectories)
{
    public static SelftestSources Of(string directory, params string[] includeDirectories) =>
        new(Path.GetFullPath(directory), includeDirectories.Select(Path.GetFullPath).ToArray());

    public IReadOnlyList<string> CSources =>
        System.IO.Directory.GetFiles(Directory, "*.c").Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> PrebuiltObjects =>
        System.IO.Directory.GetFiles(Directory, "*.o").Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every file whose change must recompile: sources, objects and headers here and in include/.</summary>
    public IReadOnlyList<string> Inputs
    {
        get
        {
            var local = System.IO.Directory.GetFiles(Directory, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".c", StringComparison.Ordinal) || f.EndsWith(".h", StringComparison.Ordinal)
                            || f.EndsWith(".o", StringComparison.Ordinal));
            var included = IncludeDirectories.Where(System.IO.Directory.Exists)
                .SelectMany(d => System.IO.Directory.GetFiles(d, "*.h"));
            return local.Concat(included).ToArray();
        }
    }
}

/// <summary>The objects of one arch, ready to upload: <see cref="Objects"/> are full paths in <see cref="Directory"/>.</summary>
public sealed record CompiledSelftests(string Arch, string Key, string Directory, IReadOnlyList<string> Objects);
