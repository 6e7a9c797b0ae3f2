using System.Text;
using Harness.Processes;

namespace Harness.Bench;

/// <summary>
/// The "plain way" as bash scripts (pure text): what a person would type without the harness. Run through
/// <see cref="IProcessRunner"/> as `bash -c SCRIPT`; each prints one "elapsed-us N" line per measurement.
/// Every script kills its QEMU on exit (trap), so a failed or cancelled loop leaves nothing running.
/// </summary>
public static class PlainScripts
{
    public const string ElapsedPrefix = "elapsed-us ";

    /// <summary>
    /// ssh's ConnectTimeout in the boot loop. It also bounds the banner exchange: before the guest's network is
    /// up, QEMU's user networking accepts the TCP connection and ssh then waits for a banner that never comes, so
    /// a long timeout makes the plain loop slow for a reason a person would tune away.
    /// </summary>
    public const int ConnectTimeoutSeconds = 1;

    /// <summary>
    /// One boot per QEMU command line: start QEMU in the background, retry `ssh ... true` every 50 ms until it
    /// succeeds (or QEMU dies, or <paramref name="timeoutSeconds"/> pass), print the time, kill QEMU.
    /// </summary>
    /// <param name="boots">Per boot: the forwarded port, the QEMU command line (already quoted) and its known_hosts line.</param>
    /// <param name="privateKey">The image's client key.</param>
    /// <param name="knownHostsFile">Rewritten before each boot with that boot's pinned host key.</param>
    /// <param name="timeoutSeconds">Give up on a boot after this long.</param>
    /// <param name="connectTimeoutSeconds">ssh -o ConnectTimeout (see <see cref="ConnectTimeoutSeconds"/>).</param>
    public static string BootLoop(IReadOnlyList<(int Port, string QemuCommand, string KnownHostsLine)> boots, string privateKey,
        string knownHostsFile, int timeoutSeconds, int connectTimeoutSeconds = ConnectTimeoutSeconds)
    {
        var script = new StringBuilder();
        script.AppendLine("set -u");
        script.AppendLine("qemu_pid=");
        script.AppendLine("trap 'if [ -n \"$qemu_pid\" ]; then kill $qemu_pid 2>/dev/null; wait $qemu_pid 2>/dev/null; fi' EXIT");
        script.AppendLine("boot() {");
        script.AppendLine("  local port=$1 start=${EPOCHREALTIME/./} attempts=1; shift");
        script.AppendLine("  \"$@\" </dev/null >/dev/null 2>&1 &");
        script.AppendLine("  qemu_pid=$!");
        script.AppendLine($"  until ssh -i {Q(privateKey)} -p \"$port\" -o UserKnownHostsFile={Q(knownHostsFile)} -o StrictHostKeyChecking=yes \\");
        script.AppendLine($"      -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout={connectTimeoutSeconds} -o LogLevel=ERROR root@127.0.0.1 true 2>/dev/null; do");
        script.AppendLine("    kill -0 $qemu_pid 2>/dev/null || { echo \"qemu exited before SSH worked\" >&2; exit 1; }");
        script.AppendLine($"    (( ${{EPOCHREALTIME/./}} - start > {timeoutSeconds}000000 )) && {{ echo \"no SSH within {timeoutSeconds} s\" >&2; exit 1; }}");
        script.AppendLine("    sleep 0.05; attempts=$((attempts + 1))");
        script.AppendLine("  done");
        script.AppendLine($"  echo \"{ElapsedPrefix}$(( ${{EPOCHREALTIME/./}} - start ))\"; echo \"ssh attempts $attempts\"");
        script.AppendLine("  kill $qemu_pid; wait $qemu_pid 2>/dev/null; qemu_pid=");
        script.AppendLine("}");
        foreach (var (port, qemu, knownHosts) in boots)
        {
            script.AppendLine($"echo {Q(knownHosts)} > {Q(knownHostsFile)}");
            script.AppendLine($"boot {port} {qemu}");
        }
        return script.ToString();
    }

    /// <summary>One ssh connection per program, each running the loader with one --prog; one elapsed line for the lot.</summary>
    public static string ProgramLoop(string sshCommand, string loader, IReadOnlyList<string> programs)
    {
        var script = new StringBuilder();
        script.AppendLine("set -u");
        script.AppendLine("start=${EPOCHREALTIME/./}");
        script.AppendLine($"for p in {string.Join(' ', programs.Select(Q))}; do");
        script.AppendLine($"  {sshCommand} -o BatchMode=yes \"{loader} --prog '$p'\" >/dev/null 2>&1");
        script.AppendLine("done");
        script.AppendLine($"echo \"{ElapsedPrefix}$(( ${{EPOCHREALTIME/./}} - start ))\"");
        return script.ToString();
    }

    /// <summary>The seconds of every "elapsed-us N" line of a script's output.</summary>
    public static IReadOnlyList<double> Elapsed(string output) =>
        output.Split('\n')
            .Where(l => l.StartsWith(ElapsedPrefix, StringComparison.Ordinal))
            .Select(l => long.Parse(l[ElapsedPrefix.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture) / 1e6)
            .ToArray();

    public static ProcessSpec Bash(string script, TimeSpan timeout) => new("bash", ["-c", script]) { Timeout = timeout };

    private static string Q(string word) => ShellQuoting.Quote(word);
}
