namespace Harness.Patches.Import;

/// <summary>Where a hunk's old side sits in the tree file, and what each body line is there.</summary>
/// <param name="Start">0-based index of the tree line the old side starts at.</param>
/// <param name="Kinds">The reading chosen for each body line.</param>
/// <param name="TreeIndex">For context/removed lines, the tree line they stand for; -1 for added lines.</param>
/// <param name="Differing">Body indexes of context lines whose text is not the tree's.</param>
internal sealed record Placement(int Start, IReadOnlyList<LineKind> Kinds, IReadOnlyList<int> TreeIndex, IReadOnlyList<int> Differing);

/// <summary>
/// Finds a hunk in a tree file by whitespace-insensitive comparison of its old side (context and removed
/// lines). Removed lines must match; up to <see cref="MaxDifferingContext"/> context lines may differ (never the
/// first and the last together). Among acceptable places the fewest differences win, then the nearest to
/// where the header said. For each place it also settles which '+'/'-' lines are context (a small DP).
/// </summary>
internal sealed class HunkPlacer(IReadOnlyList<string> tree)
{
    public const int MaxDifferingContext = 2;

    private readonly string[] _normTree = tree.Select(Normalize).ToArray();

    /// <summary>Whitespace-insensitive key: the archive collapses indentation and runs of spaces alike.</summary>
    public static string Normalize(string line) => string.Concat(line.Where(c => !char.IsWhiteSpace(c)));

    public Placement? Place(HunkBody body, int expectedStart)
    {
        var oldLength = body.Lines.Count(l => l.Marker is '\0' or ' ' or '-') + body.PlusAsContext;
        if (oldLength == 0)
        {
            var at = Math.Clamp(expectedStart, 0, tree.Count);
            return new Placement(at, body.Lines.Select(_ => LineKind.Added).ToArray(), body.Lines.Select(_ => -1).ToArray(), []);
        }
        var norm = Prepare(body);
        Placement? best = null;
        var bestCost = int.MaxValue;
        for (var s = 0; s + oldLength <= tree.Count; s++)
        {
            var placement = Evaluate(body, norm, s, Math.Min(MaxDifferingContext, bestCost), lenient: false);
            if (placement is null || !Acceptable(body, placement)) continue;
            var cost = placement.Differing.Count;
            if (best is null || cost < bestCost || (cost == bestCost && Math.Abs(s - expectedStart) < Math.Abs(best.Start - expectedStart)))
            {
                best = placement;
                bestCost = cost;
            }
        }
        return best;
    }

    /// <summary>For the error message: the place where the old side differs least, removed lines included.</summary>
    public Placement? Closest(HunkBody body, int expectedStart)
    {
        var oldLength = body.Lines.Count(l => l.Marker is '\0' or ' ' or '-') + body.PlusAsContext;
        var norm = Prepare(body);
        Placement? best = null;
        for (var s = 0; s + oldLength <= tree.Count; s++)
        {
            var p = Evaluate(body, norm, s, best?.Differing.Count ?? int.MaxValue - 1, lenient: true);
            if (p is null) continue;
            if (best is null || p.Differing.Count < best.Differing.Count ||
                (p.Differing.Count == best.Differing.Count && Math.Abs(s - expectedStart) < Math.Abs(best.Start - expectedStart)))
                best = p;
        }
        return best;
    }

    /// <summary>The first and last old-side lines anchor the hunk: both differing means it is not this place.</summary>
    private static bool Acceptable(HunkBody body, Placement p)
    {
        if (p.Differing.Count == 0) return true;
        var old = Enumerable.Range(0, body.Lines.Count).Where(i => p.Kinds[i] != LineKind.Added).ToList();
        var context = old.Count(i => p.Kinds[i] == LineKind.Context);
        if (p.Differing.Count >= context) return false;
        return !(p.Differing.Contains(old[0]) && p.Differing.Contains(old[^1]));
    }

    private static (string Marked, string Context)[] Prepare(HunkBody body) =>
        body.Lines.Select(l => (Normalize(l.MarkedContent), Normalize(l.ContextContent))).ToArray();

    /// <summary>
    /// Cost of placing the hunk at <paramref name="start"/>: the number of differing context lines (and, when
    /// lenient, differing removed lines), or null when over <paramref name="bound"/> or a removed line differs.
    /// The state is (line, '+' lines read as context so far, '-' lines read as context so far).
    /// </summary>
    private Placement? Evaluate(HunkBody body, (string Marked, string Context)[] norm, int start, int bound, bool lenient)
    {
        var n = body.Lines.Count;
        int X = body.PlusAsContext, Y = body.MinusAsContext;
        const int inf = int.MaxValue / 2;
        var cost = new int[n + 1, X + 1, Y + 1];
        var choice = new byte[n + 1, X + 1, Y + 1]; // 0 = as marked, 1 = as context
        for (var x = 0; x <= X; x++) for (var y = 0; y <= Y; y++) cost[0, x, y] = inf;
        cost[0, 0, 0] = 0;
        var consumed = 0; // tree lines consumed before line i, not counting '+' lines read as context
        for (var i = 0; i < n; i++)
        {
            var line = body.Lines[i];
            var rowBest = inf;
            for (var x = 0; x <= X; x++) for (var y = 0; y <= Y; y++) cost[i + 1, x, y] = inf;
            for (var x = 0; x <= X; x++)
            for (var y = 0; y <= Y; y++)
            {
                var c = cost[i, x, y];
                if (c >= inf) continue;
                var j = start + consumed + x;
                void Offer(int nx, int ny, int nc, byte how)
                {
                    if (nc > bound || nc >= cost[i + 1, nx, ny]) return;
                    cost[i + 1, nx, ny] = nc;
                    choice[i + 1, nx, ny] = how;
                }
                var inTree = j < tree.Count;
                var contextCost = inTree && norm[i].Context == _normTree[j] ? 0 : 1;
                switch (line.Marker)
                {
                    case '\0' or ' ':
                        if (inTree) Offer(x, y, c + contextCost, 0);
                        break;
                    case '-':
                        if (inTree && norm[i].Marked == _normTree[j]) Offer(x, y, c, 0);
                        else if (inTree && lenient) Offer(x, y, c + 1, 0);
                        if (y < Y && inTree) Offer(x, y + 1, c + contextCost, 1);
                        break;
                    case '+':
                        Offer(x, y, c, 0);
                        if (x < X && inTree) Offer(x + 1, y, c + contextCost, 1);
                        break;
                }
            }
            for (var x = 0; x <= X; x++) for (var y = 0; y <= Y; y++) rowBest = Math.Min(rowBest, cost[i + 1, x, y]);
            if (rowBest > bound) return null;
            if (line.Marker is '\0' or ' ' or '-') consumed++;
        }
        if (cost[n, X, Y] > bound) return null;
        return Reconstruct(body, norm, start, choice, X, Y);
    }

    private Placement Reconstruct(HunkBody body, (string Marked, string Context)[] norm, int start, byte[,,] choice, int X, int Y)
    {
        var n = body.Lines.Count;
        var kinds = new LineKind[n];
        int x = X, y = Y;
        for (var i = n; i > 0; i--)
        {
            var line = body.Lines[i - 1];
            var how = choice[i, x, y];
            kinds[i - 1] = line.Marker switch
            {
                '+' when how == 1 => LineKind.Context,
                '+' => LineKind.Added,
                '-' when how == 1 => LineKind.Context,
                '-' => LineKind.Removed,
                _ => LineKind.Context,
            };
            if (how == 1 && line.Marker == '+') x--;
            if (how == 1 && line.Marker == '-') y--;
        }
        var treeIndex = new int[n];
        var differing = new List<int>();
        var j = start;
        for (var i = 0; i < n; i++)
        {
            if (kinds[i] == LineKind.Added) { treeIndex[i] = -1; continue; }
            treeIndex[i] = j;
            var key = kinds[i] == LineKind.Removed ? norm[i].Marked : norm[i].Context;
            if (key != _normTree[j]) differing.Add(i);
            j++;
        }
        return new Placement(start, kinds, treeIndex, differing);
    }
}
