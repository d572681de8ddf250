using System.Globalization;
using System.Text;

namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// The program a pre-started sandbox runs while it waits for its code. It is started with the same
/// isolation as a cold run, then reads from stdin one header line
/// (<c>CODE_BYTES CPU_SECONDS FILE_NAME MAX_PROCESSES END_NONCE</c>), exactly CODE_BYTES of code, and
/// leaves the rest of stdin to the snippet. It lowers its rlimits to the run's, writes the code to the
/// scratch directory and then either runs it in-process (Python: no interpreter start-up left to pay)
/// or execs the language's run command.
/// </summary>
/// <remarks>
/// In-process, the end of the run is announced: once the snippet is done (its threads joined, its
/// atexit handlers run, its output flushed) an end marker with the exit code goes to stderr and then
/// stdout, and the interpreter leaves with <c>os._exit</c>. The server takes the result from the
/// markers instead of waiting about 5 ms more for the box's namespaces to be torn down. A snippet
/// could forge the marker; that only ends its own run early, as exiting would, and the box is
/// killed right after either way.
/// </remarks>
internal static class SandboxBootstrap
{
    /// <summary>Python runs the snippet inside the already started interpreter.</summary>
    public const string InProcessPython = "python";

    /// <summary>Any other interpreter: exec its run command once the code is in place.</summary>
    public const string ExecRunCommand = "exec";

    private const string Interpreter = "/usr/bin/python3";

    // Tracebacks must read as if `python3 main.py` ran: the snippet runs as a fresh __main__ module
    // compiled under its own file name, and the bootstrap's own frame is cut from the traceback.
    private const string Script = PythonSitePackages.Source + PythonDisplaySupport.Source + """
        import os, sys
        def _read_exact(n):
            data = b""
            while len(data) < n:
                part = os.read(0, n - len(data))
                if not part:
                    break
                data += part
            return data
        def _handover():
            header = b""
            while not header.endswith(b"\n"):
                byte = os.read(0, 1)
                if not byte:
                    os._exit(70)
                header += byte
            size, cpu, name, nproc, nonce = header.split()
            code = _read_exact(int(size))
            import resource
            usage = resource.getrusage(resource.RUSAGE_SELF)
            soft = int(usage.ru_utime + usage.ru_stime) + int(cpu)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
            if int(nproc) > 0:
                resource.setrlimit(resource.RLIMIT_NPROC, (int(nproc), int(nproc)))
            path = os.path.join(os.getcwd(), name.decode())
            with open(path, "wb") as f:
                f.write(code)
            return code, path, nonce
        def _from_file(nonce, name):
            path = os.path.join(os.getcwd(), name)
            with open(path, "rb") as f:
                return f.read(), path, nonce.encode()
        def _finish(status, nonce, announce):
            import atexit, threading
            try:
                threading._shutdown()
            except BaseException:
                pass
            try:
                atexit._run_exitfuncs()
            except BaseException:
                pass
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except BaseException:
                    pass
            if announce:
                end = b"\0CC-END:" + nonce + b":" + str(status).encode() + b"\n"
                try:
                    os.write(2, end)
                    os.write(1, end)
                except OSError:
                    pass
            os._exit(status)
        _mode = sys.argv[1]
        if _mode != "exec":
            _cc_site()
            _display, _richest, _emit, _flush_figures, (_snapshot, _emit_files) = _cc_display_support()
        if _mode == "python":
            # What every run needs after its hand-over (its limits, the end's thread join), imported while
            # the box waits, so the run never pays for it; the parser's first use costs some 3 ms, paid here too.
            import atexit, resource, threading
            compile("_ = 1", "<warm-up>", "exec")
        if _mode == "file":
            _code, _path, _nonce = _from_file(sys.argv[2], sys.argv[3])
        else:
            os.write(1, b"\0CC-READY\n")
            _code, _path, _nonce = _handover()
        if _mode == "exec":
            os.execv(sys.argv[2], sys.argv[2:])
        _display["nonce"] = _nonce
        _root = os.path.dirname(_path)
        try:
            _before = _snapshot(_root)
        except BaseException:
            _before = None
        import builtins, types
        _main = types.ModuleType("__main__")
        _main.__file__ = _path
        _main.__builtins__ = builtins
        sys.modules["__main__"] = _main
        sys.argv = [os.path.basename(_path)]
        sys.path[0] = os.path.dirname(_path)
        _status = 0
        try:
            exec(compile(_code, _path, "exec"), _main.__dict__)
        except SystemExit as _exit:
            if _exit.code is None:
                _status = 0
            elif isinstance(_exit.code, int):
                _status = _exit.code & 0xFF
            else:
                try:
                    print(_exit.code, file=sys.stderr)
                except BaseException:
                    pass
                _status = 1
        except BaseException as _error:
            import traceback
            traceback.print_exception(type(_error), _error, _error.__traceback__.tb_next)
            _status = 1
        try:
            _flush_figures()
        except BaseException:
            pass
        try:
            if _before is not None:
                _emit_files(_root, _before, {os.path.basename(_path)})
        except BaseException:
            pass
        _finish(_status, _nonce, _mode != "file")
        """;

    /// <summary>
    /// What a pre-started box writes to its stdout once its interpreter has started and it waits for its
    /// code: until then it is still starting, and a run handed to it would wait for that start.
    /// </summary>
    public static ReadOnlySpan<byte> ReadyLine => "\0CC-READY\n"u8;

    /// <summary>Whether a language can be pre-started (it has no compile step and a known mode).</summary>
    public static bool Supports(LanguageDefinition language) =>
        language.Compile.Length == 0 && language.Prestart is InProcessPython or ExecRunCommand;

    /// <summary>The argv, inside the box, of a waiting sandbox for <paramref name="language"/>.</summary>
    public static IReadOnlyList<string> ProgramArguments(LanguageDefinition language) =>
        language.Prestart == InProcessPython
            ? [Interpreter, "-u", PythonSitePackages.NoSiteFlag, "-c", Script, InProcessPython]
            : [Interpreter, "-I", "-S", "-c", Script, ExecRunCommand, .. language.Run];

    /// <summary>Cold-run mode of the Python bootstrap: the code is read from the snippet file in the box.</summary>
    private const string FromFile = "file";

    /// <summary>
    /// The argv, inside the box, of a cold run of a language run in-process (Python): the bootstrap
    /// reads the snippet file instead of a hand-over, so a cold run has the same display support as a
    /// pre-started one (<c>display()</c>, figures as PNG, display records carrying
    /// <paramref name="displayNonce"/>). It announces no end: a cold run ends with its process. Null
    /// for every other language, which runs its configured command.
    /// </summary>
    public static IReadOnlyList<string>? ColdArguments(LanguageDefinition language, string displayNonce) =>
        language.Prestart == InProcessPython && language.Compile.Length == 0
            ? [Interpreter, "-u", PythonSitePackages.NoSiteFlag, "-c", Script, FromFile, displayNonce, language.FileName]
            : null;

    /// <summary>Whether a box of this language announces the end of its run with an end marker.</summary>
    public static bool AnnouncesEnd(LanguageDefinition language) => language.Prestart == InProcessPython;

    /// <summary>What is written to a waiting sandbox's stdin to hand it its run.</summary>
    public static byte[] Handover(LanguageDefinition language, byte[] code, byte[] stdin, EffectiveLimits limits, bool limitProcesses, string endNonce)
    {
        var cpuSeconds = (limits.CpuTimeMs + 999) / 1000;
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{code.Length} {cpuSeconds} {language.FileName} {(limitProcesses ? limits.MaxProcesses : 0)} {endNonce}\n");
        return [.. Encoding.ASCII.GetBytes(header), .. code, .. stdin];
    }
}
