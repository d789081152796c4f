#include "cli/text_layout.hpp"

#include <algorithm>

namespace dbopt::cli {
namespace {

constexpr size_t kMinLastColumn = 20;
constexpr size_t kMinCappedColumn = 12;

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Byte offset where character number chars starts (text.size() if text is shorter).
size_t ByteOffset(const std::string& text, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuationByte(text[i])) continue;
    if (seen == chars) return i;
    ++seen;
  }
  return text.size();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (;;) {
    const size_t newline = text.find('\n', start);
    lines.push_back(text.substr(start, newline - start));
    if (newline == std::string::npos) return lines;
    start = newline + 1;
  }
}

void WrapParagraph(const std::string& paragraph, size_t width, std::vector<std::string>* out) {
  if (width == 0 || DisplayWidth(paragraph) <= width) {
    out->push_back(paragraph);
    return;
  }
  std::string line;
  size_t start = 0;
  while (start <= paragraph.size()) {
    size_t space = paragraph.find(' ', start);
    if (space == std::string::npos) space = paragraph.size();
    std::string word = paragraph.substr(start, space - start);
    start = space + 1;
    while (DisplayWidth(word) > width) {  // cut words that cannot fit on any line
      if (!line.empty()) out->push_back(line);
      size_t cut = ByteOffset(word, width);
      const size_t dot = word.rfind('.', cut - 1);  // qualified names break after a dot
      if (dot != std::string::npos && dot > 0 && dot + 1 < cut) cut = dot + 1;
      line = word.substr(0, cut);
      word.erase(0, cut);
    }
    if (word.empty()) continue;
    if (line.empty()) {
      line = word;
    } else if (DisplayWidth(line) + 1 + DisplayWidth(word) <= width) {
      line += " " + word;
    } else {
      out->push_back(line);
      line = word;
    }
  }
  out->push_back(line);
}

std::string RightTrimmed(std::string text) {
  const size_t end = text.find_last_not_of(' ');
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

}  // namespace

size_t DisplayWidth(const std::string& text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !IsContinuationByte(c); }));
}

std::vector<std::string> WrapText(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  for (const std::string& paragraph : SplitLines(text)) WrapParagraph(paragraph, width, &lines);
  return lines;
}

std::vector<std::string> LayoutTable(const std::vector<TableColumn>& columns,
                                     const std::vector<std::vector<std::string>>& rows,
                                     size_t total_width, const std::string& indent) {
  const size_t n = columns.size();
  if (n == 0) return {};
  std::vector<size_t> widths(n);
  for (size_t i = 0; i < n; ++i) {
    widths[i] = DisplayWidth(columns[i].header);
    for (const auto& row : rows)
      if (i < row.size())
        for (const std::string& line : SplitLines(row[i]))
          widths[i] = std::max(widths[i], DisplayWidth(line));
  }
  if (total_width > 0) {
    size_t used = DisplayWidth(indent) + 2 * (n - 1);
    for (size_t i = 0; i + 1 < n; ++i) {
      if (columns[i].max_width > 0)
        widths[i] =
            std::max(std::min(widths[i], columns[i].max_width), DisplayWidth(columns[i].header));
      used += widths[i];
    }
    size_t available = total_width > used ? total_width - used : 0;
    // Too narrow for the last column: narrow the widest capped column, down to a floor.
    while (available < std::min(widths[n - 1], kMinLastColumn)) {
      size_t widest = n;
      for (size_t i = 0; i + 1 < n; ++i)
        if (columns[i].max_width > 0 &&
            widths[i] > std::max(kMinCappedColumn, DisplayWidth(columns[i].header)) &&
            (widest == n || widths[i] > widths[widest]))
          widest = i;
      if (widest == n) break;
      --widths[widest];
      ++available;
    }
    // A wrapped column may need less than its width (names break after dots): give the
    // rest to the last column.
    for (size_t i = 0; i + 1 < n; ++i) {
      size_t needed = DisplayWidth(columns[i].header);
      for (const auto& row : rows)
        if (i < row.size())
          for (const std::string& line : WrapText(row[i], widths[i]))
            needed = std::max(needed, DisplayWidth(line));
      available += widths[i] - needed;
      widths[i] = needed;
    }
    widths[n - 1] = std::min(widths[n - 1], std::max(available, kMinLastColumn));
  }

  std::vector<std::string> lines;
  auto add_row = [&](const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> wrapped(n);
    size_t height = 1;
    for (size_t i = 0; i < n; ++i) {
      wrapped[i] = WrapText(i < cells.size() ? cells[i] : "", total_width > 0 ? widths[i] : 0);
      height = std::max(height, wrapped[i].size());
    }
    for (size_t r = 0; r < height; ++r) {
      std::string line = indent;
      for (size_t i = 0; i < n; ++i) {
        const std::string cell = r < wrapped[i].size() ? wrapped[i][r] : "";
        line += cell;
        if (i + 1 < n) line += std::string(widths[i] - DisplayWidth(cell) + 2, ' ');
      }
      lines.push_back(RightTrimmed(line));
    }
  };
  std::vector<std::string> header;
  for (const TableColumn& column : columns) header.push_back(column.header);
  add_row(header);
  for (const auto& row : rows) add_row(row);
  return lines;
}

namespace {

std::string Pad(const std::string& cell, size_t width, bool right) {
  const size_t fill = width > DisplayWidth(cell) ? width - DisplayWidth(cell) : 0;
  return right ? std::string(fill, ' ') + cell : cell + std::string(fill, ' ');
}

}  // namespace

std::string JoinAligned(const std::string& indent, const std::vector<AlignedColumn>& columns,
                        const std::vector<size_t>& widths, const std::vector<std::string>& cells) {
  std::string line = indent;
  for (size_t i = 0; i < cells.size(); ++i) {
    const bool last = i + 1 == cells.size();
    line += last && !columns[i].right_aligned ? cells[i]
                                              : Pad(cells[i], widths[i], columns[i].right_aligned);
    if (!last) line += "  ";
  }
  return line;
}

std::vector<size_t> AlignedWidths(const std::vector<AlignedColumn>& columns,
                                  const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const AlignedColumn& column : columns) widths.push_back(DisplayWidth(column.header));
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  return widths;
}

std::vector<std::string> AlignedHeaders(const std::vector<AlignedColumn>& columns) {
  std::vector<std::string> headers;
  for (const AlignedColumn& column : columns) headers.push_back(column.header);
  return headers;
}

}  // namespace dbopt::cli
