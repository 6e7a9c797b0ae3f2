namespace Harness.Verdicts;

/// <summary>
/// Tells a load the kernel refused before its verifier ran (it lacks the program type, attach type, map type, helper or
/// kfunc the program needs) from a verifier reject: such a load says nothing about the verifier, so it is
/// <see cref="OutcomeStatus.Unsupported"/>, never a reject that happens to match a __failure.
/// </summary>
public static class UnsupportedLoad
{
    private const int Einval = 22, Eopnotsupp = 95, Enotsupp = 524;

    /// <summary>libbpf's words for a program that needs what this kernel does not have (checked before BPF_PROG_LOAD).</summary>
    private static readonly string[] MissingInKernel =
    [
        "not found in kernel or module BTFs",      // an extern kfunc or ksym the kernel lacks
        "failed to find kernel BTF type ID",       // fentry/fexit/lsm/iter attach target not in vmlinux
        "failed to find BTF for extern",
        "failed to create: Invalid argument",      // a map type the kernel lacks
        "failed to create: Operation not supported",
        "failed to create: Unknown error 524",
        "unrecognized extern",
        "struct_ops init_kern",                     // a struct_ops type the kernel lacks
    ];

    /// <summary>Why the load is unsupported, or null when the verifier did judge it (or the loader failed otherwise).</summary>
    public static string? Reason(LoadResult result)
    {
        if (result.Verdict == LoadVerdict.Accept) return null;
        if (result.Log.Trim().Length == 0 && result.Errno is Einval or Eopnotsupp or Enotsupp)
            return $"the kernel refused the program before its verifier ran ({Name(result.Errno)}, empty verifier log): " +
                   $"it lacks program type or attach type '{result.Section}', or a map type, helper or kfunc the program needs" +
                   (result.Error.Length > 0 ? $" ({FirstLine(result.Error)})" : "");
        if (result.Verdict == LoadVerdict.Error && MissingInKernel.FirstOrDefault(m => result.Error.Contains(m, StringComparison.Ordinal)) is not null)
            return $"libbpf found the kernel lacks what the program needs: {FirstLine(result.Error)}";
        return null;
    }

    private static string Name(int errno) => errno switch
    {
        Einval => "EINVAL",
        Eopnotsupp => "EOPNOTSUPP",
        Enotsupp => "ENOTSUPP",
        _ => $"errno {errno}",
    };

    private static string FirstLine(string text)
    {
        var line = text.Trim().Split('\n')[0];
        return line.StartsWith("libbpf: ", StringComparison.Ordinal) ? line[8..] : line;
    }
}
