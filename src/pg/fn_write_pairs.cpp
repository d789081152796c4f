// dbopt_unsafe_multi_step_writes(): the write pairs found in the statement event rings
// (loops.cpp, write_pairs.cpp) whose tables a foreign key relates, one row per (database,
// user, first query, second query) in the common finding shape plus the pair's own columns.
// The foreign keys are read from pg_constraint now, so only pairs of the current database are
// listed (other databases' catalogs are not at hand). Texts come from the capture store under
// dbopt_queries' visibility rule (a text the caller may not read is
// '<insufficient privilege>', and no remediation is built from it).
#include "core/antipatterns/multi_step_writes.hpp"
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/capture_sql.hpp"
#include "pg/guard.hpp"
#include "pg/loops.hpp"
#include "pg/module.hpp"
#include "pg/spi.hpp"
#include "pg/write_pairs.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace {

using dbopt::pg::Cell;
namespace capture = dbopt::pg::capture;
namespace write_pairs = dbopt::pg::write_pairs;
using dbopt::antipatterns::NamedForeignKey;

std::string OidArray(const std::set<Oid>& oids) {
  std::string out = "{";
  for (Oid oid : oids) {
    if (out.size() > 1) out += ",";
    out += std::to_string(oid);
  }
  return out + "}";
}

// The foreign keys between any two of the given tables.
std::vector<NamedForeignKey> ForeignKeysAmong(const std::set<Oid>& relids) {
  std::vector<NamedForeignKey> edges;
  if (relids.empty()) return edges;
  dbopt::pg::SpiConnect();
  dbopt::pg::QueryResult rows = dbopt::pg::SpiQuery(
      "SELECT c.conrelid, c.confrelid, c.conname::text FROM pg_catalog.pg_constraint c "
      "WHERE c.contype = 'f' AND c.conrelid = ANY($1::oid[]) AND c.confrelid = ANY($1::oid[])",
      {OidArray(relids)});
  for (size_t i = 0; i < rows.rows(); ++i)
    edges.push_back(
        {{static_cast<std::uint32_t>(rows.Int(i, 0)), static_cast<std::uint32_t>(rows.Int(i, 1))},
         rows.Text(i, 2)});
  dbopt::pg::SpiFinish();
  return edges;
}

}  // namespace

DBOPT_FUNCTION(dbopt_unsafe_multi_step_writes) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_occurrences must not be NULL",
                    "Pass a number of occurrences of at least 1, or omit the argument.");
  int32 min_occurrences = PG_GETARG_INT32(0);
  if (min_occurrences < 1)
    dbopt::pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE,
                    "min_occurrences must be at least 1, not " + std::to_string(min_occurrences),
                    "It is the number of times a pair of writes needs to be seen to be listed.");
  dbopt::pg::RequirePreload("dbopt_unsafe_multi_step_writes");
  if (!write_pairs::Ready())
    dbopt::pg::Fail(ERRCODE_INTERNAL_ERROR, "dbopt write pair table is not attached");
  dbopt::pg::loops::CatchUp();
  int64 dropped = 0;
  std::vector<write_pairs::WritePairAggregate> entries = write_pairs::Snapshot(&dropped);
  std::set<Oid> relids;
  for (const write_pairs::WritePairAggregate& e : entries) {
    if (e.dbid != MyDatabaseId || e.occurrences < min_occurrences) continue;
    relids.insert(e.first_relid);
    relids.insert(e.second_relid);
  }
  std::vector<NamedForeignKey> edges = ForeignKeysAmong(relids);
  capture::QueryTexts texts("dbopt_unsafe_multi_step_writes");
  std::map<Oid, std::string> names;
  auto name_of = [&](Oid relid) -> const std::string& {
    auto it = names.find(relid);
    if (it == names.end()) it = names.emplace(relid, capture::RelationName(relid)).first;
    return it->second;
  };
  // Most frequent first.
  std::sort(entries.begin(), entries.end(),
            [](const write_pairs::WritePairAggregate& a, const write_pairs::WritePairAggregate& b) {
              return std::tie(b.occurrences, a.first_queryid, a.second_queryid) <
                     std::tie(a.occurrences, b.first_queryid, b.second_queryid);
            });
  dbopt::pg::ResultSet result(fcinfo);
  for (const write_pairs::WritePairAggregate& e : entries) {
    if (e.dbid != MyDatabaseId || e.occurrences < min_occurrences) continue;
    const NamedForeignKey* edge =
        dbopt::antipatterns::RelatingConstraint(edges, e.first_relid, e.second_relid);
    if (edge == nullptr) continue;  // not related: independent writes
    const std::string& first_table = name_of(e.first_relid);
    const std::string& second_table = name_of(e.second_relid);
    if (first_table.empty() || second_table.empty()) continue;  // dropped meanwhile
    bool first_visible = false;
    bool second_visible = false;
    Cell first_text =
        texts.Find(e.userid, e.dbid, e.first_queryid, e.first_toplevel, &first_visible);
    Cell second_text =
        texts.Find(e.userid, e.dbid, e.second_queryid, e.second_toplevel, &second_visible);
    dbopt::antipatterns::WritePairSummary summary;
    summary.first_queryid = e.first_queryid;
    summary.first_toplevel = e.first_toplevel;
    summary.second_queryid = e.second_queryid;
    summary.second_toplevel = e.second_toplevel;
    summary.first_table = first_table;
    summary.second_table = second_table;
    summary.constraint_name = edge->name;
    summary.referencing_table = name_of(edge->edge.from);
    summary.occurrences = e.occurrences;
    summary.mean_gap_ms = e.total_gap_ns / 1e6 / static_cast<double>(e.occurrences);
    summary.max_gap_ms = e.max_gap_ns / 1e6;
    if (first_visible) summary.first_text = first_text.text;
    if (second_visible) summary.second_text = second_text.text;
    dbopt::Finding finding = dbopt::antipatterns::MultiStepWriteFinding(summary);
    std::vector<Cell> row = dbopt::pg::FindingCells(finding);
    row.insert(
        row.end(),
        {Cell::Int(e.userid), Cell::Int(e.dbid), Cell::Int(static_cast<int64>(e.first_queryid)),
         Cell::Bool(e.first_toplevel), first_text, Cell::Text(first_table),
         Cell::Int(static_cast<int64>(e.second_queryid)), Cell::Bool(e.second_toplevel),
         second_text, Cell::Text(second_table), Cell::Text(edge->name),
         Cell::Text(summary.referencing_table), Cell::Int(e.occurrences),
         Cell::Float(summary.mean_gap_ms), Cell::Float(summary.max_gap_ms),
         Cell::Timestamp(e.first_seen), Cell::Timestamp(e.last_seen)});
    result.AddRow(row);
  }
  return (Datum)0;
}
