using System.Globalization;
using System.Text;

namespace CodeChatter.Core.Execution.Sessions;

/// <summary>
/// The small programs that run inside a session's box, one per language, and the frames the server
/// writes to them. Each driver is a constant script passed as an argument; code never is.
/// </summary>
/// <remarks>
/// <para>Frames on the box's stdin, written only by the server (ASCII header line, then raw bytes):
/// <c>M NONCE COUNTER CODE_BYTES\n</c> + code starts a message; <c>I BYTES\n</c> + bytes is a piece
/// of its stdin (the up-front stdin first, then each typed piece); <c>E\n</c> ends its stdin. Every
/// message gets exactly one <c>E</c>, sent at the latest right after its end, and the next <c>M</c>
/// only after that.</para>
/// <para>When the message is over the driver writes <c>\0CC-END:NONCE:STATUS\n</c> to stderr, then to
/// stdout (the pre-started bootstrap's marker, which <c>BoundedOutputCapture</c> strips). The nonce is
/// fresh per message. The person's code runs in the driver's process and can read the nonce or print a
/// marker; that only ends its own reply early (and the driver's own marker, with an old nonce, is then
/// plain output of the session's next message). The server reads nothing else from the box as an
/// instruction.</para>
/// </remarks>
internal static class SessionDrivers
{
    /// <summary>The Python driver id.</summary>
    public const string Python = "python";

    /// <summary>The JavaScript (Node) driver id.</summary>
    public const string JavaScript = "javascript";

    /// <summary>The Bash driver id.</summary>
    public const string Bash = "bash";

    /// <summary>Whether <paramref name="driver"/> names a known driver.</summary>
    public static bool IsKnown(string? driver) => driver is Python or JavaScript or Bash;

    /// <summary>Whether the driver prints display records (Python: <c>display()</c>, figures, rich last values).</summary>
    public static bool DisplaysRichOutput(string? driver) => driver == Python;

    /// <summary>The argv inside the box that starts a session with this driver.</summary>
    public static IReadOnlyList<string> ProgramArguments(string driver) => driver switch
    {
        Python => ["/usr/bin/python3", "-u", Sandbox.PythonSitePackages.NoSiteFlag, "-c", PythonDriver],
        JavaScript => ["/usr/bin/node", "-e", JavaScriptDriver],
        Bash => ["/usr/bin/bash", "-c", BashDriver, "session"],
        _ => throw new ArgumentOutOfRangeException(nameof(driver), driver, "no such session driver"),
    };

    /// <summary>The frame that starts message <paramref name="counter"/>.</summary>
    public static byte[] MessageFrame(string nonce, int counter, byte[] code) =>
        [.. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"M {nonce} {counter} {code.Length}\n")), .. code];

    /// <summary>A frame carrying a piece of the message's stdin.</summary>
    public static byte[] InputFrame(ReadOnlySpan<byte> bytes) =>
        [.. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"I {bytes.Length}\n")), .. bytes];

    /// <summary>The frame that ends the message's stdin.</summary>
    public static byte[] EndFrame { get; } = "E\n"u8.ToArray();

    /// <summary>
    /// One <c>__main__</c> namespace for the session. Each message is parsed; a final bare expression
    /// is evaluated and kept in <c>_</c>; a value with a rich representation (a figure, <c>_repr_png_</c>,
    /// <c>_repr_html_</c> such as a pandas DataFrame) is displayed as such, any other is shown as
    /// <c>Out[n]: repr</c>. Figures still open at the message's end are shown and closed, and
    /// <c>display()</c> works throughout (see <see cref="Sandbox.PythonDisplaySupport"/>; its records carry
    /// the message's nonce). The cell is registered in
    /// linecache as <c>In[n]</c> so tracebacks show its lines, and the driver's frame is cut from them.
    /// SIGINT raises KeyboardInterrupt only while a message runs. The message's stdin is a fresh pipe
    /// on fd 0 fed by a thread from the control stream (kept on another descriptor).
    /// </summary>
    private const string PythonDriver = Sandbox.PythonSitePackages.Source + Sandbox.PythonDisplaySupport.Source + """
        _cc_site()
        import os, sys, signal, threading, builtins, types, linecache, ast, traceback
        def _driver():
            display, richest, emit, flush_figures, (snapshot, emit_files) = _cc_display_support()
            root = os.getcwd()
            control = os.dup(0)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            main = types.ModuleType("__main__")
            main.__builtins__ = builtins
            sys.modules["__main__"] = main
            sys.argv = [""]
            names = main.__dict__
            state = {"running": False}
            def on_interrupt(signum, frame):
                if state["running"]:
                    raise KeyboardInterrupt
            def read_line():
                line = b""
                while not line.endswith(b"\n"):
                    byte = os.read(control, 1)
                    if not byte:
                        os._exit(0)
                    line += byte
                return line.split()
            def read_exact(n):
                data = bytearray()
                while len(data) < n:
                    part = os.read(control, n - len(data))
                    if not part:
                        os._exit(0)
                    data += part
                return bytes(data)
            def feed(write_end):
                # Input frames until end of input; what the snippet does not read is still consumed.
                while True:
                    frame = read_line()
                    if frame[0] == b"I":
                        data = read_exact(int(frame[1]))
                        if write_end is not None:
                            try:
                                os.write(write_end, data)
                            except OSError:
                                os.close(write_end)
                                write_end = None
                    else:
                        if write_end is not None:
                            os.close(write_end)
                        return
            def run(code, name, counter):
                source = code.decode("utf-8", "replace")
                linecache.cache[name] = (len(source), None, source.splitlines(True), name)
                try:
                    tree = ast.parse(source, name)
                except SyntaxError as error:
                    traceback.print_exception(type(error), error, None)
                    return 1
                last = None
                if tree.body and isinstance(tree.body[-1], ast.Expr):
                    last = ast.Expression(tree.body.pop().value)
                try:
                    state["running"] = True
                    try:
                        exec(compile(tree, name, "exec"), names)
                        if last is not None:
                            value = eval(compile(last, name, "eval"), names)
                            if value is not None:
                                names["_"] = value
                                item = richest(value)
                                if item is None:
                                    print("Out[%d]: %s" % (counter, repr(value)))
                                else:
                                    emit(*item)
                    finally:
                        state["running"] = False
                except SystemExit as stop:
                    if stop.code is None:
                        return 0
                    if isinstance(stop.code, int):
                        return stop.code & 0xFF
                    print(stop.code, file=sys.stderr)
                    return 1
                except KeyboardInterrupt as error:
                    traceback.print_exception(type(error), error, error.__traceback__.tb_next)
                    return 130
                except BaseException as error:
                    traceback.print_exception(type(error), error, error.__traceback__.tb_next)
                    return 1
                return 0
            while True:
                frame = read_line()
                if len(frame) != 4 or frame[0] != b"M":
                    continue
                nonce, counter, size = frame[1], int(frame[2]), int(frame[3])
                code = read_exact(size)
                read_end, write_end = os.pipe()
                os.dup2(read_end, 0)
                os.close(read_end)
                feeder = threading.Thread(target=feed, args=(write_end,), daemon=True)
                feeder.start()
                sys.stdin = open(0, "r", encoding="utf-8", errors="replace", closefd=False)
                signal.signal(signal.SIGINT, on_interrupt)
                display["nonce"] = nonce
                try:
                    before = snapshot(root)
                except BaseException:
                    before = None
                try:
                    status = run(code, "In[%d]" % counter, counter)
                except BaseException:
                    status = 1
                try:
                    flush_figures()
                except BaseException:
                    pass
                try:
                    if before is not None:
                        emit_files(root, before, ())
                except BaseException:
                    pass
                display["nonce"] = None
                os.dup2(null, 0)
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except BaseException:
                        pass
                end = b"\0CC-END:" + nonce + b":" + str(status).encode() + b"\n"
                try:
                    os.write(2, end)
                    os.write(1, end)
                except OSError:
                    pass
                feeder.join()
        _driver()
        """;

    /// <summary>
    /// Runs each message with <c>vm.runInThisContext</c> (top-level let/const/functions carry over;
    /// redeclaring a <c>let</c> fails as in a browser console). A promise the last expression returns
    /// is awaited; the message is over when its stdin was read to its end (if something reads it) and
    /// no timer is pending. <c>process.stdin</c> is a stream fed with the message's input.
    /// </summary>
    private const string JavaScriptDriver = """
        // The driver's own names stay out of the global scope the person's code shares.
        (() => {
        'use strict';
        const fs = require('fs');
        const vm = require('vm');
        const { PassThrough } = require('stream');
        const control = process.stdin;
        let snippetStdin = new PassThrough();
        Object.defineProperty(process, 'stdin', { configurable: true, enumerable: true, get: () => snippetStdin });
        globalThis.require = require;
        let buffer = Buffer.alloc(0);
        let message = null;
        let pending = [];
        const frames = [];
        function cutStack(error) {
          if (!(error instanceof Error) || typeof error.stack !== 'string') return String(error);
          const lines = error.stack.split('\n');
          const cut = lines.findIndex(line => /^\s+at /.test(line) && /node:vm|\[eval\]/.test(line));
          return (cut < 0 ? lines : lines.slice(0, cut)).join('\n');
        }
        process.on('uncaughtException', error => {
          try { fs.writeSync(2, cutStack(error) + '\n'); } catch {}
          if (message) message.status = 1;
        });
        process.on('unhandledRejection', error => {
          try { fs.writeSync(2, 'Uncaught (in promise) ' + cutStack(error) + '\n'); } catch {}
          if (message) message.status = 1;
        });
        function finish() {
          const end = '\0CC-END:' + message.nonce + ':' + message.status + '\n';
          message = null;
          try { fs.writeSync(2, end); fs.writeSync(1, end); } catch {}
          next();
        }
        async function run(current) {
          try {
            let value = vm.runInThisContext(current.code, { filename: current.name, breakOnSigint: true });
            if (value && typeof value.then === 'function') await value;
          } catch (error) {
            try { fs.writeSync(2, 'Uncaught ' + cutStack(error) + '\n'); } catch {}
            if (/SIGINT/.test(String(error && error.message))) {
              current.status = 130;
              if (current === message) finish();
              return;
            }
            current.status = 1;
          }
          current.ran = true;
          settle(current);
        }
        // A message is over once its code ran, its input was read to its end (when something reads it), and
        // no timer it set is pending; an interval never ends and is stopped at the wall-time limit.
        function settle(current) {
          if (current.settling || !current.ran || current !== message) return;
          const input = current.stdin;
          if (!input.readableEnded && input.listenerCount('data') + input.listenerCount('readable') > 0) {
            // Something reads stdin: like a process, the message waits for the end of its input.
            setTimeout(() => settle(current), 5);
            return;
          }
          current.settling = true;
          waitForTimers(current);
        }
        function waitForTimers(current) {
          setImmediate(() => {
            if (current !== message) return;
            if (process.getActiveResourcesInfo().includes('Timeout')) setTimeout(() => waitForTimers(current), 2);
            else finish();
          });
        }
        process.on('SIGINT', () => {
          if (!message) return;
          try { fs.writeSync(2, 'Interrupted\n'); } catch {}
          message.status = 130;
          finish();
        });
        function next() {
          while (frames.length > 0) {
            const frame = frames[0];
            if (frame.kind === 'M' && message) return;
            frames.shift();
            if (frame.kind === 'M') {
              snippetStdin = new PassThrough();
              message = { stdin: snippetStdin, nonce: frame.nonce, status: 0, ran: false, inputEnded: false, code: frame.data.toString('utf8'), name: 'In[' + frame.counter + ']' };
              const current = message;
              setImmediate(() => run(current));
              continue;
            }
            if (!message) continue;
            if (frame.kind === 'I') snippetStdin.write(frame.data);
            else { snippetStdin.end(); message.inputEnded = true; settle(message); }
          }
          if (closed && !message) process.exit(0);
        }
        control.on('data', chunk => {
          buffer = Buffer.concat([buffer, chunk]);
          while (true) {
            const newline = buffer.indexOf(10);
            if (newline < 0) break;
            const fields = buffer.subarray(0, newline).toString('latin1').split(' ');
            let size = 0;
            if (fields[0] === 'M') size = Number(fields[3]);
            else if (fields[0] === 'I') size = Number(fields[1]);
            if (buffer.length < newline + 1 + size) break;
            const data = buffer.subarray(newline + 1, newline + 1 + size);
            buffer = buffer.subarray(newline + 1 + size);
            frames.push({ kind: fields[0], nonce: fields[1], counter: fields[2], data });
          }
          next();
        });
        let closed = false;
        // The server closes the control stream only when the session ends.
        control.on('end', () => { closed = true; next(); });
        })();
        """;

    /// <summary>
    /// Sources each message (state, functions and the working directory carry over) from a file under
    /// /tmp, with its stdin from a FIFO fed by a background reader of the control stream. SIGINT makes
    /// the sourced message return; <c>exit</c> ends the session.
    /// </summary>
    private const string BashDriver = """
        exec 3<&0 0</dev/null
        __cc_dir=$(mktemp -d /tmp/.session.XXXXXX) || exit 70
        mkfifo "$__cc_dir/stdin" || exit 70
        __cc_feed() {
          trap '' INT PIPE
          local kind size
          while IFS=' ' read -r kind size <&3; do
            case $kind in
              I) head -c "$size" <&3 | { cat 2>/dev/null || cat >/dev/null; } ;;
              *) return 0 ;;
            esac
          done
        }
        trap : INT
        while IFS=' ' read -r __cc_kind __cc_nonce __cc_counter __cc_size <&3; do
          [ "$__cc_kind" = M ] || continue
          head -c "$__cc_size" <&3 >"$__cc_dir/code" || exit 70
          __cc_feed >"$__cc_dir/stdin" 2>/dev/null &
          __cc_feeder=$!
          trap 'trap : INT; return 130' INT
          # The control stream (fd 3) is closed for the message: only the driver reads frames.
          source "$__cc_dir/code" <"$__cc_dir/stdin" 3<&-
          __cc_status=$?
          trap : INT
          printf '\0CC-END:%s:%d\n' "$__cc_nonce" "$__cc_status" >&2
          printf '\0CC-END:%s:%d\n' "$__cc_nonce" "$__cc_status"
          wait "$__cc_feeder"
        done
        """;
}
