using System.CommandLine;
using Harness.Selection;

namespace Harness.Cli;

/// <summary>
/// test_progs' selection options on the commands that load programs (run, bisect): -t and -b take substrings, -a and -d
/// globs ('*'), each repeatable and comma-separated, and "@FILE" reads the patterns from a file, as test_progs does;
/// --denylist FILE is -d @FILE (the tree's DENYLIST format, reasons after '#').
/// </summary>
public sealed class ProgramFilterOptions
{
    public Option<string[]> Name { get; } = Repeatable("--name", "-t", "NAME",
        "Run only programs whose object, program or OBJECT/PROGRAM name contains NAME (test_progs -t); repeatable, comma-separated, @FILE");

    public Option<string[]> Allow { get; } = Repeatable("--allow", "-a", "GLOB",
        "Run only programs whose name matches GLOB ('*' any text; test_progs -a); repeatable, comma-separated, @FILE");

    public Option<string[]> NameDeny { get; } = Repeatable("--name-deny", "-b", "NAME",
        "Do not load programs whose name contains NAME (test_progs -b); reported as skip; repeatable, comma-separated, @FILE");

    public Option<string[]> Deny { get; } = Repeatable("--deny", "-d", "GLOB",
        "Do not load programs whose name matches GLOB (test_progs -d); reported as skip; repeatable, comma-separated, @FILE");

    public Option<string[]> Denylist { get; } = new("--denylist")
    {
        Description = "A file in the tree's DENYLIST format (tools/testing/selftests/bpf/DENYLIST*: one glob a line, '#' before the reason); " +
                      "its programs are not loaded and are reported as skip with the reason; repeatable",
        HelpName = "FILE",
    };

    public IEnumerable<Option> All => [Name, Allow, NameDeny, Deny, Denylist];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>Whether any selection option was given.</summary>
    public bool Given(ParseResult parse) => All.Any(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>The filter the options describe; a missing file or a bad pattern is bad input naming it.</summary>
    public ProgramFilter Read(ParseResult parse)
    {
        var allow = Patterns(parse, Name, glob: false).Concat(Patterns(parse, Allow, glob: true)).ToArray();
        var deny = Patterns(parse, NameDeny, glob: false).Concat(Patterns(parse, Deny, glob: true))
            .Concat((parse.GetValue(Denylist) ?? []).SelectMany(file => DenylistFile.Read(Path.GetFullPath(file), glob: true, "--denylist"))).ToArray();
        return allow.Length == 0 && deny.Length == 0 ? ProgramFilter.All : new ProgramFilter(allow, deny);
    }

    /// <summary>The options as given, files made absolute, for the reproduce line.</summary>
    public IEnumerable<string> ReproduceArgs(ParseResult parse)
    {
        foreach (var option in new[] { Name, Allow, NameDeny, Deny })
            foreach (var value in parse.GetValue(option) ?? [])
            {
                yield return option.Aliases.Single();
                yield return string.Join(',', value.Split(',').Select(v => v.StartsWith('@') ? "@" + Path.GetFullPath(v[1..]) : v));
            }
        foreach (var file in parse.GetValue(Denylist) ?? [])
        {
            yield return "--denylist";
            yield return Path.GetFullPath(file);
        }
    }

    private static IEnumerable<NamePattern> Patterns(ParseResult parse, Option<string[]> option, bool glob)
    {
        var flag = option.Aliases.Single();
        foreach (var item in (parse.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (item.StartsWith('@'))
                foreach (var pattern in DenylistFile.Read(Path.GetFullPath(item[1..]), glob, flag + " @")) yield return pattern;
            else yield return NamePattern.Parse(item, glob, flag);
        }
    }

    private static Option<string[]> Repeatable(string name, string alias, string helpName, string description) => new(name, alias)
    {
        Description = description,
        HelpName = helpName,
    };
}
