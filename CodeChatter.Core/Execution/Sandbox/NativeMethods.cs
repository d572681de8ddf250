using System.Runtime.InteropServices;

namespace CodeChatter.Core.Execution.Sandbox;

internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigXcpu = 24;
    public const int SigInt = 2;

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int KillNative(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    public static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "gettid")]
    public static extern int GetThreadId();

    /// <summary>Sends SIGINT to the process group <paramref name="groupId"/> (a box's pid 1 leads its own session).</summary>
    public static void InterruptGroup(int groupId)
    {
        if (groupId > 1)
        {
            _ = KillNative(-groupId, SigInt);
        }
    }

    /// <summary>Sends SIGKILL; a process that is already gone is not an error.</summary>
    public static void KillHard(int pid)
    {
        if (pid > 1)
        {
            _ = KillNative(pid, SigKill);
        }
    }
}
