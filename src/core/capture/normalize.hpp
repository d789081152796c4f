// Query text normalization for the capture store: the constants of one statement are replaced
// by $n placeholders, so one entry's text stands for every execution with other values and
// stores no literal value. The server tells where each constant starts (the parser's token
// locations); this file finds where it ends, with rules that mirror PostgreSQL's lexer for
// literals.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dbopt::capture {

// Length in bytes of the constant token starting at `offset` (a quoted string with or without
// E/B/X/N/U& prefix and continuation lines, a dollar-quoted string, a number with an optional
// leading minus, or a keyword such as TRUE or NULL); 0 when nothing there looks like one.
std::size_t ConstantLength(std::string_view text, std::size_t offset);

// One statement of `source`: the statement starting at `location` (a byte offset) spanning
// `length` bytes (0: to the end), trimmed of surrounding white space, with the constants at
// `constant_locations` (byte offsets into `source`, any order, duplicates allowed) replaced by
// $first_param, $first_param+1, ... in text order. Offsets outside the statement are ignored.
std::string NormalizeStatement(std::string_view source, int location, int length,
                               std::vector<int> constant_locations, int first_param);

}  // namespace dbopt::capture
