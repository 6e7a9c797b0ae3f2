namespace Harness.Selftests;

/// <summary>
/// A cache entry is a directory that is either complete or absent: it is built under a temporary
/// name beside its final place and renamed when done, so an interrupted run never leaves a half
/// entry that a later run would trust.
/// </summary>
internal static class CacheDirectory
{
    private const string CompleteMarker = ".complete";

    /// <summary>Complete and still whole: the marker is there and every file it lists has its size (<see cref="Pipeline.CacheIntegrity"/>).</summary>
    public static bool IsComplete(string directory) => Directory.Exists(directory) && Pipeline.CacheIntegrity.Problem(directory, CompleteMarker) is null;

    /// <summary>Why a directory that exists cannot be trusted (null when it can, or when it does not exist).</summary>
    public static string? Problem(string directory) => Directory.Exists(directory) ? Pipeline.CacheIntegrity.Problem(directory, CompleteMarker) : null;

    /// <summary>A fresh, empty staging directory for <paramref name="final"/>.</summary>
    public static string Stage(string final)
    {
        var staging = $"{final}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>Marks <paramref name="staging"/> complete and moves it to <paramref name="final"/>.
    /// If another run finished the same entry first, its copy wins and ours is removed.</summary>
    public static void Publish(string staging, string final)
    {
        Pipeline.CacheIntegrity.WriteMarker(staging, CompleteMarker, DateTime.UtcNow.ToString("O"));
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        if (Directory.Exists(final) && !IsComplete(final)) Directory.Delete(final, recursive: true);
        try
        {
            Directory.Move(staging, final);
        }
        catch (IOException) when (IsComplete(final))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Removes a staging directory after a failure (best effort: the error that got us here matters more).</summary>
    public static void Discard(string staging)
    {
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
