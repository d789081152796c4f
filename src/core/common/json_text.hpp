// JSON string scanning shared by the JSON writer (core/common/sql_text.hpp) and the evidence
// jsonb builder (src/pg/result_set.cpp), which reads that writer's text back.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dbopt {

// How many of the bytes from `text` up to `end` can stand in a JSON string as they are: the
// length of the run before the first quote, backslash or control character (below 0x20), or
// `end - text` when there is none. Eight bytes per step where it can: it runs over every
// key and string of every finding's evidence, when written and when read back (src/pg).
inline size_t JsonPlainLength(const char* text, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const char* at = text;
  // A word goes whole when the usual "has a zero byte" tests find none of the three kinds
  // (they never miss one; a word they flag is looked at byte by byte below).
  while (end - at >= 8) {
    std::uint64_t word;
    std::memcpy(&word, at, sizeof word);
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t backslash = word ^ (kOnes * '\\');
    const std::uint64_t flagged = ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                                  ((backslash - kOnes) & ~backslash);
    if ((flagged & kHigh) != 0) break;
    at += 8;
  }
  for (; at < end; ++at) {
    const unsigned char c = static_cast<unsigned char>(*at);
    if (c < 0x20 || c == '"' || c == '\\') break;
  }
  return static_cast<size_t>(at - text);
}

}  // namespace dbopt
