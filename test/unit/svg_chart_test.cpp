#include "core/report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>
#include <string>

namespace dbopt::report {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Every attribute value and text node is well formed: no raw < or & outside markup.
bool NoRawMarkupInText(const std::string& svg) {
  // Between > and < there must be no unescaped & (other than entities).
  const std::regex bad_amp("&(?!(amp|lt|gt|quot|#39);)");
  return !std::regex_search(svg, bad_amp);
}

TEST(XmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(XmlEscape("SELECT * FROM t WHERE a < $1 AND b > 'x' & \"y\""),
            "SELECT * FROM t WHERE a &lt; $1 AND b &gt; &#39;x&#39; &amp; &quot;y&quot;");
  EXPECT_EQ(XmlEscape("</script><script>alert(1)</script>"),
            "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
}

TEST(XmlEscape, ReplacesControlCharactersKeepsUtf8) {
  EXPECT_EQ(XmlEscape(std::string("a\x01"
                                  "b\x7f"
                                  "c\td\ne")),
            "a b c\td\ne");
  EXPECT_EQ(XmlEscape("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(FormatValue, ShortLabels) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(12.5), "12.5");
  EXPECT_EQ(FormatValue(0.0123), "0.0123");
  EXPECT_EQ(FormatValue(999), "999");
  EXPECT_EQ(FormatValue(1500), "1.5k");
  EXPECT_EQ(FormatValue(2350000), "2.35M");
  EXPECT_EQ(FormatValue(999999), "1M");
  EXPECT_EQ(FormatValue(-4200), "-4.2k");
  EXPECT_EQ(FormatValue(7e12), "7T");
  EXPECT_EQ(FormatValue(1.5e300), "1.5e+300");
  EXPECT_EQ(FormatValue(std::nan("")), "n/a");
}

TEST(FormatUtc, DateAndTime) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01 00:00");
  EXPECT_EQ(FormatUtc(1796126400), "2026-12-01 12:00");
  EXPECT_EQ(FormatUtc(1796126400, false), "12:00");
  EXPECT_EQ(FormatUtc(1796126400 + 59, false, true), "12:00:59");
  EXPECT_EQ(FormatUtc(INFINITY), "?");
}

TEST(NiceTicks, CoversTheRangeWithRoundSteps) {
  const std::vector<double> ticks = NiceTicks(0, 97, 5);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_LE(ticks.front(), 0);
  EXPECT_GE(ticks.back(), 97);
  EXPECT_EQ(ticks, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(NiceTicks(0, 1, 5), (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
}

TEST(NiceTicks, NegativeEqualAndHugeRanges) {
  const std::vector<double> negative = NiceTicks(-35, 12, 5);
  EXPECT_LE(negative.front(), -35);
  EXPECT_GE(negative.back(), 12);
  const std::vector<double> equal = NiceTicks(5, 5, 5);
  EXPECT_LT(equal.front(), 5);
  EXPECT_GT(equal.back(), 5);
  const std::vector<double> zero = NiceTicks(0, 0, 5);
  EXPECT_LT(zero.front(), zero.back());
  const std::vector<double> huge = NiceTicks(0, 1.7e308, 5);
  ASSERT_GE(huge.size(), 2u);
  for (double t : huge) EXPECT_TRUE(std::isfinite(t));
  EXPECT_GE(huge.back(), 1.6e308);
  EXPECT_EQ(NiceTicks(NAN, 3, 5), (std::vector<double>{0, 1}));
  EXPECT_LE(NiceTicks(0, 1e18, 5).size(), 12u);
}

std::vector<std::string> Labels(const std::vector<TimeTick>& ticks) {
  std::vector<std::string> labels;
  for (const TimeTick& tick : ticks) labels.push_back(tick.label);
  return labels;
}

constexpr double kNoon = 1796126400;  // 2026-12-01 12:00:00 UTC

TEST(TimeTicks, StepFromTheSpan) {
  // snapshots seconds apart (the demo): 2-second steps, labelled to the second
  EXPECT_EQ(Labels(TimeTicks(kNoon + 3, kNoon + 11, 6, false)),
            (std::vector<std::string>{"12:00:04", "12:00:06", "12:00:08", "12:00:10"}));
  EXPECT_EQ(TimeTicks(kNoon + 3, kNoon + 11, 6, false).front().x, kNoon + 4);
  // 90 minutes: quarter hours, no seconds
  EXPECT_EQ(Labels(TimeTicks(kNoon + 7 * 60, kNoon + 97 * 60, 6, false)),
            (std::vector<std::string>{"12:15", "12:30", "12:45", "13:00", "13:15", "13:30"}));
  // a day across midnight: 6 hours, with the date
  EXPECT_EQ(Labels(TimeTicks(kNoon, kNoon + 86400, 6, true)),
            (std::vector<std::string>{"2026-12-01 12:00", "2026-12-01 18:00", "2026-12-02 00:00",
                                      "2026-12-02 06:00", "2026-12-02 12:00"}));
  // ten days: every other midnight (even days since 1970-01-01), dates only
  EXPECT_EQ(Labels(TimeTicks(kNoon, kNoon + 10 * 86400, 6, true)),
            (std::vector<std::string>{"2026-12-03", "2026-12-05", "2026-12-07", "2026-12-09",
                                      "2026-12-11"}));
  // under two seconds: the ends, to the second; within one second: one tick
  EXPECT_EQ(Labels(TimeTicks(kNoon + 0.2, kNoon + 1.7, 6, false)),
            (std::vector<std::string>{"12:00:00", "12:00:01"}));
  EXPECT_EQ(TimeTicks(kNoon + 0.2, kNoon + 0.7, 6, false).size(), 1u);
  EXPECT_TRUE(TimeTicks(NAN, kNoon, 6, false).empty());
  EXPECT_TRUE(TimeTicks(kNoon, INFINITY, 6, false).empty());
}

TEST(TimeTicks, LabelsNeverRepeatWhateverTheSpan) {
  // from 2 seconds to 20 years, 13% longer each time: every step of the ladder and the gaps
  for (double span = 2; span < 20 * 365 * 86400.0; span *= 1.13) {
    for (double start : {kNoon, kNoon + 0.4, kNoon + 37, kNoon + 5000}) {
      const std::vector<TimeTick> ticks = TimeTicks(start, start + span, 6, true);
      ASSERT_GE(ticks.size(), 2u) << span;
      EXPECT_LE(ticks.size(), 6u) << span;
      const std::vector<std::string> labels = Labels(ticks);
      EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size())
          << "span " << span << ": " << ::testing::PrintToString(labels);
      for (size_t i = 0; i < ticks.size(); ++i) {
        EXPECT_GE(ticks[i].x, start);
        EXPECT_LE(ticks[i].x, start + span);
        if (i > 1) {
          EXPECT_DOUBLE_EQ(ticks[i].x - ticks[i - 1].x, ticks[1].x - ticks[0].x);
        }
      }
    }
  }
}

// The demo's case: snapshots a second apart used to get five ticks a quarter of the span
// apart, two of them labelled alike.
TEST(RenderLineChart, TimeAxisLabelsDifferWhenSnapshotsAreSecondsApart) {
  for (double last : {1.0, 2.0, 3.0, 30.0}) {
    LineChart chart;
    chart.id = "fast";
    chart.series.push_back(
        {"s", {{kNoon, 1, ""}, {kNoon + last / 2, 2, ""}, {kNoon + last, 3, ""}}});
    const std::string svg = RenderLineChart(chart);
    const size_t axis = svg.find("class=\"axis x-axis\"");
    ASSERT_NE(axis, std::string::npos);
    const std::string x_axis = svg.substr(axis, svg.find("</g>", axis) - axis);
    const std::regex tick_label("fill=\"#333333\">([0-9:]+)</text>");
    std::vector<std::string> labels;
    for (auto it = std::sregex_iterator(x_axis.begin(), x_axis.end(), tick_label);
         it != std::sregex_iterator(); ++it)
      labels.push_back((*it)[1]);
    ASSERT_GE(labels.size(), 2u) << x_axis;
    EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size())
        << ::testing::PrintToString(labels);
  }
}

LineChart TwoSeries() {
  LineChart chart;
  chart.id = "workload";
  chart.title = "Workload <cost>";
  chart.description = "total time per interval & calls";
  chart.y_label = "execution time (ms)";
  chart.y_unit = "ms";
  chart.series.push_back({"SELECT * FROM t WHERE a < $1 AND b = '|x|'",
                          {{1796126400, 10, ""}, {1796127300, 30, ""}, {1796128200, 20, ""}}});
  chart.series.push_back({"second", {{1796126400, 5, "five & more"}, {1796128200, 7, ""}}});
  chart.markers.push_back({1796127000, "index shop.\"Orders\"_idx <built>"});
  return chart;
}

TEST(RenderLineChart, AxesLegendPointsAndAccessibleTitles) {
  const std::string svg = RenderLineChart(TwoSeries());
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"", 0), 0u) << svg;
  EXPECT_NE(svg.find("role=\"img\" aria-labelledby=\"workload-title workload-desc\""),
            std::string::npos);
  EXPECT_NE(svg.find("<title id=\"workload-title\">Workload &lt;cost&gt;</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"workload-desc\">total time per interval &amp; calls</desc>"),
            std::string::npos);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 5u);
  EXPECT_EQ(Count(svg, "<polyline"), 2u);
  EXPECT_EQ(Count(svg, "<g class=\"legend-item\">"), 2u);
  EXPECT_NE(svg.find("class=\"axis y-axis\""), std::string::npos);
  EXPECT_NE(svg.find("execution time (ms)"), std::string::npos);
  EXPECT_NE(svg.find("data-series=\"SELECT * FROM t WHERE a &lt; $1 AND b = &#39;|x|&#39;\""),
            std::string::npos);
  EXPECT_NE(svg.find("<title>five &amp; more</title>"), std::string::npos);
  EXPECT_NE(svg.find("second: 2026-12-01 12:30:00 UTC, 7 ms"), std::string::npos);
  EXPECT_NE(svg.find("index shop.&quot;Orders&quot;_idx &lt;built&gt;"), std::string::npos);
  EXPECT_EQ(Count(svg, "class=\"marker\""), 1u);
  EXPECT_TRUE(NoRawMarkupInText(svg));
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

TEST(RenderLineChart, MarkersCloseTogetherGetTheirOwnLabelRows) {
  LineChart chart = TwoSeries();
  chart.markers.push_back({1796127010, "built shop.orders_customer_id_idx"});
  chart.markers.push_back({1796127020, "built shop.events_kind_idx"});
  chart.markers.push_back({1796128000, "built far away"});
  const std::string svg = RenderLineChart(chart);
  const std::regex label(
      "<text x=\"[-0-9.]+\" y=\"([-0-9]+)\" text-anchor=\"(start|end)\" fill=\"#B00020\"");
  std::vector<std::string> rows;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator();
       ++it)
    rows.push_back((*it)[1]);
  ASSERT_EQ(rows.size(), 4u) << svg;
  // the first three are seconds apart: three different rows; the last one fits in the first row
  EXPECT_NE(rows[0], rows[1]);
  EXPECT_NE(rows[1], rows[2]);
  EXPECT_NE(rows[0], rows[2]);
  EXPECT_EQ(rows[3], rows[0]);
}

TEST(RenderLineChart, PointsAreScaledIntoThePlot) {
  const std::string svg = RenderLineChart(TwoSeries());
  const std::regex circle("cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\"");
  size_t seen = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator();
       ++it, ++seen) {
    const double cx = std::stod((*it)[1]);
    const double cy = std::stod((*it)[2]);
    EXPECT_GE(cx, 72);
    EXPECT_LE(cx, 760 - 24);
    EXPECT_GE(cy, 24);
    EXPECT_LE(cy, 300 - 48);
  }
  EXPECT_EQ(seen, 5u);
  // The largest value (30) is higher on the page than the smallest (5).
  const size_t high = svg.find(
      "SELECT * FROM t WHERE a &lt; $1 AND b = &#39;|x|&#39;: "
      "2026-12-01 12:15:00 UTC, 30 ms");
  EXPECT_NE(high, std::string::npos);
}

TEST(RenderLineChart, EmptySeriesSayNoData) {
  LineChart chart;
  chart.id = "e";
  chart.title = "nothing";
  chart.series.push_back({"empty", {}});
  chart.series.push_back({"not finite", {{1, NAN, ""}, {INFINITY, 2, ""}}});
  const std::string svg = RenderLineChart(chart);
  EXPECT_NE(svg.find("class=\"chart empty\""), std::string::npos);
  EXPECT_NE(svg.find("no data to chart yet"), std::string::npos);
  EXPECT_EQ(svg.find("<circle"), std::string::npos);
  LineChart none;
  none.id = "n";
  EXPECT_NE(RenderLineChart(none).find("class=\"chart empty\""), std::string::npos);
}

TEST(RenderLineChart, OnePointIsCentered) {
  LineChart chart;
  chart.id = "one";
  chart.series.push_back({"only", {{1796126400, 42, ""}}});
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 1u);
  EXPECT_EQ(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("cx=\"404.0\""), std::string::npos) << svg;  // (72 + 736) / 2
  EXPECT_NE(svg.find("only: 2026-12-01 12:00:00 UTC, 42"), std::string::npos);
}

TEST(RenderLineChart, HugeValuesStayFinite) {
  LineChart chart;
  chart.id = "huge";
  chart.time_axis = false;
  chart.series.push_back({"big", {{0, 1e300, ""}, {1, 1.7e308, ""}, {2, -1e300, ""}}});
  const std::string svg = RenderLineChart(chart);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 3u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  const std::regex circle("cy=\"([-0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator();
       ++it) {
    const double cy = std::stod((*it)[1]);
    EXPECT_GE(cy, 23.9);
    EXPECT_LE(cy, 252.1);
  }
}

TEST(RenderBarChart, BarsLabelsAndColors) {
  BarChart chart;
  chart.id = "sev";
  chart.title = "Findings by severity";
  chart.y_label = "findings";
  chart.categories = {"critical", "warning", "info <&>"};
  chart.series.push_back({"findings", {1, 14, 11}, ""});
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 3u);
  EXPECT_NE(svg.find("info &lt;&amp;&gt;, findings: 11"), std::string::npos);
  EXPECT_EQ(svg.find("class=\"legend\""), std::string::npos);  // one series: no legend
  EXPECT_TRUE(NoRawMarkupInText(svg));

  chart.series.push_back({"after", {0, 3, NAN}, "#123456"});
  const std::string two = RenderBarChart(chart);
  EXPECT_EQ(Count(two, "<rect class=\"bar\""), 5u);  // the NaN is left out, 0 is drawn flat
  EXPECT_NE(two.find("fill=\"#123456\""), std::string::npos);
  EXPECT_EQ(Count(two, "<g class=\"legend-item\">"), 2u);
}

TEST(RenderBarChart, EmptyAndNegative) {
  BarChart chart;
  chart.id = "b";
  EXPECT_NE(RenderBarChart(chart).find("class=\"chart empty\""), std::string::npos);
  chart.categories = {"a", "b"};
  chart.series.push_back({"s", {NAN, NAN}, ""});
  EXPECT_NE(RenderBarChart(chart).find("class=\"chart empty\""), std::string::npos);
  chart.series[0].values = {-5, 10};
  const std::string svg = RenderBarChart(chart);
  EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 2u);
  EXPECT_NE(svg.find(">-5<"), std::string::npos);
}

}  // namespace
}  // namespace dbopt::report
