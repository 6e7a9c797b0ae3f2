using Harness.Errors;

namespace Harness.Config;

/// <summary>
/// Finds the Harness checkout (the directory holding Harness.sln and configs/), so `bin/harness run`
/// works from anywhere with the embedded default config.
/// </summary>
public sealed record ProjectLayout(string Root)
{
    public string ConfigsDirectory => Path.Combine(Root, "configs");
    public string ArchDirectory => Path.Combine(ConfigsDirectory, "arch");
    public string SuitesDirectory => Path.Combine(ConfigsDirectory, "suites");
    public string DefaultRunConfig => Path.Combine(ConfigsDirectory, "run.yaml");
    public string VmImagesDirectory => Path.Combine(Root, "vm-images");
    public string SelftestsDirectory => Path.Combine(Root, "selftests");

    public static ProjectLayout Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")) && Directory.Exists(Path.Combine(dir.FullName, "configs")))
                    return new ProjectLayout(dir.FullName);
        }
        throw new BadInputException("Cannot find the Harness checkout (a directory with Harness.sln and configs/) above the current directory or the harness binary. Run from inside the checkout.");
    }
}
