// N+1 loop detection: see n_plus_one.hpp for the model.
#include "core/antipatterns/n_plus_one.hpp"

#include <cctype>
#include <cstring>

namespace dbopt::antipatterns {
namespace {

bool IsSelect(const StatementEvent& event) {
  return (event.flags & kEventSelect) != 0;
}

void Emit(const NPlusOneState& state, const LoopFrame& frame, const LoopCounter& counter,
          const NPlusOneConfig& config, LoopSink sink, void* context) {
  std::int64_t n = counter.small;
  if (!frame.has_source || n < config.min_repeats || counter.big * 10 > n) return;
  // About as many repeats as the source returned rows: from a third of them (rows the
  // application skipped, keys it had already loaded) to one more (the same lookup once more
  // after the loop); a batch that merely follows a list has no reason to match its size.
  if (n * 3 < frame.source_rows) return;
  std::uint8_t weak = counter.late ? kLoopLate : 0;
  // Fewer than two thirds of the rows: the application skipped many, or a batch smaller
  // than a list it follows. Weak, as below.
  if (n * 3 < frame.source_rows * 2) weak |= kLoopFewer;
  if (n > frame.source_rows + 1) {
    // Up to two and a half per row: two lookups of one shape per row (an author and an
    // editor from one table), or a batch a bit bigger than a list it follows. Weak: the
    // report keeps it only when the tables are related.
    if (n * 2 > frame.source_rows * 5 + 4) return;
    weak |= kLoopMultiple;
  }
  LoopFound loop;
  loop.dbid = state.dbid;
  loop.userid = counter.userid;
  loop.source_queryid = frame.source_queryid;
  loop.source_toplevel = frame.source_toplevel;
  loop.repeated_queryid = counter.queryid;
  loop.repeated_toplevel = counter.toplevel;
  loop.repeats = n;
  loop.source_rows = frame.source_rows;
  std::int64_t start = frame.source_start_ns < counter.first_start_ns ? frame.source_start_ns
                                                                      : counter.first_start_ns;
  std::int64_t end =
      frame.source_end_ns > counter.last_end_ns ? frame.source_end_ns : counter.last_end_ns;
  loop.loop_ns = end > start ? end - start : 0;
  loop.repeat_ns = counter.time_ns;
  loop.writes = counter.write;
  loop.weak = weak;
  sink(context, loop);
}

void CloseFrame(NPlusOneState* state, LoopFrame* frame, const NPlusOneConfig& config, LoopSink sink,
                void* context) {
  for (const LoopCounter& counter : frame->counters)
    if (counter.queryid != 0) Emit(*state, *frame, counter, config, sink, context);
  std::memset(frame, 0, sizeof(*frame));
  state->hot_queryid = 0;
}

// A free frame, closing the oldest one when all are used.
LoopFrame* NewFrame(NPlusOneState* state, const NPlusOneConfig& config, LoopSink sink,
                    void* context) {
  LoopFrame* oldest = nullptr;
  for (LoopFrame& frame : state->frames) {
    if (!frame.used) {
      oldest = &frame;
      break;
    }
    if (oldest == nullptr || frame.opened < oldest->opened) oldest = &frame;
  }
  if (oldest->used) CloseFrame(state, oldest, config, sink, context);
  state->hot_queryid = 0;
  oldest->used = true;
  oldest->opened = ++state->frames_opened;
  return oldest;
}

void StartWindow(NPlusOneState* state, const StatementEvent& event) {
  state->open = true;
  state->hot_queryid = 0;
  state->session = event.session;
  state->dbid = event.dbid;
  state->xact = event.xact;
  state->last_end_ns = event.end_ns;
  state->last_in_block = (event.flags & kEventInBlock) != 0;
}

// Statements that started after a source that has just ended ran while it was being read
// (the body of a cursor loop, or a function in its select list): their counters move to a
// frame of that source, closed at once.
void AdoptLateRepeats(NPlusOneState* state, const StatementEvent& event, bool toplevel,
                      const NPlusOneConfig& config, LoopSink sink, void* context) {
  LoopFrame late;
  std::memset(&late, 0, sizeof(late));
  int moved = 0;
  for (LoopFrame& frame : state->frames) {
    if (!frame.used || (frame.has_source && frame.source_start_ns > event.start_ns)) continue;
    for (LoopCounter& counter : frame.counters) {
      if (counter.queryid == 0 || counter.first_start_ns < event.start_ns ||
          (counter.queryid == event.queryid && counter.toplevel == toplevel))
        continue;
      if (moved < kMaxCounters) late.counters[moved++] = counter;
      std::memset(&counter, 0, sizeof(counter));
      state->hot_queryid = 0;
    }
  }
  if (moved == 0) return;
  late.used = true;
  late.has_source = true;
  late.source_queryid = event.queryid;
  late.source_toplevel = toplevel;
  late.source_rows = event.rows;
  late.source_start_ns = event.start_ns;
  late.source_end_ns = event.end_ns;
  CloseFrame(state, &late, config, sink, context);
}

// A loop takes new shapes only in its first iterations (a loop's shapes all show up in its
// first iterations; a shape first seen later is not part of it), and only right after its
// last statement: a pause of a tenth of max_gap means the application moved on (the next
// request of a pooled connection, a batch that follows a list) — except for the first shape
// after the source, which may come after a pause (up to max_gap: the application called
// another service before looping over the rows): *late sets that counter's weak mark.
bool Young(const LoopFrame& frame, const StatementEvent& event, const NPlusOneConfig& config,
           bool* late) {
  std::int64_t last = frame.source_end_ns;
  bool first = true;
  for (const LoopCounter& counter : frame.counters) {
    if (counter.queryid == 0) continue;
    if (counter.small + counter.big > 2) return false;
    if (counter.last_end_ns > last) last = counter.last_end_ns;
    first = false;
  }
  std::int64_t gap = event.start_ns - last;
  if (gap <= config.max_gap_ns / 10) return true;
  *late = first && gap <= config.max_gap_ns;
  return *late;
}

LoopCounter* FindCounter(LoopFrame* frame, std::uint64_t queryid, bool toplevel) {
  for (LoopCounter& counter : frame->counters)
    if (counter.queryid == queryid && counter.toplevel == toplevel) return &counter;
  return nullptr;
}

// Where a statement is counted: in the newest source's frame if it counts the shape already,
// or if that loop is young (above); else wherever the shape is counted already; else in the
// frame without a source.
void AddMember(NPlusOneState* state, const StatementEvent& event, bool toplevel, bool write,
               const NPlusOneConfig& config, LoopSink sink, void* context) {
  LoopFrame* newest = nullptr;
  for (LoopFrame& frame : state->frames)
    if (frame.used && frame.has_source && (newest == nullptr || frame.opened > newest->opened))
      newest = &frame;
  LoopCounter* counter = newest != nullptr ? FindCounter(newest, event.queryid, toplevel) : nullptr;
  bool late = false;
  LoopFrame* home =
      counter != nullptr || (newest != nullptr && Young(*newest, event, config, &late)) ? newest
                                                                                        : nullptr;
  LoopFrame* anonymous = nullptr;
  for (int i = 0; home == nullptr && i < kMaxFrames; ++i) {
    LoopFrame& frame = state->frames[i];
    if (!frame.used || &frame == newest) continue;
    if (!frame.has_source) anonymous = &frame;
    counter = FindCounter(&frame, event.queryid, toplevel);
    if (counter != nullptr) home = &frame;
  }
  if (home == nullptr)
    home = anonymous != nullptr ? anonymous : NewFrame(state, config, sink, context);
  if (counter == nullptr) {
    for (LoopCounter& free_counter : home->counters) {
      if (free_counter.queryid == 0) {
        counter = &free_counter;
        break;
      }
    }
    if (counter == nullptr) {
      ++state->dropped;
      return;
    }
    counter->queryid = event.queryid;
    counter->toplevel = toplevel;
    counter->write = write;
    counter->late = late && home == newest;
    counter->userid = event.userid;
    counter->first_start_ns = event.start_ns;
  }
  CountRepeat(counter, event, config);
  state->hot_queryid = event.queryid;
  state->hot_toplevel = toplevel;
  state->hot_frame = static_cast<std::int8_t>(home - state->frames);
  state->hot_counter = static_cast<std::int8_t>(counter - home->counters);
}

}  // namespace

void ResetState(NPlusOneState* state) {
  std::memset(state, 0, sizeof(*state));
}

void Flush(NPlusOneState* state, const NPlusOneConfig& config, LoopSink sink, void* context) {
  // Oldest first, so loops come out in the order they began.
  for (;;) {
    LoopFrame* oldest = nullptr;
    for (LoopFrame& frame : state->frames)
      if (frame.used && (oldest == nullptr || frame.opened < oldest->opened)) oldest = &frame;
    if (oldest == nullptr) break;
    CloseFrame(state, oldest, config, sink, context);
  }
  state->open = false;
}

void CloseIfIdle(NPlusOneState* state, std::int64_t now_ns, const NPlusOneConfig& config,
                 LoopSink sink, void* context) {
  if (state->open && !state->last_in_block && now_ns - state->last_end_ns >= config.max_gap_ns)
    Flush(state, config, sink, context);
}

void FeedSlow(NPlusOneState* state, const StatementEvent& event, const NPlusOneConfig& config,
              LoopSink sink, void* context) {
  if (!state->open) {
    StartWindow(state, event);
  } else if (event.session != state->session || event.dbid != state->dbid) {
    Flush(state, config, sink, context);
    StartWindow(state, event);
  } else if (event.xact != state->xact) {
    // A new transaction continues the window between autocommit statements close in time, and
    // when it starts with a write right after the previous statement (an ORM saving each row
    // in a transaction of its own: Rails' create! and save! send BEGIN, INSERT, COMMIT), so
    // that a write loop of such transactions is seen. A read opening a transaction block
    // (a request of its own, a job's SELECT ... FOR UPDATE per row) starts a new window.
    bool in_block = (event.flags & kEventInBlock) != 0;
    std::int64_t gap = event.start_ns - state->last_end_ns;
    bool autocommit_run = !state->last_in_block && !in_block && gap < config.max_gap_ns;
    bool saved_row = !IsSelect(event) && gap <= config.max_gap_ns / 10;
    if (!autocommit_run && !saved_row) {
      Flush(state, config, sink, context);
      StartWindow(state, event);
    }
  }
  state->xact = event.xact;
  state->last_in_block = (event.flags & kEventInBlock) != 0;
  if (event.end_ns > state->last_end_ns) state->last_end_ns = event.end_ns;
  if (event.queryid == 0) return;

  bool toplevel = event.level == 0;
  // Only a SELECT is a source; a write is a member (an INSERT or UPDATE per row: a write loop).
  bool write = !IsSelect(event);
  bool source = !write && event.rows >= static_cast<std::uint32_t>(config.min_repeats);
  if (source) {
    AdoptLateRepeats(state, event, toplevel, config, sink, context);
    // This source's previous run ends its loop (before this run is counted in an outer one).
    for (LoopFrame& frame : state->frames)
      if (frame.used && frame.has_source && frame.source_queryid == event.queryid &&
          frame.source_toplevel == toplevel)
        CloseFrame(state, &frame, config, sink, context);
  }
  AddMember(state, event, toplevel, write, config, sink, context);
  if (!source) return;
  // Its frame collects what follows.
  LoopFrame* frame = NewFrame(state, config, sink, context);
  frame->has_source = true;
  frame->source_queryid = event.queryid;
  frame->source_toplevel = toplevel;
  frame->source_rows = event.rows;
  frame->source_start_ns = event.start_ns;
  frame->source_end_ns = event.end_ns;
}

// ---- what the tables say ---------------------------------------------------------------

namespace {

std::string Lower(const std::string& text) {
  std::string out = text;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// The English singular of a table name's last word, as ORMs derive table names: categories ->
// category, addresses -> address, users -> user (names already singular stay as they are).
std::string Singular(const std::string& name) {
  if (EndsWith(name, "ies") && name.size() > 3) return name.substr(0, name.size() - 3) + "y";
  for (const char* tail : {"sses", "shes", "ches", "xes"})
    if (EndsWith(name, tail)) return name.substr(0, name.size() - 2);
  if (EndsWith(name, "s") && !EndsWith(name, "ss")) return name.substr(0, name.size() - 1);
  return name;
}

}  // namespace

bool ColumnNamedAfter(const TableNames& from, const TableNames& to) {
  std::string singular = Singular(Lower(to.name));
  for (const std::string& column : from.columns) {
    std::string c = Lower(column);
    if (!EndsWith(c, "_id") || c.size() < 4) continue;
    std::string stem = c.substr(0, c.size() - 3);
    if (stem == singular || EndsWith(singular, "_" + stem)) return true;
  }
  return false;
}

RelationEvidence LoopRelations(const std::vector<std::uint32_t>& source_tables,
                               const std::vector<std::uint32_t>& repeated_tables,
                               const std::vector<ForeignKeyEdge>& foreign_keys,
                               const std::vector<TableNames>& names) {
  if (source_tables.empty() || repeated_tables.empty()) return RelationEvidence::kUnknown;
  auto in = [](const std::vector<std::uint32_t>& tables, std::uint32_t table) {
    for (std::uint32_t t : tables)
      if (t == table) return true;
    return false;
  };
  for (std::uint32_t table : source_tables)
    if (in(repeated_tables, table)) return RelationEvidence::kRelated;
  bool source_declares = false;
  for (const ForeignKeyEdge& fk : foreign_keys) {
    if ((in(source_tables, fk.from) && in(repeated_tables, fk.to)) ||
        (in(repeated_tables, fk.from) && in(source_tables, fk.to)))
      return RelationEvidence::kRelated;
    if (in(source_tables, fk.from)) source_declares = true;
  }
  // A schema that declares the source's associations but none to the repeated query's tables:
  // the repeats do not follow the source's rows (a batch that happens to come after a list).
  if (source_declares) return RelationEvidence::kUnrelated;
  for (const TableNames& a : names) {
    for (const TableNames& b : names) {
      if (in(source_tables, a.table) && in(repeated_tables, b.table) &&
          (ColumnNamedAfter(a, b) || ColumnNamedAfter(b, a)))
        return RelationEvidence::kRelated;
    }
  }
  return RelationEvidence::kUnknown;
}

bool ForeignKeyCheck(const std::string& text) {
  // ri_triggers.c: SELECT 1 FROM [ONLY] <table> x WHERE <key> OPERATOR(pg_catalog.=) $1 ...
  // FOR KEY SHARE OF x; the cascading actions: DELETE FROM [ONLY] / UPDATE [ONLY] <table> ...
  // (normalized: the 1 reads $n). Applications do not spell operators that way.
  if (text.find("OPERATOR(pg_catalog.") == std::string::npos) return false;
  size_t end = text.find_last_not_of(" \t\n;");
  const std::string lock = "FOR KEY SHARE OF x";
  if (end != std::string::npos && end + 1 >= lock.size() &&
      text.compare(end + 1 - lock.size(), lock.size(), lock) == 0)
    return true;
  return text.compare(0, 12, "DELETE FROM ") == 0 || text.compare(0, 7, "UPDATE ") == 0;
}

bool ReportLoop(RelationEvidence evidence, bool only_weak_loops) {
  if (evidence == RelationEvidence::kUnrelated) return false;
  return !only_weak_loops || evidence == RelationEvidence::kRelated;
}

const char* RelationEvidenceName(RelationEvidence evidence) {
  switch (evidence) {
    case RelationEvidence::kRelated:
      return "related";
    case RelationEvidence::kUnrelated:
      return "unrelated";
    case RelationEvidence::kUnknown:
      break;
  }
  return "unknown";
}

// ---- the batched rewrite ---------------------------------------------------------------

namespace {

bool IdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '"';
}
bool IdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// Reads a possibly qualified, possibly quoted name at pos; returns its end (pos if none).
size_t ReadName(const std::string& text, size_t pos) {
  size_t i = pos;
  for (;;) {
    if (i >= text.size() || !IdentStart(text[i])) return i == pos ? pos : i;
    if (text[i] == '"') {
      size_t close = text.find('"', i + 1);
      if (close == std::string::npos) return pos;
      i = close + 1;
    } else {
      while (i < text.size() && IdentChar(text[i])) ++i;
    }
    if (i < text.size() && text[i] == '.' && i + 1 < text.size() && IdentStart(text[i + 1]))
      ++i;
    else
      return i;
  }
}

bool EqualsWord(const std::string& text, size_t begin, size_t end, const char* word) {
  size_t n = std::strlen(word);
  if (end - begin != n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(text[begin + i])) != word[i]) return false;
  return true;
}

size_t SkipSpace(const std::string& text, size_t pos) {
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  return pos;
}

struct Comparison {
  size_t column_begin = 0, column_end = 0, operand_begin = 0, operand_end = 0;
  bool parameter = false;
  bool reversed = false;  // $n = column
  bool found = false;
};

}  // namespace

BatchedRewrite RewriteBatched(const std::string& repeated, const std::string& source) {
  BatchedRewrite result;
  Comparison first_param, first_name;
  bool after_where = false;
  size_t i = 0;
  while (i < repeated.size()) {
    char c = repeated[i];
    if (c == '\'') {  // a string literal (normalized texts rarely keep one)
      size_t close = i + 1;
      while (close < repeated.size()) {
        if (repeated[close] == '\'' && close + 1 < repeated.size() && repeated[close + 1] == '\'') {
          close += 2;  // a doubled quote inside the literal
          continue;
        }
        if (repeated[close] == '\'') break;
        ++close;
      }
      i = close + 1;
      continue;
    }
    if (c == '$' && after_where && !first_param.found) {  // $n = column (SQLAlchemy's order)
      size_t digits = i + 1;
      while (digits < repeated.size() && std::isdigit(static_cast<unsigned char>(repeated[digits])))
        ++digits;
      size_t eq = SkipSpace(repeated, digits);
      if (digits > i + 1 && eq < repeated.size() && repeated[eq] == '=' &&
          (eq + 1 >= repeated.size() || repeated[eq + 1] != '>')) {
        size_t col = SkipSpace(repeated, eq + 1);
        size_t col_end = ReadName(repeated, col);
        if (col_end > col && SkipSpace(repeated, col_end) < repeated.size() &&
            repeated[SkipSpace(repeated, col_end)] == '(')
          col_end = col;  // a function call
        if (col_end > col) {
          first_param.found = first_param.parameter = first_param.reversed = true;
          first_param.column_begin = col;
          first_param.column_end = col_end;
          first_param.operand_begin = i;
          first_param.operand_end = digits;
        }
      }
      i = digits > i + 1 ? digits : i + 1;
      continue;
    }
    if (!IdentStart(c) || (i > 0 && (IdentChar(repeated[i - 1]) || repeated[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t end = ReadName(repeated, i);
    if (end == i) {
      ++i;
      continue;
    }
    if (EqualsWord(repeated, i, end, "where")) after_where = true;
    size_t eq = SkipSpace(repeated, end);
    if (after_where && eq < repeated.size() && repeated[eq] == '=' &&
        (eq + 1 >= repeated.size() || (repeated[eq + 1] != '=' && repeated[eq + 1] != '>'))) {
      size_t op = SkipSpace(repeated, eq + 1);
      Comparison cmp;
      cmp.column_begin = i;
      cmp.column_end = end;
      cmp.operand_begin = op;
      if (op < repeated.size() && repeated[op] == '$') {
        size_t digits = op + 1;
        while (digits < repeated.size() &&
               std::isdigit(static_cast<unsigned char>(repeated[digits])))
          ++digits;
        if (digits > op + 1) {
          cmp.operand_end = digits;
          cmp.parameter = true;
          cmp.found = true;
        }
      } else {
        size_t name_end = ReadName(repeated, op);
        if (name_end > op && !EqualsWord(repeated, op, name_end, "any") &&
            !EqualsWord(repeated, op, name_end, "all") &&
            !EqualsWord(repeated, op, name_end, "null") &&
            !EqualsWord(repeated, op, name_end, "true") &&
            !EqualsWord(repeated, op, name_end, "false")) {
          size_t after = SkipSpace(repeated, name_end);
          if (after >= repeated.size() || repeated[after] != '(') {  // not a function call
            cmp.operand_end = name_end;
            cmp.found = true;
          }
        }
      }
      if (cmp.found && cmp.parameter && !first_param.found) first_param = cmp;
      if (cmp.found && !cmp.parameter && !first_name.found) first_name = cmp;
    }
    i = end;
  }
  const Comparison& cmp = first_param.found ? first_param : first_name;
  if (!cmp.found) return result;
  result.column = repeated.substr(cmp.column_begin, cmp.column_end - cmp.column_begin);
  result.operand = repeated.substr(cmp.operand_begin, cmp.operand_end - cmp.operand_begin);
  std::string values;
  if (cmp.parameter || source.empty()) {
    values = cmp.parameter ? result.operand : "$1";
  } else {
    // A loop variable (r.author_id): its values come from the source query's column.
    std::string field = result.operand.substr(
        result.operand.rfind('.') == std::string::npos ? 0 : result.operand.rfind('.') + 1);
    std::string trimmed = source;
    while (!trimmed.empty() &&
           (trimmed.back() == ';' || std::isspace(static_cast<unsigned char>(trimmed.back()))))
      trimmed.pop_back();
    values = "ARRAY(SELECT s." + field + " FROM (" + trimmed + ") AS s)";
  }
  if (cmp.reversed)
    result.statement = repeated.substr(0, cmp.operand_begin) + result.column + " = ANY(" + values +
                       ")" + repeated.substr(cmp.column_end);
  else
    result.statement = repeated.substr(0, cmp.operand_begin) + "ANY(" + values + ")" +
                       repeated.substr(cmp.operand_end);
  return result;
}

bool PagesWithOffset(const std::string& repeated) {
  for (size_t i = 0; i < repeated.size();) {
    char c = repeated[i];
    if (c == '\'') {  // skip a string literal ('' inside it included)
      size_t close = repeated.find('\'', i + 1);
      while (close != std::string::npos && close + 1 < repeated.size() &&
             repeated[close + 1] == '\'')
        close = repeated.find('\'', close + 2);
      if (close == std::string::npos) return false;
      i = close + 1;
      continue;
    }
    if (c == '"') {  // a quoted identifier is never the keyword
      size_t close = repeated.find('"', i + 1);
      if (close == std::string::npos) return false;
      i = close + 1;
      continue;
    }
    if (IdentStart(c) && (i == 0 || !IdentChar(repeated[i - 1]))) {
      size_t end = i;
      while (end < repeated.size() && IdentChar(repeated[end])) ++end;
      if (EqualsWord(repeated, i, end, "offset")) return true;
      i = end;
      continue;
    }
    ++i;
  }
  return false;
}

}  // namespace dbopt::antipatterns
