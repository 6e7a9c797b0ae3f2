namespace Harness.Errors;

/// <summary>
/// An error the harness reports to the user as a message, not a stack trace.
/// The subclass decides the exit code.
/// </summary>
public abstract class HarnessException : Exception
{
    protected HarnessException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The process exit code this error leads to.</summary>
    public abstract int ExitCode { get; }
}

/// <summary>
/// The user's input is wrong (config, patch, tree, selftest): exit 3. The message names the file,
/// the line or key, and the fix.
/// </summary>
public sealed class BadInputException : HarnessException
{
    public BadInputException(string message, Exception? inner = null) : base(message, inner) { }

    public override int ExitCode => ExitCodes.BadInput;
}

/// <summary>
/// The machinery failed (toolchain missing, build broke, guest did not boot, SSH lost): exit 2.
/// </summary>
public sealed class InfrastructureException : HarnessException
{
    public InfrastructureException(string message, Exception? inner = null) : base(message, inner) { }

    public override int ExitCode => ExitCodes.InfrastructureError;
}
