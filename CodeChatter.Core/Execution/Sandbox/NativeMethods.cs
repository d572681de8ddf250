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

    [DllImport("libc", SetLastError = true, EntryPoint = "setpriority")]
    private static extern int SetPriorityNative(int which, uint who, int priority);

    private const int PriorityOfProcess = 0;
    private const int PriorityOfUser = 2;

    /// <summary>Sets the calling thread's nice value (on Linux a thread's, inherited by what it forks).</summary>
    public static bool SetThreadNiceness(int niceness) => SetPriorityNative(PriorityOfProcess, (uint)GetThreadId(), niceness) == 0;

    /// <summary>Sets the nice value of every process whose real uid is <paramref name="uid"/> (lowering it needs root).</summary>
    public static bool SetUserNiceness(int uid, int niceness) => uid > 0 && SetPriorityNative(PriorityOfUser, (uint)uid, niceness) == 0;

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
