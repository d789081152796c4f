#include "cli/top_report.hpp"

#include <cmath>
#include <cstdio>

#include "cli/text_layout.hpp"

namespace dbopt::cli {

std::string TopOrderLabel(TopOrder order) {
  std::string label = TopOrderName(order);
  for (char& c : label)
    if (c == '_') c = ' ';
  return label;
}

namespace {

// "schema." of a qualified name as quote_ident writes it ("" if there is none).
std::string SchemaPrefix(const std::string& qualified) {
  size_t end = 0;
  if (!qualified.empty() && qualified[0] == '"') {
    for (end = 1; end < qualified.size(); ++end) {
      if (qualified[end] != '"') continue;
      if (end + 1 < qualified.size() && qualified[end + 1] == '"') {
        ++end;  // a doubled quote inside the name
        continue;
      }
      break;
    }
    ++end;
  } else {
    end = qualified.find('.');
  }
  if (end >= qualified.size() || qualified[end] != '.') return "";
  return qualified.substr(0, end + 1);
}

}  // namespace

std::string AccessPathLabel(const TopAccessPath& path) {
  const std::string relation =
      path.relation.empty() ? "relation " + path.relid + " (dropped?)" : path.relation;
  // An index lives in its table's schema: name it without, as EXPLAIN does.
  std::string index = path.index_name;
  const std::string schema = SchemaPrefix(path.relation);
  if (!schema.empty() && index.compare(0, schema.size(), schema) == 0)
    index.erase(0, schema.size());
  const std::string using_index = index.empty() ? "" : " using " + index;
  if (path.scan_kind == "seq") return "Seq Scan on " + relation;
  if (path.scan_kind == "index") return "Index Scan" + using_index + " on " + relation;
  if (path.scan_kind == "index_only") return "Index Only Scan" + using_index + " on " + relation;
  if (path.scan_kind == "bitmap") return "Bitmap Heap Scan on " + relation + using_index;
  if (path.scan_kind == "tid") return "Tid Scan on " + relation;
  return path.scan_kind + " scan" + using_index + " on " + relation;  // a newer server's kind
}

std::string OneLineQuery(const std::string& text) {
  std::string line;
  bool space = false;
  for (char c : text) {
    const bool blank = c == ' ' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f;
    if (blank) {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

std::string Truncated(const std::string& text, size_t width) {
  if (width == 0 || DisplayWidth(text) <= width) return text;
  std::string out;
  size_t chars = 0;
  for (char c : text) {
    const bool starts_char = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (starts_char && ++chars == width) break;
    out += c;
  }
  return out + "\u2026";
}

std::string FormatRows(double rows) {
  if (std::isnan(rows)) return "-";
  char buf[40];
  if (rows >= 10 || rows == std::floor(rows))
    std::snprintf(buf, sizeof buf, "%.0f", rows);
  else
    std::snprintf(buf, sizeof buf, "%.1f", rows);
  return buf;
}

std::string FormatMs(double ms, int decimals) {
  if (std::isnan(ms)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, ms);
  return buf;
}

}  // namespace dbopt::cli
