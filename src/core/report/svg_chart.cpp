#include "core/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

namespace dbopt::report {
namespace {

// Okabe & Ito's palette (distinguishable with the common color-vision deficiencies), without
// its yellow, which is unreadable on white.
const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                "#CC79A7", "#56B4E9", "#000000", "#999999"};
const char* const kDashes[] = {"", "6 3", "2 3", "8 3 2 3"};

constexpr int kMarginLeft = 72;
constexpr int kMarginRight = 24;
constexpr int kMarginTop = 24;
constexpr int kMarginBottom = 48;  // tick labels and the x axis title
constexpr int kLegendLine = 18;
constexpr double kCharWidth =
    6.6;  // of the 12px sans-serif labels, to cut texts that would overflow

std::string Fixed(double value) {  // coordinates: one decimal is plenty
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

// text cut to at most max_chars characters (UTF-8 aware), with an ellipsis when cut.
std::string Cut(const std::string& text, size_t max_chars) {
  if (max_chars < 2) max_chars = 2;
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars - 1) {
      // Is there more than one character left? Then cut here.
      size_t rest = 0;
      for (size_t j = i; j < text.size(); ++j)
        if ((static_cast<unsigned char>(text[j]) & 0xC0) != 0x80) ++rest;
      if (rest > 1) return text.substr(0, i) + "\xE2\x80\xA6";  // …
      return text;
    }
    ++chars;
  }
  return text;
}

struct Scale {
  double domain_min, domain_max, range_min, range_max;
  double operator()(double v) const {
    const double span = domain_max - domain_min;
    if (!(span > 0) || !std::isfinite(span)) return (range_min + range_max) / 2;
    // Scaled in two steps so that huge domains do not overflow.
    return range_min + (v / span - domain_min / span) * (range_max - range_min);
  }
};

std::string SvgOpen(const std::string& id, const std::string& title, const std::string& description,
                    int width, int height, bool empty) {
  const std::string title_id = XmlEscape(id) + "-title";
  const std::string desc_id = XmlEscape(id) + "-desc";
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart";
  if (empty) out += " empty";
  out += "\" id=\"" + XmlEscape(id) + "\" role=\"img\" aria-labelledby=\"" + title_id + " " +
         desc_id + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
         "\" width=\"" + std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  out += "<title id=\"" + title_id + "\">" + XmlEscape(title) + "</title>\n";
  out += "<desc id=\"" + desc_id + "\">" + XmlEscape(description) + "</desc>\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" fill=\"#ffffff\"/>\n";
  return out;
}

std::string EmptyChart(const std::string& id, const std::string& title,
                       const std::string& description, int width, int height) {
  std::string out = SvgOpen(id, title, description.empty() ? "no data" : description, width, height,
                            /*empty=*/true);
  out += "<text class=\"no-data\" x=\"" + std::to_string(width / 2) + "\" y=\"" +
         std::to_string(height / 2) + "\" text-anchor=\"middle\" fill=\"#555555\">" +
         "no data to chart yet</text>\n</svg>\n";
  return out;
}

// The y axis: horizontal grid lines with their labels, and the axis title turned upright.
std::string YAxis(const std::vector<double>& ticks, const Scale& y, int width, int plot_top,
                  int plot_bottom, const std::string& label) {
  std::string out = "<g class=\"axis y-axis\">\n";
  for (double tick : ticks) {
    const std::string py = Fixed(y(tick));
    out += "<line x1=\"" + std::to_string(kMarginLeft) + "\" x2=\"" +
           std::to_string(width - kMarginRight) + "\" y1=\"" + py + "\" y2=\"" + py +
           "\" stroke=\"#e3e3e3\"/>";
    out += "<text x=\"" + std::to_string(kMarginLeft - 6) + "\" y=\"" + py +
           "\" dy=\"4\" text-anchor=\"end\" fill=\"#333333\">" + XmlEscape(FormatValue(tick)) +
           "</text>\n";
  }
  const int middle = (plot_top + plot_bottom) / 2;
  out += "<text class=\"axis-title\" x=\"14\" y=\"" + std::to_string(middle) +
         "\" transform=\"rotate(-90 14 " + std::to_string(middle) +
         ")\" text-anchor=\"middle\" fill=\"#333333\">" +
         XmlEscape(Cut(label, static_cast<size_t>((plot_bottom - plot_top) / kCharWidth))) +
         "</text>\n";
  out += "<line x1=\"" + std::to_string(kMarginLeft) + "\" x2=\"" + std::to_string(kMarginLeft) +
         "\" y1=\"" + std::to_string(plot_top) + "\" y2=\"" + std::to_string(plot_bottom) +
         "\" stroke=\"#333333\"/>\n</g>\n";
  return out;
}

std::string XAxisLine(int width, int plot_bottom) {
  return "<line x1=\"" + std::to_string(kMarginLeft) + "\" x2=\"" +
         std::to_string(width - kMarginRight) + "\" y1=\"" + std::to_string(plot_bottom) +
         "\" y2=\"" + std::to_string(plot_bottom) + "\" stroke=\"#333333\"/>\n";
}

std::string XAxisTitle(int width, int plot_bottom, const std::string& label) {
  if (label.empty()) return "";
  const int center = (kMarginLeft + width - kMarginRight) / 2;
  return "<text class=\"axis-title\" x=\"" + std::to_string(center) + "\" y=\"" +
         std::to_string(plot_bottom + 38) + "\" text-anchor=\"middle\" fill=\"#333333\">" +
         XmlEscape(label) + "</text>\n";
}

// One legend entry a line: a swatch (a line with the series' dash, or a block) and the name.
std::string Legend(const std::vector<std::string>& names, const std::vector<std::string>& colors,
                   bool lines, int width, int top) {
  std::string out = "<g class=\"legend\">\n";
  const size_t max_chars = static_cast<size_t>((width - kMarginLeft - 40) / kCharWidth);
  for (size_t i = 0; i < names.size(); ++i) {
    const int y = top + static_cast<int>(i) * kLegendLine;
    const std::string sy = std::to_string(y);
    out += "<g class=\"legend-item\"><title>" + XmlEscape(names[i]) + "</title>";
    if (lines) {
      const char* dash = kDashes[i % (sizeof kDashes / sizeof kDashes[0])];
      out += "<line x1=\"" + std::to_string(kMarginLeft) + "\" x2=\"" +
             std::to_string(kMarginLeft + 24) + "\" y1=\"" + sy + "\" y2=\"" + sy + "\" stroke=\"" +
             colors[i] + "\" stroke-width=\"2.5\"" +
             (dash[0] ? std::string(" stroke-dasharray=\"") + dash + "\"" : "") + "/>";
    } else {
      out += "<rect x=\"" + std::to_string(kMarginLeft + 6) + "\" y=\"" + std::to_string(y - 6) +
             "\" width=\"12\" height=\"12\" fill=\"" + colors[i] + "\"/>";
    }
    out += "<text x=\"" + std::to_string(kMarginLeft + 32) + "\" y=\"" + sy +
           "\" dy=\"4\" fill=\"#222222\">" + XmlEscape(Cut(names[i], max_chars)) + "</text></g>\n";
  }
  out += "</g>\n";
  return out;
}

bool Finite(double v) {
  return std::isfinite(v);
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "\xE2\x88\x9E" : "-\xE2\x88\x9E";  // ∞
  char buffer[64];
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
  }
  static const struct {
    double scale;
    const char* suffix;
  } kSuffixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& s : kSuffixes) {
    // 999,950 is "1M", not "1000k".
    if (magnitude >= s.scale * 0.99995) {
      std::snprintf(buffer, sizeof buffer, "%.3g%s", value / s.scale, s.suffix);
      return buffer;
    }
  }
  if (value == 0) return "0";
  std::snprintf(buffer, sizeof buffer, magnitude < 1e-4 ? "%.2g" : "%.3g", value);
  return buffer;
}

std::string FormatUtc(double epoch_seconds, bool with_date, bool with_seconds) {
  if (!std::isfinite(epoch_seconds) || std::fabs(epoch_seconds) > 1e13) return "?";
  const std::time_t seconds = static_cast<std::time_t>(std::floor(epoch_seconds));
  std::tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return "?";
  char buffer[32];
  const char* format = with_date ? (with_seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M")
                                 : (with_seconds ? "%H:%M:%S" : "%H:%M");
  std::strftime(buffer, sizeof buffer, format, &utc);
  return buffer;
}

std::vector<double> NiceTicks(double min, double max, int target) {
  if (!std::isfinite(min) || !std::isfinite(max)) return {0, 1};
  if (min > max) std::swap(min, max);
  target = std::clamp(target, 2, 12);
  if (min == max) {
    const double pad = min == 0 ? 1 : std::fabs(min) * 0.5;
    min -= pad;
    max += pad;
  }
  const double span = max / 2 - min / 2;  // halved: max - min may overflow
  const double raw = 2 * span / (target - 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  // The step of 1, 2 or 5 times a power of ten whose tick count comes closest to target, of
  // those whose last tick is still a finite number.
  double step = 0, first = 0;
  int count = 0;
  for (double factor : {0.5, 1.0, 2.0, 5.0, 10.0, 20.0}) {
    const double candidate = factor * power;
    const double low = std::floor(min / candidate);
    const double high = std::ceil(max / candidate);
    if (!(candidate > 0) || !std::isfinite(high * candidate) || !std::isfinite(low * candidate))
      continue;
    const double n = high - low + 1;
    if (n > 12 || n < 2) continue;
    if (step == 0 || std::fabs(n - target) < std::fabs(count - target)) {
      step = candidate;
      first = low;
      count = static_cast<int>(n);
    }
  }
  if (step == 0) return {min, max};
  std::vector<double> ticks;
  for (int i = 0; i < count; ++i) {
    const double tick = (first + i) * step;
    // -0.0 reads badly, and so does rounding dust next to zero.
    ticks.push_back(std::fabs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  if (ticks.size() < 2) return {min, max};
  return ticks;
}

const char* SeriesColor(size_t index) {
  return kPalette[index % (sizeof kPalette / sizeof kPalette[0])];
}

std::vector<TimeTick> TimeTicks(double min, double max, int max_ticks, bool with_date) {
  if (!Finite(min) || !Finite(max) || std::fabs(min) > 1e13 || std::fabs(max) > 1e13) return {};
  if (min > max) std::swap(min, max);
  max_ticks = std::max(max_ticks, 2);
  constexpr double kMinute = 60, kHour = 3600, kDay = 86400, kYear = 365 * kDay;
  static const double kLadder[] = {
      1,         2,           5,           10,           15,           30,
      kMinute,   2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
      kHour,     2 * kHour,   3 * kHour,   6 * kHour,    12 * kHour,   kDay,
      2 * kDay,  3 * kDay,    7 * kDay,    14 * kDay,    30 * kDay,    60 * kDay,
      90 * kDay, 180 * kDay,  kYear};  // each at most 2.5 times the one before: always two ticks or
                                       // more
  auto count = [&](double step) { return std::floor(max / step) - std::ceil(min / step) + 1; };
  double step = 0;
  for (double candidate : kLadder)
    if (count(candidate) <= max_ticks) {
      step = candidate;
      break;
    }
  if (step == 0) step = kYear * std::ceil((max - min) / kYear / (max_ticks - 1));
  std::vector<TimeTick> ticks;
  if (count(step) < 2) {  // under two seconds: the ends, to the second
    for (double x : {min, max}) ticks.push_back({x, FormatUtc(x, with_date, true)});
    if (ticks[0].label == ticks[1].label) ticks.pop_back();
    return ticks;
  }
  for (double i = std::ceil(min / step); i * step <= max; ++i) {
    const double x = i * step;
    ticks.push_back(
        {x, step >= kDay ? FormatUtc(x).substr(0, 10) : FormatUtc(x, with_date, step < kMinute)});
  }
  return ticks;
}

std::string RenderLineChart(const LineChart& chart) {
  double x_min = INFINITY, x_max = -INFINITY, y_min = 0, y_max = -INFINITY;
  for (const ChartSeries& series : chart.series)
    for (const ChartPoint& point : series.points) {
      if (!Finite(point.x) || !Finite(point.y)) continue;
      x_min = std::min(x_min, point.x);
      x_max = std::max(x_max, point.x);
      y_min = std::min(y_min, point.y);
      y_max = std::max(y_max, point.y);
    }
  if (!(x_min <= x_max))
    return EmptyChart(chart.id, chart.title, chart.description, chart.width, chart.height);
  for (const ChartMarker& marker : chart.markers)
    if (Finite(marker.x)) {
      x_min = std::min(x_min, marker.x);
      x_max = std::max(x_max, marker.x);
    }
  if (x_min == x_max) {  // one point in time: centered, half an hour either side
    const double pad = chart.time_axis ? 1800 : (x_min == 0 ? 1 : std::fabs(x_min) * 0.5);
    x_min -= pad;
    x_max += pad;
  } else if (chart.time_axis && x_max - x_min < 4) {  // under 4 seconds: 4 seconds, centered
    const double pad = (4 - (x_max - x_min)) / 2;
    x_min -= pad;
    x_max += pad;
  }
  if (y_max <= 0 && y_min == 0) y_max = 1;
  const std::vector<double> y_ticks = NiceTicks(y_min, y_max, 5);

  const int width = chart.width;
  const int plot_top = kMarginTop;
  const int plot_bottom = chart.height - kMarginBottom;
  const Scale x{x_min, x_max, static_cast<double>(kMarginLeft),
                static_cast<double>(width - kMarginRight)};
  const Scale y{y_ticks.front(), y_ticks.back(), static_cast<double>(plot_bottom),
                static_cast<double>(plot_top)};

  std::vector<std::string> names, colors;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    names.push_back(chart.series[i].name);
    colors.push_back(SeriesColor(i));
  }
  const int total_height = chart.height + static_cast<int>(names.size()) * kLegendLine + 6;
  std::string out =
      SvgOpen(chart.id, chart.title, chart.description, width, total_height, /*empty=*/false);
  out += YAxis(y_ticks, y, width, plot_top, plot_bottom, chart.y_label);

  // x axis: about five ticks, time labels in UTC (the time of day alone within one day).
  out += "<g class=\"axis x-axis\">\n" + XAxisLine(width, plot_bottom);
  const bool one_day =
      chart.time_axis && FormatUtc(x_min).substr(0, 10) == FormatUtc(x_max).substr(0, 10);
  // Time ticks on round times (a step chosen from the span: snapshots seconds apart in a demo
  // get seconds, a month gets days), other axes on nice numbers.
  std::vector<TimeTick> x_ticks;
  if (chart.time_axis) {
    x_ticks = TimeTicks(x_min, x_max, 6, !one_day);
  } else {
    for (double tick : NiceTicks(x_min, x_max, 5))
      if (tick >= x_min && tick <= x_max) x_ticks.push_back({tick, FormatValue(tick)});
  }
  for (size_t i = 0; i < x_ticks.size(); ++i) {
    const std::string px = Fixed(x(x_ticks[i].x));
    // a label near an end of the axis stays inside the chart
    const double half_label = static_cast<double>(x_ticks[i].label.size()) * kCharWidth / 2;
    const char* anchor = x(x_ticks[i].x) - half_label < 0       ? "start"
                         : x(x_ticks[i].x) + half_label > width ? "end"
                                                                : "middle";
    const std::string& text = x_ticks[i].label;
    out += "<line x1=\"" + px + "\" x2=\"" + px + "\" y1=\"" + std::to_string(plot_bottom) +
           "\" y2=\"" + std::to_string(plot_bottom + 4) + "\" stroke=\"#333333\"/>";
    out += "<text x=\"" + px + "\" y=\"" + std::to_string(plot_bottom + 18) + "\" text-anchor=\"" +
           anchor + "\" fill=\"#333333\">" + XmlEscape(text) + "</text>\n";
  }
  std::string x_title = chart.x_label;
  if (one_day) x_title += (x_title.empty() ? "" : ", ") + FormatUtc(x_min).substr(0, 10);
  out += XAxisTitle(width, plot_bottom, x_title) + "</g>\n";

  // markers: dashed vertical lines with a short label at the top. Markers close together
  // (indexes built minutes apart) would print their labels over each other, so each label
  // goes to the first text row, from the top down, where it overlaps no label already placed.
  if (!chart.markers.empty()) out += "<g class=\"markers\">\n";
  std::vector<std::vector<std::pair<double, double>>> label_rows;
  const size_t max_label_rows =
      std::max<size_t>(1, static_cast<size_t>((plot_bottom - plot_top) / 12));
  for (const ChartMarker& marker : chart.markers) {
    if (!Finite(marker.x)) continue;
    const double px = x(marker.x);
    const std::string spx = Fixed(px);
    const bool right_half = px > (kMarginLeft + width - kMarginRight) / 2.0;
    const double label_width = static_cast<double>(Cut(marker.label, 40).size()) * kCharWidth;
    const std::pair<double, double> span = right_half
                                               ? std::make_pair(px - 4 - label_width, px - 4)
                                               : std::make_pair(px + 4, px + 4 + label_width);
    size_t row = 0;
    for (; row < label_rows.size() && row + 1 < max_label_rows; ++row) {
      const bool clear =
          std::none_of(label_rows[row].begin(), label_rows[row].end(), [&](const auto& used) {
            return span.first < used.second + 6 && used.first < span.second + 6;
          });
      if (clear) break;
    }
    if (row == label_rows.size()) label_rows.emplace_back();
    label_rows[row].push_back(span);
    out += "<g class=\"marker\"><title>" + XmlEscape(marker.label) + " (" +
           XmlEscape(chart.time_axis ? FormatUtc(marker.x) + " UTC" : FormatValue(marker.x)) +
           ")</title><line x1=\"" + spx + "\" x2=\"" + spx + "\" y1=\"" +
           std::to_string(plot_top - 8) + "\" y2=\"" + std::to_string(plot_bottom) +
           "\" stroke=\"#B00020\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>";
    out += "<text x=\"" + Fixed(right_half ? px - 4 : px + 4) + "\" y=\"" +
           std::to_string(plot_top - 2 + 12 * static_cast<int>(row)) + "\" text-anchor=\"" +
           (right_half ? "end" : "start") + "\" fill=\"#B00020\" font-size=\"11\">" +
           XmlEscape(Cut(marker.label, 40)) + "</text></g>\n";
  }
  if (!chart.markers.empty()) out += "</g>\n";

  for (size_t i = 0; i < chart.series.size(); ++i) {
    const ChartSeries& series = chart.series[i];
    std::vector<ChartPoint> points;
    for (const ChartPoint& point : series.points)
      if (Finite(point.x) && Finite(point.y)) points.push_back(point);
    std::stable_sort(points.begin(), points.end(),
                     [](const ChartPoint& a, const ChartPoint& b) { return a.x < b.x; });
    out += "<g class=\"series\" data-series=\"" + XmlEscape(series.name) + "\">\n";
    const char* dash = kDashes[i % (sizeof kDashes / sizeof kDashes[0])];
    if (points.size() > 1) {
      out += "<polyline fill=\"none\" stroke=\"" + colors[i] + "\" stroke-width=\"2\"" +
             (dash[0] ? std::string(" stroke-dasharray=\"") + dash + "\"" : "") + " points=\"";
      for (size_t p = 0; p < points.size(); ++p)
        out += (p ? " " : "") + Fixed(x(points[p].x)) + "," + Fixed(y(points[p].y));
      out += "\"/>\n";
    }
    for (const ChartPoint& point : points) {
      std::string tip = point.label;
      if (tip.empty())
        tip = series.name + ": " +
              (chart.time_axis ? FormatUtc(point.x, true, true) + " UTC" : FormatValue(point.x)) +
              ", " + FormatValue(point.y) + (chart.y_unit.empty() ? "" : " " + chart.y_unit);
      out += "<circle class=\"point\" cx=\"" + Fixed(x(point.x)) + "\" cy=\"" + Fixed(y(point.y)) +
             "\" r=\"3\" fill=\"" + colors[i] + "\"><title>" + XmlEscape(tip) +
             "</title></circle>\n";
    }
    out += "</g>\n";
  }
  out += Legend(names, colors, /*lines=*/true, width, chart.height + 4);
  out += "</svg>\n";
  return out;
}

std::string RenderBarChart(const BarChart& chart) {
  double y_min = 0, y_max = -INFINITY;
  for (const BarSeries& series : chart.series)
    for (size_t c = 0; c < series.values.size() && c < chart.categories.size(); ++c)
      if (Finite(series.values[c])) {
        y_min = std::min(y_min, series.values[c]);
        y_max = std::max(y_max, series.values[c]);
      }
  if (!(y_max >= y_min) || chart.categories.empty())
    return EmptyChart(chart.id, chart.title, chart.description, chart.width, chart.height);
  if (y_max <= 0 && y_min == 0) y_max = 1;
  const std::vector<double> y_ticks = NiceTicks(y_min, y_max, 5);

  const int width = chart.width;
  const int plot_top = kMarginTop;
  const int plot_bottom = chart.height - kMarginBottom;
  const Scale y{y_ticks.front(), y_ticks.back(), static_cast<double>(plot_bottom),
                static_cast<double>(plot_top)};
  std::vector<std::string> names, colors;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    names.push_back(chart.series[i].name);
    colors.push_back(chart.series[i].color.empty() ? SeriesColor(i) : chart.series[i].color);
  }
  const bool legend = chart.series.size() > 1;
  const int total_height =
      chart.height + (legend ? static_cast<int>(names.size()) * kLegendLine + 6 : 0);
  std::string out =
      SvgOpen(chart.id, chart.title, chart.description, width, total_height, /*empty=*/false);
  out += YAxis(y_ticks, y, width, plot_top, plot_bottom, chart.y_label);

  const double plot_width = width - kMarginLeft - kMarginRight;
  const double group = plot_width / chart.categories.size();
  const double bar = group * 0.8 / std::max<size_t>(chart.series.size(), 1);
  const size_t label_chars = static_cast<size_t>(std::max(group / kCharWidth, 3.0));
  out += "<g class=\"axis x-axis\">\n" + XAxisLine(width, plot_bottom);
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const double center = kMarginLeft + group * (c + 0.5);
    out += "<text x=\"" + Fixed(center) + "\" y=\"" + std::to_string(plot_bottom + 18) +
           "\" text-anchor=\"middle\" fill=\"#333333\"><title>" + XmlEscape(chart.categories[c]) +
           "</title>" + XmlEscape(Cut(chart.categories[c], label_chars)) + "</text>\n";
  }
  out += "</g>\n";

  const double zero = y(std::clamp(0.0, y_ticks.front(), y_ticks.back()));
  const bool value_labels = chart.categories.size() * chart.series.size() <= 24;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const BarSeries& series = chart.series[s];
    out += "<g class=\"series\" data-series=\"" + XmlEscape(series.name) + "\">\n";
    for (size_t c = 0; c < series.values.size() && c < chart.categories.size(); ++c) {
      const double value = series.values[c];
      if (!Finite(value)) continue;
      const double left = kMarginLeft + group * c + group * 0.1 + bar * s;
      const double top = std::min(y(value), zero);
      const double height = std::max(std::fabs(zero - y(value)), value != 0 ? 1.0 : 0.0);
      const std::string tip = chart.categories[c] +
                              (series.name.empty() ? "" : ", " + series.name) + ": " +
                              FormatValue(value) + (chart.y_unit.empty() ? "" : " " + chart.y_unit);
      out +=
          "<rect class=\"bar\" x=\"" + Fixed(left) + "\" y=\"" + Fixed(top) + "\" width=\"" +
          Fixed(std::max(bar - 1, 1.0)) + "\" height=\"" + Fixed(height) + "\" fill=\"" +
          (chart.series.size() == 1 && c < chart.category_colors.size() ? chart.category_colors[c]
                                                                        : colors[s]) +
          "\"><title>" + XmlEscape(tip) + "</title></rect>\n";
      if (value_labels)
        out += "<text x=\"" + Fixed(left + bar / 2) + "\" y=\"" + Fixed(top - 4) +
               "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#222222\">" +
               XmlEscape(FormatValue(value)) + "</text>\n";
    }
    out += "</g>\n";
  }
  if (legend) out += Legend(names, colors, /*lines=*/false, width, chart.height + 4);
  out += "</svg>\n";
  return out;
}

}  // namespace dbopt::report
