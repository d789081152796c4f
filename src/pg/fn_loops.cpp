// dbopt_n_plus_one(): the N+1 loops found in the statement event rings (loops.cpp), one row
// per (database, user, source query, repeated query) in the common finding shape plus the
// loop's own columns. Texts come from the capture store under dbopt_queries' visibility rule
// (a text the caller may not read is '<insufficient privilege>', and no rewrite is built
// from it). The tables each query scanned (the capture store's access records) and the
// foreign keys of the current database decide which pairs are reported (core ReportLoop);
// write loops are listed only with include_writes.
#include "core/antipatterns/n_plus_one.hpp"
#include "pg/result_set.hpp"  // first: includes core headers

#include <utility>
#include "pg/capture_sql.hpp"
#include "pg/guard.hpp"
#include "pg/loops.hpp"
#include "pg/module.hpp"
#include "pg/spi.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace {

using dbopt::pg::Cell;
namespace capture = dbopt::pg::capture;
namespace loops = dbopt::pg::loops;

// (userid, dbid, queryid, toplevel) -> text, for the local entries.
using TextKey = std::tuple<Oid, Oid, uint64, bool>;

}  // namespace

DBOPT_FUNCTION(dbopt_n_plus_one) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_occurrences must not be NULL",
                    "Pass a number of loops of at least 1, or omit the argument.");
  int32 min_occurrences = PG_GETARG_INT32(0);
  if (PG_ARGISNULL(1))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "include_writes must not be NULL",
                    "Pass true to list write loops too, or omit the argument.");
  bool include_writes = PG_GETARG_BOOL(1);
  if (min_occurrences < 1)
    dbopt::pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE,
                    "min_occurrences must be at least 1, not " + std::to_string(min_occurrences),
                    "It is the number of loops a (source, repeated) pair needs to be listed.");
  dbopt::pg::RequirePreload("dbopt_n_plus_one");
  if (!loops::Ready()) dbopt::pg::Fail(ERRCODE_INTERNAL_ERROR, "dbopt loop rings are not attached");
  loops::LoopsInfo info;
  std::vector<loops::LoopAggregate> entries = loops::Snapshot(&info);
  capture::StoreCopy snapshot = capture::TakeSnapshot("dbopt_n_plus_one", true);
  std::map<TextKey, std::string> texts;
  std::map<TextKey, std::vector<std::uint32_t>> tables;  // the tables each query scanned
  for (int i = 0; i < snapshot.count; ++i) {
    const capture::EntryCopy& entry = snapshot.entries[i];
    if (entry.key.origin != capture::kLocalOriginId) continue;
    TextKey key(entry.key.userid, entry.key.dbid, entry.key.queryid, entry.key.toplevel);
    if (entry.text != nullptr) texts[key] = entry.text;
    if (entry.key.dbid != MyDatabaseId) continue;
    std::vector<std::uint32_t>& scanned = tables[key];
    for (int a = 0; a < entry.access_count; ++a) scanned.push_back(entry.access[a].relid);
  }
  // The foreign keys of this database (the loops of other databases are judged without).
  std::vector<dbopt::antipatterns::ForeignKeyEdge> foreign_keys;
  std::vector<dbopt::antipatterns::TableNames> names;
  if (!entries.empty()) {
    dbopt::pg::SpiConnect();
    dbopt::pg::QueryResult fks = dbopt::pg::SpiQuery(
        "SELECT conrelid::bigint, confrelid::bigint FROM pg_catalog.pg_constraint "
        "WHERE contype = 'f'");
    for (size_t r = 0; r < fks.rows(); ++r)
      foreign_keys.push_back(
          {static_cast<std::uint32_t>(fks.Int(r, 0)), static_cast<std::uint32_t>(fks.Int(r, 1))});
    // Table and column names, for schemas without foreign keys (core LoopRelations).
    std::string ids;
    for (const auto& [key, scanned] : tables)
      for (std::uint32_t relid : scanned) ids += (ids.empty() ? "" : ",") + std::to_string(relid);
    dbopt::pg::QueryResult columns = dbopt::pg::SpiQuery(
        "SELECT c.oid::bigint, c.relname::text, a.attname::text FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
        "WHERE c.oid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY 1, a.attnum",
        {"{" + ids + "}"});
    for (size_t r = 0; r < columns.rows(); ++r) {
      std::uint32_t relid = static_cast<std::uint32_t>(columns.Int(r, 0));
      if (names.empty() || names.back().table != relid)
        names.push_back({relid, columns.Text(r, 1), {}});
      names.back().columns.push_back(columns.Text(r, 2));
    }
    dbopt::pg::SpiFinish();
  }
  const std::vector<std::uint32_t> none;
  auto tables_of = [&](const loops::LoopAggregate& e, uint64 queryid,
                       bool toplevel) -> const std::vector<std::uint32_t>& {
    auto it = tables.find(TextKey(e.userid, e.dbid, queryid, toplevel));
    return it == tables.end() ? none : it->second;
  };
  bool see_all = capture::MaySeeAllTexts();
  Oid me = GetUserId();
  // The text of a query as the caller may see it; visible says whether a rewrite may use it.
  auto text_of = [&](const loops::LoopAggregate& e, uint64 queryid, bool toplevel,
                     bool* visible) -> Cell {
    *visible = false;
    auto it = texts.find(TextKey(e.userid, e.dbid, queryid, toplevel));
    if (it == texts.end()) return Cell::Null();
    if (!see_all && e.userid != me) return Cell::Text("<insufficient privilege>");
    *visible = true;
    return Cell::Text(it->second);
  };
  // Most time lost first.
  std::sort(entries.begin(), entries.end(),
            [](const loops::LoopAggregate& a, const loops::LoopAggregate& b) {
              return std::tie(b.loop_ns, a.source_queryid, a.repeated_queryid) <
                     std::tie(a.loop_ns, b.source_queryid, b.repeated_queryid);
            });
  dbopt::pg::ResultSet result(fcinfo);
  for (const loops::LoopAggregate& e : entries) {
    if (e.occurrences < min_occurrences || (e.writes && !include_writes)) continue;
    dbopt::antipatterns::RelationEvidence relation = dbopt::antipatterns::LoopRelations(
        tables_of(e, e.source_queryid, e.source_toplevel),
        tables_of(e, e.repeated_queryid, e.repeated_toplevel), foreign_keys, names);
    if (!dbopt::antipatterns::ReportLoop(relation, e.weak_occurrences == e.occurrences))
      continue;  // a batch that follows an unrelated list; a weak loop without evidence
    auto repeated = texts.find(TextKey(e.userid, e.dbid, e.repeated_queryid, e.repeated_toplevel));
    if (repeated != texts.end() && (dbopt::antipatterns::PagesWithOffset(repeated->second) ||
                                    dbopt::antipatterns::ForeignKeyCheck(repeated->second)))
      continue;  // page after page of a list; a foreign-key trigger's check per row written
    bool source_visible = false;
    bool repeated_visible = false;
    Cell source_text = text_of(e, e.source_queryid, e.source_toplevel, &source_visible);
    Cell repeated_text = text_of(e, e.repeated_queryid, e.repeated_toplevel, &repeated_visible);
    dbopt::antipatterns::LoopSummary summary;
    summary.source_queryid = e.source_queryid;
    summary.source_toplevel = e.source_toplevel;
    summary.repeated_queryid = e.repeated_queryid;
    summary.repeated_toplevel = e.repeated_toplevel;
    summary.occurrences = e.occurrences;
    summary.total_repeats = e.total_repeats;
    summary.max_repeats = e.max_repeats;
    summary.total_source_rows = e.total_source_rows;
    summary.weak_occurrences = e.weak_occurrences;
    summary.writes = e.writes;
    summary.relation = relation;
    summary.loop_ms = e.loop_ns / 1e6;
    summary.repeat_ms = e.repeat_ns / 1e6;
    if (source_visible) summary.source_text = source_text.text;
    if (repeated_visible) summary.repeated_text = repeated_text.text;
    dbopt::Finding finding = dbopt::antipatterns::NPlusOneFinding(summary);
    double occurrences = static_cast<double>(e.occurrences);
    std::vector<Cell> cells = dbopt::pg::FindingCells(finding);
    cells.insert(
        cells.end(),
        {Cell::Int(e.userid), Cell::Int(e.dbid), Cell::Int(static_cast<int64>(e.source_queryid)),
         Cell::Bool(e.source_toplevel), source_text,
         Cell::Int(static_cast<int64>(e.repeated_queryid)), Cell::Bool(e.repeated_toplevel),
         repeated_text, Cell::Int(e.occurrences), Cell::Float(e.total_repeats / occurrences),
         Cell::Int(e.max_repeats), Cell::Float(e.total_source_rows / occurrences),
         Cell::Float(summary.loop_ms), Cell::Float(summary.repeat_ms),
         Cell::Timestamp(e.first_seen), Cell::Timestamp(e.last_seen)});
    result.AddRow(std::move(cells));
  }
  return (Datum)0;
}

DBOPT_FUNCTION(dbopt_n_plus_one_info) {
  (void)fcinfo;
  dbopt::pg::RequirePreload("dbopt_n_plus_one_info");
  loops::LoopsInfo info;
  (void)loops::Snapshot(&info);
  dbopt::pg::ResultSet result(fcinfo);
  result.AddRow(
      {Cell::Int(info.lost_events), Cell::Int(info.dropped_loops), Cell::Int(info.dropped_shapes)});
  return (Datum)0;
}
