using System.CommandLine;
using Harness.Errors;
using Harness.Patches.Import;

namespace Harness.Cli;

/// <summary>
/// `harness patch import FILE --tree T [-o OUT]`: a mangled mail archive copy or an mbox in, a clean
/// `git am`-able patch out (stdout by default); where each hunk landed and what differed goes to stderr.
/// </summary>
public static class PatchImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Mail archive copy or mbox of the patch(es)" };
        var tree = new Option<string>("--tree") { Description = "Kernel source tree to locate the hunks in (read only)", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write the patch here instead of stdout" };
        var command = new Command("import", "Turn a whitespace-mangled archive copy or an mbox into a clean patch that git am accepts");
        command.Arguments.Add(file);
        command.Options.Add(tree);
        command.Options.Add(output);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async token =>
        {
            var path = parse.GetValue(file)!;
            var treeDirectory = parse.GetValue(tree)!;
            var outputPath = parse.GetValue(output);
            Console.Error.WriteLine($"reproduce: {Reproduce.Line(["patch", "import", path, "--tree", treeDirectory, .. outputPath is null ? Array.Empty<string>() : ["-o", outputPath]])}");
            if (!File.Exists(path))
                throw new BadInputException($"{path}: no such file. Give the mail archive copy or mbox to import.");
            var result = PatchImporter.Import(await File.ReadAllTextAsync(path, token), treeDirectory, path);
            foreach (var message in result.Messages)
            {
                Console.Error.WriteLine($"{message.Subject} (author {message.Author})");
                foreach (var warning in message.Warnings) Console.Error.WriteLine($"  note: {warning}");
                foreach (var hunk in message.Hunks) Console.Error.WriteLine("  " + hunk.Describe().Replace("\n", "\n  "));
            }
            if (outputPath is null) Console.Out.Write(result.Patch);
            else
            {
                await File.WriteAllTextAsync(outputPath, result.Patch, token);
                Console.Error.WriteLine($"wrote {outputPath}");
            }
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
