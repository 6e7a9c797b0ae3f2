using System.CommandLine;
using Harness.Compare;
using Harness.Errors;
using Harness.Reports.Html;

namespace Harness.Cli;

/// <summary>
/// `harness report [NAME=]RUN... [--history DIR] [--output FILE]`: the HTML report of one or more runs (each a
/// cell of the page; a matrix run's directory gives all its cells) with the trend of earlier runs from a history directory (&lt;dir&gt;/&lt;cell&gt;/&lt;run-id&gt;.json).
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("RUN") { Description = "Runs to show, each a run directory or results.json, optionally named: NAME=RUN (default name: the run's directory name); a matrix run's directory adds all its cells", Arity = ArgumentArity.OneOrMore };
        var history = new Option<string?>("--history") { Description = "History directory: <dir>/<cell>/<run-id>.json copies of earlier results.json" };
        var output = new Option<string?>("--output", "-o") { Description = $"The HTML file to write (default: {HtmlReport.FileName} in the current directory)" };
        var command = new Command("report", "Write the HTML report (matrix, results, verifier logs, history trend) of one or more runs");
        command.Arguments.Add(runs);
        command.Options.Add(history);
        command.Options.Add(output);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var cells = parse.GetValue(runs)!.SelectMany(Cells).ToArray();
            var duplicate = cells.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new BadInputException($"two runs are named '{duplicate.Key}': name them apart with NAME=RUN.");
            var points = parse.GetValue(history) is { } dir ? HistoryReader.Read(dir, cells.Select(c => c.Name)) : null;
            var file = Path.GetFullPath(parse.GetValue(output) ?? HtmlReport.FileName);
            await HtmlReport.WriteAsync(file, cells, points, token);
            Console.WriteLine($"report: {file}");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>One cell per run argument; a matrix directory (one holding cells/) gives all its cells.</summary>
    private static IEnumerable<ReportCell> Cells(string argument)
    {
        var split = argument.IndexOf('=');
        var (name, path) = split > 0 ? (argument[..split], argument[(split + 1)..]) : ("", argument);
        if (name.Length == 0 && Directory.Exists(Path.Combine(path, "cells")))
        {
            var cells = ReportCell.FromMatrixDirectory(path);
            return cells.Count > 0 ? cells : throw new BadInputException($"{path}: a matrix directory without any cells/<cell>/results.json. Give a matrix run's directory or a run directory.");
        }
        var run = RunResultFile.Read(path);
        if (name.Length == 0)
        {
            var full = Path.GetFullPath(path);
            name = Directory.Exists(full) ? Path.GetFileName(full.TrimEnd('/')) : Path.GetFileName(Path.GetDirectoryName(full)) ?? run.RunId;
        }
        return [new ReportCell(name, run)];
    }
}
