using System.Text;

namespace Harness.Processes;

/// <summary>Gathers one process's output: full text where wanted, a bounded tail, the log file, the live callback.</summary>
internal sealed class OutputCollector(ProcessSpec spec, StreamWriter? log, int tailLines)
{
    private readonly object _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Queue<string> _tail = new();

    public void OnStdout(string line) => Add(line, _stdout, spec.CaptureStandardOutput);

    public void OnStderr(string line) => Add(line, _stderr, capture: true);

    private void Add(string line, StringBuilder sink, bool capture)
    {
        lock (_gate)
        {
            if (capture) sink.AppendLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > tailLines) _tail.Dequeue();
            log?.WriteLine(line);
        }
        spec.OnOutputLine?.Invoke(line);
    }

    public ProcessResult ToResult(int exitCode, TimeSpan duration, bool timedOut)
    {
        lock (_gate)
        {
            return new ProcessResult(spec, exitCode, duration, _stdout.ToString(), _stderr.ToString(),
                _tail.ToArray(), timedOut);
        }
    }
}
