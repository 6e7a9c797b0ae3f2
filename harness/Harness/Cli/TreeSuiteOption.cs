using Harness.Config;
using Harness.Errors;

namespace Harness.Cli;

/// <summary>`run --tree-suite NAME`: names looked up in the checkout's configs/suites/, each once, before any side effect.</summary>
public static class TreeSuiteOption
{
    public static IReadOnlyList<TreeSuite> Resolve(IReadOnlyList<string> names) =>
        Resolve(names, TreeSuiteRegistry.Load(ProjectLayout.Locate().SuitesDirectory));

    public static IReadOnlyList<TreeSuite> Resolve(IReadOnlyList<string> names, TreeSuiteRegistry registry)
    {
        var suites = new List<TreeSuite>();
        foreach (var name in names)
        {
            TreeSuite suite;
            try { suite = registry.Get(name); }
            catch (BadInputException e) { throw new BadInputException($"--tree-suite {name}: {e.Message}"); }
            if (suites.Any(s => s.Name == suite.Name))
                throw new BadInputException($"--tree-suite {name}: the suite '{suite.Name}' is named twice. Give it once.");
            suites.Add(suite);
        }
        return suites;
    }
}
