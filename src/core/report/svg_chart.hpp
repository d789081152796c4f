// Inline SVG charts for `dbopt report` (docs/operations.md, "Report"): line charts over time
// and grouped bar charts, written as self-contained SVG elements (no script, no external font
// or style sheet) with axes, tick labels, axis titles with units, a legend and accessible
// <title>/<desc> elements. Every text that goes into the markup is escaped here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/common/no_postgres.hpp"

namespace dbopt::report {

// Text for XML/HTML content and attribute values: & < > " ' escaped, control characters
// (other than tab and newline) turned into spaces, since XML 1.0 forbids them.
std::string XmlEscape(std::string_view text);

// A number for a label: short, with k/M/G/T for thousands and up ("1.5k", "2.35M"),
// scientific beyond 1e15, up to three significant digits below 1000 ("0.0123", "12.5").
std::string FormatValue(double value);

// Unix epoch seconds as UTC "YYYY-MM-DD HH:MM"; with_date false: "HH:MM" only; with_seconds
// adds ":SS".
std::string FormatUtc(double epoch_seconds, bool with_date = true, bool with_seconds = false);

// Evenly spaced "nice" values (steps of 1, 2 or 5 times a power of ten) from at most min to at
// least max, about target of them (2 to 12). min == max gets a range around the value.
// Non-finite input gives {0, 1}.
std::vector<double> NiceTicks(double min, double max, int target);

// The ticks of a time axis from min to max (Unix epoch seconds, UTC): on the multiples of one
// step from a ladder of round durations (1, 2, 5, 10, 15, 30 seconds; 1, 2, 5, 10, 15, 30
// minutes; 1, 2, 3, 6, 12 hours; 1, 2, 3, 7, 14, 30, 60, 90, 180 days, then multiples of 365), the
// smallest step that gives at most max_ticks (at least 2) ticks in [min, max]. Labels are as
// precise as the step: "HH:MM:SS" below a minute, "HH:MM" below a day, "YYYY-MM-DD" from a
// day on; with_date prefixes the date to times ("YYYY-MM-DD HH:MM") when the axis does not say
// the day elsewhere. So no two ticks carry the same label. A span too short for two ticks a
// second apart gives its two ends (labelled to the second). Non-finite input: no ticks.
struct TimeTick {
  double x = 0;
  std::string label;
};
std::vector<TimeTick> TimeTicks(double min, double max, int max_ticks, bool with_date);

struct ChartPoint {
  double x = 0;       // line charts: Unix epoch seconds (time axis) or any number
  double y = 0;       // non-finite values are skipped
  std::string label;  // the point's tooltip; "" : "series: x, y unit"
};

struct ChartSeries {
  std::string name;  // legend text (cut when long; the whole name stays in the tooltip)
  std::vector<ChartPoint> points;
};

struct ChartMarker {  // a dashed vertical line, e.g. where an index was built
  double x = 0;
  std::string label;
};

struct LineChart {
  std::string id;  // unique in the document; used for the aria ids of <title> and <desc>
  std::string title;
  std::string description;  // what the chart shows, for screen readers (<desc>)
  std::string x_label;      // axis title, e.g. "snapshot taken at (UTC)"
  std::string y_label;      // axis title with its unit, e.g. "execution time (ms)"
  std::string y_unit;       // short unit for tooltips, e.g. "ms"
  bool time_axis = true;    // x values are Unix epoch seconds, labelled in UTC
  std::vector<ChartSeries> series;
  std::vector<ChartMarker> markers;
  int width = 760;
  int height = 300;  // of the plot and axes; the legend adds to it
};

struct BarSeries {
  std::string name;
  std::vector<double> values;  // one per category; missing or non-finite: no bar
  std::string color;           // "" : the palette's next color
};

struct BarChart {
  std::string id;
  std::string title;
  std::string description;
  std::string y_label;
  std::string y_unit;
  std::vector<std::string> categories;  // x axis labels (cut when long; whole in tooltips)
  std::vector<BarSeries> series;
  std::vector<std::string> category_colors;  // with one series: each category's bar color
  int width = 760;
  int height = 280;
};

// One <svg> element (class "chart"; "chart empty" and a "no data" text when no series has a
// finite point). Series are <g class="series" data-series="NAME">, each point a
// <circle class="point"> (line) or <rect class="bar"> (bar) with its own <title>.
std::string RenderLineChart(const LineChart& chart);
std::string RenderBarChart(const BarChart& chart);

// The color of the i-th series (a palette that stays distinguishable for color-blind readers;
// line charts also vary the dash pattern).
const char* SeriesColor(size_t index);

}  // namespace dbopt::report
