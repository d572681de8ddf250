using AngleSharp.Html.Parser;
using CodeChatter.Web.Rendering;

namespace CodeChatter.Tests.Web.Rendering;

public class DisplayHtmlSanitizerTests
{
    // What pandas' DataFrame._repr_html_ writes, scoped style block included.
    private const string PandasTable = """
        <div>
        <style scoped>
            .dataframe tbody tr th:only-of-type { vertical-align: middle; }
        </style>
        <table border="1" class="dataframe">
          <thead>
            <tr style="text-align: right;"><th></th><th>name</th><th>score</th></tr>
          </thead>
          <tbody>
            <tr><th>0</th><td>ada</td><td>1.5</td></tr>
            <tr><th>1</th><td colspan="2">grace &amp; co</td></tr>
          </tbody>
        </table>
        <p>2 rows × 2 columns</p>
        </div>
        """;

    private static readonly string[] Hostile =
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"https://example.com/\">elsewhere</a>",
        "<span onclick=\"alert(1)\" style=\"background:url(javascript:alert(1))\">styled</span>",
        "<div style=\"position:fixed;top:0;left:0;width:100%;height:100%\">cover</div>",
        "<style>body { display: none }</style>",
        "<iframe src=\"https://example.com/\"></iframe>",
        "<form action=\"https://example.com/steal\"><input name=password><button>go</button></form>",
        "<svg><script>alert(1)</script><circle onload=\"alert(1)\" r=5 /></svg>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
        "<embed src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<video src=x onerror=alert(1)></video>",
        "<table background=\"javascript:alert(1)\"><tr><td background=\"data:image/png;base64,AAAA\">cell</td></tr></table>",
        "<base href=\"https://example.com/\"><meta http-equiv=\"refresh\" content=\"0;url=https://example.com/\">",
        "<link rel=stylesheet href=\"https://example.com/x.css\">",
        "<td class=\"dataframe\" id=\"chat\" data-x=\"1\" title=\"t\">attrs</td>",
    ];

    private readonly DisplayHtmlSanitizer _sanitizer = new();

    [Fact]
    public void Hostile_markup_arrives_inert()
    {
        var cleaned = _sanitizer.Sanitize(string.Join("\n", Hostile));
        var document = new HtmlParser().ParseDocument($"<body>{cleaned}</body>");

        var allowed = new HashSet<string>(["html", "head", "body", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
            "colgroup", "col", "b", "i", "em", "strong", "code", "pre", "span", "div", "p", "br", "sub", "sup", "small"]);
        Assert.All(document.All, element => Assert.Contains(element.LocalName, allowed));
        Assert.All(document.All, element => Assert.All(element.Attributes, a => Assert.Contains(a.Name, new[] { "colspan", "rowspan" })));
        Assert.DoesNotContain("javascript:", cleaned, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", cleaned, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", cleaned, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("display: none", cleaned, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example.com", cleaned, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_pandas_table_keeps_its_rows_cells_and_spans_without_its_style()
    {
        var cleaned = _sanitizer.Sanitize(PandasTable);
        var document = new HtmlParser().ParseDocument($"<body>{cleaned}</body>");

        var rows = document.QuerySelectorAll("table > thead > tr, table > tbody > tr")
            .Select(r => string.Join("|", r.Children.Select(c => $"{c.LocalName}:{c.TextContent}")))
            .ToList();
        Assert.Equal(["th:|th:name|th:score", "th:0|td:ada|td:1.5", "th:1|td:grace & co"], rows);
        Assert.Equal("2", document.QuerySelector("td[colspan]")!.GetAttribute("colspan"));
        Assert.Equal("2 rows × 2 columns", document.QuerySelector("p")!.TextContent);
        Assert.Null(document.QuerySelector("style"));
        Assert.DoesNotContain("vertical-align", cleaned, StringComparison.Ordinal);
        Assert.Null(document.QuerySelector("table")!.GetAttribute("class"));
        Assert.Null(document.QuerySelector("table")!.GetAttribute("border"));
    }
}
