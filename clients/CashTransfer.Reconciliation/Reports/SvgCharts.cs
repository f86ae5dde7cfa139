using System.Globalization;
using System.Net;
using System.Text;

namespace CashTransfer.Reconciliation.Reports;

/// <summary>One bar's segment: a series name and a value (minor units or a count).</summary>
public sealed record BarSegment(string Series, long Value);

/// <summary>One labelled bar made of stacked segments (or side by side, for grouped charts).</summary>
public sealed record Bar(string Label, IReadOnlyList<BarSegment> Segments);

/// <summary>Inline SVG bar charts for the HTML report: no script, no external asset, integer values only.</summary>
public static class SvgCharts
{
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Vertical bars, segments stacked (<paramref name="grouped"/> false) or side by side (true), with a legend.</summary>
    public static string Bars(string title, IReadOnlyList<Bar> bars, bool grouped)
    {
        var series = bars.SelectMany(b => b.Segments.Select(s => s.Series)).Distinct().ToList();
        var highest = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => grouped ? b.Segments.DefaultIfEmpty().Max(s => s?.Value ?? 0) : b.Segments.Sum(s => s.Value)));
        var max = (highest + 3) / 4 * 4; // four gridlines at whole numbers
        const int height = 220, top = 30, left = 80, bottom = 110;
        var slot = Math.Max(24, Math.Min(80, 760 / Math.Max(1, bars.Count)));
        var width = Math.Max(left + slot * Math.Max(1, bars.Count) + 20, 520);
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width + 180}\" height=\"{top + height + bottom}\" role=\"img\" aria-label=\"{Html(title)}\">"));
        svg.Append(Inv($"<text x=\"10\" y=\"18\" class=\"title\">{Html(title)}</text>"));
        for (int i = 0; i <= 4; i++)
        {
            var y = top + height - height * i / 4;
            svg.Append(Inv($"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{y}\" y2=\"{y}\" class=\"grid\"/><text x=\"{left - 6}\" y=\"{y + 4}\" class=\"axis\" text-anchor=\"end\">{max * i / 4:N0}</text>"));
        }
        for (int b = 0; b < bars.Count; b++)
        {
            var x = left + b * slot + 4;
            var stack = 0L;
            var segments = bars[b].Segments;
            for (int s = 0; s < segments.Count; s++)
            {
                var h = (int)(height * segments[s].Value / max);
                var color = Palette[series.IndexOf(segments[s].Series) % Palette.Length];
                var (sx, sw) = grouped ? (x + s * (slot - 8) / segments.Count, Math.Max(2, (slot - 8) / segments.Count)) : (x, slot - 8);
                var sy = grouped ? top + height - h : top + height - (int)(height * (stack + segments[s].Value) / max);
                svg.Append(Inv($"<rect x=\"{sx}\" y=\"{sy}\" width=\"{sw}\" height=\"{Math.Max(h, 0)}\" fill=\"{color}\"><title>{Html(bars[b].Label)} {Html(segments[s].Series)}: {segments[s].Value:N0}</title></rect>"));
                stack += segments[s].Value;
            }
            svg.Append(Inv($"<text x=\"{x + (slot - 8) / 2}\" y=\"{top + height + 14}\" class=\"axis\" text-anchor=\"end\" transform=\"rotate(-35 {x + (slot - 8) / 2} {top + height + 14})\">{Html(bars[b].Label)}</text>"));
        }
        for (int s = 0; s < series.Count; s++)
            svg.Append(Inv($"<rect x=\"{width + 5}\" y=\"{top + s * 18}\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Length]}\"/><text x=\"{width + 22}\" y=\"{top + s * 18 + 10}\" class=\"axis\">{Html(series[s])}</text>"));
        return svg.Append("</svg>").ToString();
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
