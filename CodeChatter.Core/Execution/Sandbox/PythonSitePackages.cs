namespace CodeChatter.Core.Execution.Sandbox;

/// <summary>
/// How every box's Python finds its packages: the interpreter starts with <c>-S</c> (no <c>site</c> at
/// start-up) and this prelude puts the system's package folders on <c>sys.path</c> itself.
/// </summary>
/// <remarks>
/// At start-up <c>site</c> also runs every <c>.pth</c> file and <c>sitecustomize</c> found in those folders:
/// hooks the host's administrator or tools installed for the host's own programs (an error reporter, a
/// certificate bundle patched for a proxy a box cannot reach anyway). In a box they cost about a third of
/// the interpreter's start and do nothing it needs; namespace packages such as <c>mpl_toolkits</c> work
/// without their <c>.pth</c> since Python 3.3. <c>exit()</c>, <c>quit()</c>, <c>help()</c>,
/// <c>copyright</c> and <c>license</c> are defined as <c>site</c> defines them, so a snippet sees the
/// same builtins and the same <c>sys.path</c> as under <c>python3 main.py</c>.
/// </remarks>
internal static class PythonSitePackages
{
    /// <summary>The interpreter flag that leaves <c>site</c> out of start-up.</summary>
    public const string NoSiteFlag = "-S";

    /// <summary>
    /// Python source defining <c>_cc_site()</c>, which puts the package folders on the path and defines site's
    /// builtins; a Python that runs snippets calls it first (an exec-mode bootstrap, which runs none, does not).
    /// </summary>
    public const string Source = """
        def _cc_site():
            import os, sys, site
            for folder in site.getsitepackages():
                if folder not in sys.path and os.path.isdir(folder):
                    sys.path.append(folder)
            site.setquit()
            site.setcopyright()
            site.sethelper()

        """;
}
