using System.Text.Json;
using Harness.Errors;
using Harness.Reports;

namespace Harness.Compare;

/// <summary>Reads the run a user names: a results.json file, or a run directory (or "latest") holding one.</summary>
public static class RunResultFile
{
    public static RunResult Read(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, ReportWriter.ResultsFile) : path;
        if (!File.Exists(file))
            throw new BadInputException($"{path}: no {ReportWriter.ResultsFile} there. Give a run directory (e.g. results/latest) or its results.json.");
        try
        {
            return ResultsJson.Deserialize(File.ReadAllText(file));
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{file}: not a harness results.json ({e.Message}). Give the results.json a `harness run` wrote.");
        }
    }
}
