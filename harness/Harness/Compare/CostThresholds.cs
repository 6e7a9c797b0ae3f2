namespace Harness.Compare;

/// <summary>
/// When a program's verification cost "grew a lot": insns processed grew by <paramref name="Percent"/> and by at least
/// <paramref name="Insns"/>, or peak states by <paramref name="Percent"/> and by at least <paramref name="States"/>
/// (small programs double easily, so a relative rise alone is noise). Set in run.yaml under <c>cost-growth:</c>.
/// </summary>
public sealed record CostThresholds(int Percent, long Insns, long States)
{
    /// <summary>+50% and +1000 insns, or +50% and +10 peak states: what `harness compare` has always flagged.</summary>
    public static CostThresholds Default { get; } =
        new((int)Math.Round((RunComparer.CostGrowthFactor - 1) * 100), RunComparer.CostGrowthInsns, RunComparer.CostGrowthStates);

    public bool LargeGrowth(long insnsA, long insnsB, long statesA, long statesB) =>
        Grew(insnsA, insnsB, Insns) || Grew(statesA, statesB, States);

    private bool Grew(long a, long b, long minimum) => b - a >= minimum && b * 100 >= a * (100L + Percent);

    /// <summary>"+50% and +1000 insns, or +50% and +10 peak states".</summary>
    public override string ToString() => $"+{Percent}% and +{Insns} insns, or +{Percent}% and +{States} peak states";
}
