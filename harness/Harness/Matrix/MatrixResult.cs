using System.Text.Json;
using Harness.Reports;

namespace Harness.Matrix;

/// <summary>
/// matrix.json: one matrix run (or one shard of it, or shards merged): every cell with the path of its results.json
/// (relative to the matrix directory) and its exit code. The exit code of the run is the worst cell's.
/// Field names are an interface (snake_case, like results.json): add fields, rename none.
/// </summary>
public sealed record MatrixResult
{
    public const string File = "matrix.json";
    public const string CellsDirectory = "cells";

    public int SchemaVersion { get; init; } = 1;

    /// <summary>"20261125-053000-matrix": the matrix directory's name, and each cell's run id in the history.</summary>
    public required string RunId { get; init; }

    /// <summary>The matrix file and its SHA-256: shards of different matrices are never merged.</summary>
    public required string Matrix { get; init; }
    public required string MatrixSha256 { get; init; }

    /// <summary>"K/N" of the shard this run was, "1/1" for the whole matrix.</summary>
    public string Shard { get; init; } = "1/1";

    /// <summary>For a merged result: the run ids of the shards it joins, in shard order; empty otherwise.</summary>
    public IReadOnlyList<string> MergedFrom { get; init; } = [];
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public string Reproduce { get; init; } = "";
    public required int ExitCode { get; init; }
    public required IReadOnlyList<MatrixCellResult> Cells { get; init; }

    public static string Serialize(MatrixResult result) => JsonSerializer.Serialize(result, ResultsJson.Options) + "\n";

    public static MatrixResult Deserialize(string json) =>
        JsonSerializer.Deserialize<MatrixResult>(json, ResultsJson.Options) ?? throw new JsonException("matrix.json holds null");
}

/// <summary>One cell of a matrix run.</summary>
public sealed record MatrixCellResult
{
    public required string Name { get; init; }

    /// <summary>Its results.json relative to the matrix directory ("cells/NAME/results.json"), null when the cell stopped before any result.</summary>
    public string? Results { get; init; }
    public required int ExitCode { get; init; }

    /// <summary>The arches this run tested of the cell (a shard may take only some), in the cell's order.</summary>
    public required IReadOnlyList<string> Arches { get; init; }

    /// <summary>Every arch of the cell, in its order (what a merge puts back together).</summary>
    public required IReadOnlyList<string> CellArches { get; init; }

    /// <summary>Why the cell has no results (a build failure, a patch that does not apply), or null.</summary>
    public string? Error { get; init; }

    /// <summary>The history entry this cell was compared with, or null (first run, a shard, --no-history).</summary>
    public string? PreviousRunId { get; init; }

    /// <summary>New regressions against <see cref="PreviousRunId"/>, one line each.</summary>
    public IReadOnlyList<string> Regressions { get; init; } = [];
}
