// Plain-text layout: display width of UTF-8 text, word wrapping, and aligned tables
// whose last column wraps to fit a given width. Pure; no terminal knowledge.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace dbopt::cli {

// Number of characters (UTF-8 code points) of text.
size_t DisplayWidth(const std::string& text);

// Lines of at most width characters, broken at spaces (words longer than width are cut,
// after a dot when they have one: "public." "orders").
// Existing newlines are kept. width 0: only the existing newlines break.
std::vector<std::string> WrapText(const std::string& text, size_t width);

struct TableColumn {
  std::string header;
  size_t max_width = 0;  // cap for all but the last column when fitting a width; 0: none
};

// Lines of an aligned table (header first), columns separated by two spaces, each line
// prefixed by indent and without trailing spaces. With total_width > 0 the columns are
// capped (narrower still, down to 12, when the last column would get fewer than 20
// characters) and the last one wraps so lines fit; a last column never gets narrower than 20.
std::vector<std::string> LayoutTable(const std::vector<TableColumn>& columns,
                                     const std::vector<std::vector<std::string>>& rows,
                                     size_t total_width, const std::string& indent = "");

// Tables whose columns are aligned left or right and never wrap (dbopt top, dbopt advise).
struct AlignedColumn {
  std::string header;
  bool right_aligned;
};

// Each column's width: its widest cell or header.
std::vector<size_t> AlignedWidths(const std::vector<AlignedColumn>& columns,
                                  const std::vector<std::vector<std::string>>& rows);
std::vector<std::string> AlignedHeaders(const std::vector<AlignedColumn>& columns);
// Cells padded to widths, two spaces apart, after indent; a left-aligned last cell is not
// padded.
std::string JoinAligned(const std::string& indent, const std::vector<AlignedColumn>& columns,
                        const std::vector<size_t>& widths, const std::vector<std::string>& cells);

}  // namespace dbopt::cli
