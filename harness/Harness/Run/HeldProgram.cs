using Harness.Errors;

namespace Harness.Run;

/// <summary>The program `run --hold-before` names: "object.bpf.o:program", as the loader and the reports key programs.</summary>
public static class HeldProgram
{
    /// <summary>Checks the form; whether such a program exists is known once the selftests are read (the run says so if it never held).</summary>
    public static string Parse(string value)
    {
        var colon = value.IndexOf(':');
        if (colon <= 0 || colon == value.Length - 1 || value.IndexOf(':', colon + 1) >= 0 || value.Contains('/'))
            throw new BadInputException($"--hold-before {value}: give one program as OBJECT:PROGRAM with the object's file name, " +
                                        "e.g. --hold-before async_wq.bpf.o:wq_read_past_value (the names in summary.md).");
        return value;
    }
}
