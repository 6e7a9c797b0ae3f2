using Harness.Config;

namespace Harness.Tests.Support;

/// <summary>Run configs for real runs, derived from the project's configs/run.yaml.</summary>
public static class RunConfigs
{
    /// <summary>configs/run.yaml with absolute paths, its output in OUTPUT/out, and the limits given (timeouts: program, command).</summary>
    public static string WithLimits(TempDirectory output, int program = 120, int command = 300)
    {
        var project = ProjectLayout.Locate();
        var text = File.ReadAllText(project.DefaultRunConfig)
            .Replace("program: 120", $"program: {program}")
            .Replace("command: 300", $"command: {command}")
            .Replace("../", project.Root + "/")
            .Replace("directory: kconfig", $"directory: {project.ConfigsDirectory}/kconfig")
            .Replace($"output: {project.Root}/results", $"output: {output.Combine("out")}");
        return output.Write("run.yaml", text);
    }
}
