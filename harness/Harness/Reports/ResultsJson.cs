using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Reports;

/// <summary>
/// results.json: the whole <see cref="RunResult"/>, indented, snake_case field names and kebab-case enum
/// values ("known-deviation"), so scripts and KCIDB-style tooling can read it. Field names are part of
/// the interface: rename nothing, add fields and bump <see cref="RunResult.SchemaVersion"/> on a change of meaning.
/// </summary>
public static class ResultsJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        // Logs are full of '<', '>' and quotes; keep them readable in the file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
    };

    public static string Serialize(RunResult run) => JsonSerializer.Serialize(run, Options) + "\n";

    public static RunResult Deserialize(string json) =>
        JsonSerializer.Deserialize<RunResult>(json, Options) ?? throw new JsonException("results.json holds null");
}
