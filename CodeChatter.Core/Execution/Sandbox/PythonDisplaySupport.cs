namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// Jupyter-style inline display for every Python path (pre-started, cold, session): the Python code
/// each of them runs before the person's code, defining <c>_cc_display_support()</c>.
/// </summary>
/// <remarks>
/// <para>It installs a <c>display(*values)</c> builtin that shows each value by its richest
/// representation (a matplotlib figure as PNG, <c>_repr_png_</c> as image/png, <c>_repr_html_</c> as
/// text/html, else the repr as text/plain), and makes matplotlib's <c>plt.show()</c> show the open
/// figures as PNG and close them, as Jupyter's inline backend does. Nothing here imports matplotlib,
/// numpy or pandas: <c>show</c> is replaced by a tiny import hook only when the snippet itself imports
/// <c>matplotlib.pyplot</c>, and the figures left open at a message's end are looked for only when
/// <c>matplotlib.pyplot</c> is already in <c>sys.modules</c>. matplotlib draws with the Agg backend
/// (<c>MPLBACKEND=Agg</c> in every box, see <see cref="SandboxCommandLine"/>).</para>
/// <para>Each item goes to stdout (fd 1) as one record, after stdout and stderr were flushed so its
/// place in the text is right: <c>\0CC-DISPLAY:NONCE:MEDIA_TYPE:LENGTH\n</c>, LENGTH bytes of base64,
/// <c>\n</c>. The host strips it (see <see cref="BoundedOutputCapture"/>). The returned state's
/// <c>nonce</c> (bytes) is set per run or message; while it is None nothing is emitted.</para>
/// <para>Files a message leaves in its working folder (new or changed since it started) go the same way as
/// <c>file</c> records whose payload is the relative path, NUL, and the file's bytes.</para>
/// </remarks>
internal static class PythonDisplaySupport
{
    /// <summary>
    /// Python source defining <c>_cc_display_support()</c>, which installs the builtin and the hook and
    /// returns <c>(state, richest, emit, flush_figures, (snapshot, emit_files))</c>: <c>snapshot(root)</c> notes the
    /// working folder's files and <c>emit_files(root, before, skip)</c> sends back those made or changed since.
    /// </summary>
    public const string Source = """
        def _cc_display_support():
            import os, sys, builtins
            png, html, text = "image/png", "text/html", "text/plain"
            state = {"nonce": None}
            def emit(media, data):
                nonce = state["nonce"]
                if nonce is None:
                    return
                import binascii
                payload = binascii.b2a_base64(data, newline=False)
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except BaseException:
                        pass
                record = memoryview(b"\0CC-DISPLAY:" + nonce + b":" + media.encode() + b":"
                                    + str(len(payload)).encode() + b"\n" + payload + b"\n")
                while record:
                    record = record[os.write(1, record):]
            def figure_png(figure):
                import io
                buffer = io.BytesIO()
                figure.savefig(buffer, format="png", bbox_inches="tight")
                return buffer.getvalue()
            def richest(value):
                figures = sys.modules.get("matplotlib.figure")
                if figures is not None and isinstance(value, figures.Figure):
                    return png, figure_png(value)
                if isinstance(value, type):
                    return None
                for name, media in (("_repr_png_", png), ("_repr_html_", html)):
                    try:
                        method = getattr(value, name, None)
                        data = method() if callable(method) else None
                    except Exception:
                        import traceback
                        traceback.print_exc()
                        continue
                    if isinstance(data, tuple) and data:
                        data = data[0]
                    if isinstance(data, str):
                        data = data.encode("utf-8", "replace")
                    if isinstance(data, (bytes, bytearray)):
                        return media, bytes(data)
                return None
            def display(*values):
                for value in values:
                    item = richest(value)
                    if item is None:
                        item = (text, repr(value).encode("utf-8", "replace"))
                    emit(*item)
            def flush_figures():
                pyplot = sys.modules.get("matplotlib.pyplot")
                if pyplot is None:
                    return
                try:
                    from matplotlib._pylab_helpers import Gcf
                    for manager in Gcf.get_all_fig_managers():
                        emit(png, figure_png(manager.canvas.figure))
                except Exception:
                    import traceback
                    traceback.print_exc()
                finally:
                    try:
                        pyplot.close("all")
                    except Exception:
                        pass
            def show(*args, **kwargs):
                flush_figures()
            class PyplotHook:
                # Replaces pyplot.show as pyplot is first imported; every other import passes by.
                def find_spec(self, fullname, path=None, target=None):
                    if fullname != "matplotlib.pyplot":
                        return None
                    for finder in sys.meta_path:
                        if finder is self or not hasattr(finder, "find_spec"):
                            continue
                        spec = finder.find_spec(fullname, path, target)
                        if spec is None:
                            continue
                        loader = spec.loader
                        if loader is not None and hasattr(loader, "exec_module"):
                            original = loader.exec_module
                            def exec_module(module):
                                original(module)
                                module.show = show
                            loader.exec_module = exec_module
                        return spec
                    return None
            def snapshot(root):
                # Regular files only (a symlink or a FIFO is never followed or read), at most 2000
                # entries and 16 folders deep; inputs/ (read-only attachments), __pycache__ and hidden
                # folders (tools' caches and settings, as a notebook's file list hides them) skipped.
                import stat
                seen, budget = {}, [2000]
                def walk(folder, prefix, depth):
                    try:
                        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
                    except OSError:
                        return
                    for entry in entries:
                        if budget[0] <= 0:
                            return
                        budget[0] -= 1
                        try:
                            info = entry.stat(follow_symlinks=False)
                        except OSError:
                            continue
                        if stat.S_ISDIR(info.st_mode):
                            skipped = entry.name == "__pycache__" or entry.name.startswith(".") or (depth == 0 and entry.name == "inputs")
                            if not skipped and depth < 16:
                                walk(entry.path, prefix + entry.name + "/", depth + 1)
                        elif stat.S_ISREG(info.st_mode):
                            seen[prefix + entry.name] = (info.st_mtime_ns, info.st_size, info.st_ino)
                walk(root, "", 0)
                return seen
            def emit_files(root, before, skip):
                # Files the message made or changed, in name order, each as one "file" record:
                # its relative path, NUL, its bytes. The host applies the count and size caps.
                if state["nonce"] is None:
                    return
                after = snapshot(root)
                for name in sorted(after):
                    if name in skip or before.get(name) == after[name]:
                        continue
                    try:
                        descriptor = os.open(os.path.join(root, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                    except OSError:
                        continue
                    try:
                        chunks = []
                        while True:
                            chunk = os.read(descriptor, 1 << 20)
                            if not chunk:
                                break
                            chunks.append(chunk)
                    except OSError:
                        continue
                    finally:
                        os.close(descriptor)
                    emit("file", name.encode("utf-8", "surrogateescape") + b"\0" + b"".join(chunks))
            sys.meta_path.insert(0, PyplotHook())
            builtins.display = display
            return state, richest, emit, flush_figures, (snapshot, emit_files)

        """;
}
