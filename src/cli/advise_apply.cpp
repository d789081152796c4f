#include "cli/advise_apply.hpp"

#include <chrono>
#include <cstdlib>
#include <map>
#include <set>

#include "cli/cancel.hpp"
#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"
#include "cli/index_cleanup.hpp"
#include "cli/migrate/version_mark.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli {
namespace {

// The helped queries' captured calls and time (every user's entries of this database, as
// the advisor weighs them) and the server's clock, before the build starts.
const char kBaselineSql[] =
    "SELECT /* dbopt cli */ t.at, q.queryid::pg_catalog.text, q.calls, q.total"
    " FROM (SELECT pg_catalog.statement_timestamp()::pg_catalog.text AS at) t"
    " LEFT JOIN (SELECT queryid, pg_catalog.sum(calls) AS calls,"
    " pg_catalog.sum(total_exec_time) AS total FROM %s.dbopt_queries(showtext => false)"
    " WHERE dbid = (SELECT oid FROM pg_catalog.pg_database"
    " WHERE datname = pg_catalog.current_database())"
    " AND origin = 'local' AND queryid = ANY ($1::pg_catalog.int8[]) GROUP BY queryid) q ON true";

// The table and its partitions (pg_partition_tree() has no row for a plain table).
#define DBOPT_TABLE_TREE                                                      \
  "(i.indrelid = $1::pg_catalog.regclass OR i.indrelid IN (SELECT relid FROM" \
  " pg_catalog.pg_partition_tree($1::pg_catalog.regclass)))"

// Every index on the table and its partitions: what exists before the statements run.
const char kIndexesSql[] =
    "SELECT /* dbopt cli */ i.indexrelid::pg_catalog.text FROM pg_catalog.pg_index i"
    " WHERE " DBOPT_TABLE_TREE;

// The indexes on the table's tree that were not there before: name (qualified: the
// session's search_path is empty), bare name, kind ('I': partitioned), valid.
const char kNewIndexesSql[] =
    "SELECT /* dbopt cli */ c.oid::pg_catalog.regclass::pg_catalog.text, c.relname, c.relkind,"
    " i.indisvalid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
    " WHERE " DBOPT_TABLE_TREE
    " AND i.indexrelid <> ALL ($2::pg_catalog.oid[])"
    " ORDER BY c.relkind = 'I' DESC, NOT i.indisvalid DESC, 1";

// Valid and ready, and its size (a partitioned index's is its partitions').
const char kValiditySql[] =
    "SELECT /* dbopt cli */ i.indisvalid AND i.indisready,"
    " CASE WHEN c.relkind = 'I' THEN (SELECT pg_catalog.sum(pg_catalog.pg_relation_size(t.relid))"
    " FROM pg_catalog.pg_partition_tree(i.indexrelid) t)::pg_catalog.int8"
    " ELSE pg_catalog.pg_relation_size(i.indexrelid) END"
    " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
    " WHERE i.indexrelid = pg_catalog.to_regclass($1)";

// Both rows in one statement: one transaction.
const char kRecordSql[] =
    "WITH /* dbopt cli */ a AS (INSERT INTO %s.applied_index (index_name, table_name, kind,"
    " remediation, revert, estimated_bytes, actual_bytes, estimated_benefit, write_overhead,"
    " algorithm, build_ms) VALUES ($1, $2, $3,"
    " ARRAY(SELECT pg_catalog.jsonb_array_elements_text($4::pg_catalog.jsonb)),"
    " ARRAY(SELECT pg_catalog.jsonb_array_elements_text($5::pg_catalog.jsonb)),"
    " $6::pg_catalog.int8, $7::pg_catalog.int8, $8::pg_catalog.float8, $9::pg_catalog.float8,"
    " $10, $11::pg_catalog.float8) RETURNING apply_id),"
    " b AS (INSERT INTO %s.applied_index_baseline (apply_id, queryid, query, calls,"
    " total_time_ms, mean_time_ms, cost_before, cost_after, captured_at)"
    " SELECT a.apply_id, (e ->> 'queryid')::pg_catalog.int8, e ->> 'query',"
    " (e ->> 'calls')::pg_catalog.int8, (e ->> 'total_time_ms')::pg_catalog.float8,"
    " (e ->> 'mean_time_ms')::pg_catalog.float8, (e ->> 'cost_before')::pg_catalog.float8,"
    " (e ->> 'cost_after')::pg_catalog.float8, $13::pg_catalog.timestamptz"
    " FROM a, pg_catalog.jsonb_array_elements($12::pg_catalog.jsonb) e RETURNING 1)"
    " SELECT a.apply_id::pg_catalog.text, (SELECT pg_catalog.count(*) FROM b) FROM a";

struct Captured {
  std::int64_t calls = 0;
  double total_ms = 0;
};

struct Baseline {
  std::string at;                           // server time, text
  std::map<std::string, Captured> queries;  // by queryid
};

Baseline SnapshotBaseline(PGconn* connection, const std::string& schema,
                          const AdvisedIndex& index) {
  std::string ids = "{";
  for (const AdvisedQuery& query : index.queries)
    ids += (ids.size() > 1 ? "," : "") + query.queryid;  // integers from the server
  ids += "}";
  Result result = Query(connection, WithSchema(kBaselineSql, schema), {ids.c_str()});
  Baseline baseline;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    baseline.at = Cell(result.get(), row, 0);
    if (PQgetisnull(result.get(), row, 1)) continue;
    Captured& captured = baseline.queries[Cell(result.get(), row, 1)];
    captured.calls = std::strtoll(Cell(result.get(), row, 2).c_str(), nullptr, 10);
    captured.total_ms = std::strtod(Cell(result.get(), row, 3).c_str(), nullptr);
  }
  return baseline;
}

// One object per helped query (a queryid the advisor saw as several entries, say top-level
// and nested, once), with its captured calls and times; null where nothing is captured.
std::string BaselineJson(const AdvisedIndex& index, const Baseline& baseline) {
  JsonWriter json;
  json.BeginArray();
  std::set<std::string> seen;
  for (const AdvisedQuery& query : index.queries) {
    if (!seen.insert(query.queryid).second) continue;
    json.BeginObject().Field("queryid", query.queryid).Key("query");
    if (query.query.empty())
      json.Null();
    else
      json.String(query.query);
    const auto captured = baseline.queries.find(query.queryid);
    if (captured == baseline.queries.end() || captured->second.calls <= 0) {
      json.Key("calls").Null().Key("total_time_ms").Null().Key("mean_time_ms").Null();
    } else {
      const Captured& c = captured->second;
      json.Field("calls", c.calls)
          .Field("total_time_ms", c.total_ms)
          .Field("mean_time_ms", c.total_ms / static_cast<double>(c.calls));
    }
    json.Field("cost_before", query.cost_before).Field("cost_after", query.cost_after);
    json.EndObject();
  }
  json.EndArray();
  return json.str();
}

std::string JsonStrings(const std::vector<std::string>& values) {
  JsonWriter json;
  json.BeginArray();
  for (const std::string& value : values) json.String(value);
  json.EndArray();
  return json.str();
}

std::string Number(double value) {
  JsonWriter json;  // the shortest text that reads back the same, never a locale's comma
  json.Number(value);
  return json.str();
}

bool MentionedIn(const std::string& relname, const std::vector<std::string>& statements) {
  for (const std::string& statement : statements)
    if (statement.find(relname) != std::string::npos) return true;
  return false;
}

// After a failure: drops the indexes the recommendation's statements created on its table
// (new since `before` and named in its statements), a partitioned one first (its attached
// partitions' indexes go with it; it cannot be dropped concurrently), the others
// concurrently. What cannot be dropped is reported as left.
void DropWhatWasBuilt(PGconn* connection, const AdvisedIndex& index, const std::string& before,
                      ApplyOutcome* outcome, const ProgressSink& progress) {
  Result created = Query(connection, kNewIndexesSql, {index.table_name.c_str(), before.c_str()});
  for (int row = 0; row < PQntuples(created.get()); ++row) {
    const std::string name = Cell(created.get(), row, 0);
    if (!MentionedIn(Cell(created.get(), row, 1), index.remediation)) continue;
    const bool partitioned = Cell(created.get(), row, 2) == "I";
    const bool valid = Cell(created.get(), row, 3) == "t";
    progress("dropping " + std::string(valid ? "" : "invalid ") + "index " + name +
             (partitioned ? ": DROP INDEX IF EXISTS " : ": DROP INDEX CONCURRENTLY IF EXISTS ") +
             name);
    const std::string error = DropIndexAfterFailure(connection, name, partitioned);
    if (error.empty()) {
      outcome->dropped.push_back(name);
    } else {
      outcome->left.push_back(name);
      progress("could not drop " + name + ": " + error);
    }
  }
}

void ApplyOne(PGconn* connection, const AdviseSession& session, const std::string& algorithm,
              AdvisedIndex* index, const std::string& step, const ProgressSink& progress) {
  ApplyOutcome& outcome = index->outcome;
  const Baseline baseline = SnapshotBaseline(connection, session.schema, *index);
  std::string before = "{";
  {
    Result existing = Query(connection, kIndexesSql, {index->table_name.c_str()});
    for (int row = 0; row < PQntuples(existing.get()); ++row)
      before += (row > 0 ? "," : "") + Cell(existing.get(), row, 0);
  }
  before += "}";

  const auto started = std::chrono::steady_clock::now();
  std::string error;
  bool cancelled = false;
  for (const std::string& statement : index->remediation) {
    if (Interrupted()) {
      cancelled = true;
      error = "interrupted (Ctrl-C)";
      break;
    }
    progress(step + statement);
    error = RunStatement(connection, statement);
    if (!error.empty()) break;
  }
  cancelled = cancelled || Interrupted();  // the server's "canceling statement due to user request"
  outcome.build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (error.empty()) {
    Result valid = Query(connection, kValiditySql, {index->index_name.c_str()});
    if (PQntuples(valid.get()) == 0)
      error = "index " + index->index_name + " does not exist after its statements ran";
    else if (Cell(valid.get(), 0, 0) != "t")
      error = "index " + index->index_name + " is not valid after its build";
    else if (!PQgetisnull(valid.get(), 0, 1))
      outcome.actual_bytes = std::strtoll(Cell(valid.get(), 0, 1).c_str(), nullptr, 10);
  }
  if (!error.empty()) {
    outcome.status = cancelled ? ApplyOutcome::Status::kCancelled : ApplyOutcome::Status::kFailed;
    outcome.error = error;
    progress(step + (cancelled ? "cancelled: " : "failed: ") + error);
    DropWhatWasBuilt(connection, *index, before, &outcome, progress);
    return;
  }

  outcome.status = ApplyOutcome::Status::kCreated;
  const std::string remediation = JsonStrings(index->remediation);
  const std::string revert = JsonStrings(index->revert);
  const std::string estimated = std::to_string(index->estimated_bytes);
  const std::string actual = std::to_string(outcome.actual_bytes);
  const std::string benefit = Number(index->benefit);
  const std::string write_overhead = Number(index->write_overhead);
  const std::string build_ms = Number(outcome.build_ms);
  const std::string queries = BaselineJson(*index, baseline);
  Result recorded(PQexecParams(
      connection, WithSchema(kRecordSql, session.schema).c_str(), 13, nullptr,
      std::vector<const char*>{index->index_name.c_str(), index->table_name.c_str(),
                               index->kind.c_str(), remediation.c_str(), revert.c_str(),
                               estimated.c_str(),
                               outcome.actual_bytes < 0 ? nullptr : actual.c_str(), benefit.c_str(),
                               write_overhead.c_str(), algorithm.c_str(), build_ms.c_str(),
                               queries.c_str(), baseline.at.c_str()}
          .data(),
      nullptr, nullptr, 0));
  if (PQresultStatus(recorded.get()) != PGRES_TUPLES_OK || PQntuples(recorded.get()) != 1) {
    const CliError failure = ServerError(connection, recorded.get());
    outcome.error = std::string("the index was built but not recorded: ") + failure.what();
    progress(step + outcome.error);
    return;
  }
  outcome.apply_id = Cell(recorded.get(), 0, 0);
  outcome.baseline_rows = std::atoi(Cell(recorded.get(), 0, 1).c_str());
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s", outcome.build_ms / 1000);
  progress(step + index->index_name + " is valid (" + seconds + ", " +
           FormatBytes(outcome.actual_bytes) + "); baseline of " +
           std::to_string(outcome.baseline_rows) + " quer" +
           (outcome.baseline_rows == 1 ? "y" : "ies") + " recorded (apply_id " + outcome.apply_id +
           ")");
}

#undef DBOPT_TABLE_TREE

}  // namespace

void ApplyAdvice(PGconn* connection, const AdviseSession& session, AdviseReport* report,
                 const ProgressSink& progress) {
  report->applied = true;
  // The indexes are recorded in applied_index, not schema drift: the session is marked as
  // dbopt migrate marks its own (docs/migrations.md "Schema drift"), until the end.
  migrate::MarkMigrationVersion(connection, "dbopt advise --apply", false);
  const size_t count = report->indexes.size();
  for (size_t i = 0; i < count; ++i) {
    if (Interrupted()) {
      report->interrupted = true;
      break;
    }
    AdvisedIndex& index = report->indexes[i];
    const std::string step = "[" + std::to_string(i + 1) + "/" + std::to_string(count) + "] ";
    ApplyOne(connection, session, report->summary.algorithm, &index, step, progress);
    if (index.outcome.status == ApplyOutcome::Status::kCancelled) report->interrupted = true;
    if (index.outcome.status != ApplyOutcome::Status::kCreated || !index.outcome.error.empty())
      break;
  }
  if (PQstatus(connection) != CONNECTION_OK)
    throw CliError(kExitError, "lost the connection to the server while applying");
  migrate::ClearMigrationVersion(connection);
}

}  // namespace dbopt::cli
