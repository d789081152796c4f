#include "cli/ops_report_query.hpp"

#include <cmath>
#include <functional>

#include "cli/connection.hpp"
#include "cli/exit_codes.hpp"

namespace dbopt::cli {
namespace {

// As dbopt top's: an empty search_path (built-ins from pg_catalog, dbopt's through the quoted
// schema), UTC for every time shown, and the marker comment dbopt top leaves out.
const char kSetupSql[] =
    "SELECT /* dbopt cli */ pg_catalog.set_config('search_path', '', false),"
    " pg_catalog.set_config('TimeZone', 'UTC', false)";

// $1 the --since text, $2 whether it is a timestamp (else an interval back from now).
const char kFactsSql[] =
    "SELECT /* dbopt cli */ pg_catalog.current_database(),"
    " pg_catalog.to_char(pg_catalog.now(), 'YYYY-MM-DD HH24:MI'),"
    " (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'dbopt'),"
    " s.since::pg_catalog.text, pg_catalog.to_char(s.since, 'YYYY-MM-DD HH24:MI'),"
    " pg_catalog.date_part('epoch', s.since)"
    " FROM (SELECT CASE WHEN $2::pg_catalog.bool THEN $1::pg_catalog.text::pg_catalog.timestamptz"
    " ELSE pg_catalog.now() - $1::pg_catalog.text::pg_catalog.interval END AS since) s";

// Whether the extension's schema has a relation or function of that name.
const char kHasFunctionSql[] =
    "SELECT /* dbopt cli */ pg_catalog.count(*) FROM pg_catalog.pg_proc p"
    " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
    " WHERE n.nspname = $1 AND p.proname = $2";
const char kHasTableSql[] =
    "SELECT /* dbopt cli */ pg_catalog.count(*) FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = $1 AND c.relname = $2";

// $1 since (timestamptz text) in every statement below.
const char kHistorySql[] =
    "SELECT /* dbopt cli */ pg_catalog.count(*) FILTER (WHERE taken_at >= "
    "$1::pg_catalog.timestamptz),"
    " pg_catalog.count(*),"
    " pg_catalog.to_char(pg_catalog.min(taken_at) FILTER (WHERE taken_at >= "
    "$1::pg_catalog.timestamptz),"
    "   'YYYY-MM-DD HH24:MI'),"
    " pg_catalog.to_char(pg_catalog.max(taken_at), 'YYYY-MM-DD HH24:MI')"
    " FROM %s.snapshot";

const char kWorkloadSql[] =
    "SELECT /* dbopt cli */ snapshot_id, pg_catalog.date_part('epoch', taken_at), calls, total_ms"
    " FROM %s.dbopt_workload_trend(since => $1::pg_catalog.timestamptz)"
    " ORDER BY taken_at, snapshot_id";

const char kOutcomesSql[] =
    "SELECT /* dbopt cli */ apply_id, index_name, pg_catalog.date_part('epoch', applied_at),"
    " queryid::pg_catalog.text, query, calls_before, mean_ms_before, calls_after, mean_ms_after,"
    " promised_ratio, realized_ratio, index_scans_since, status"
    " FROM %s.dbopt_recommendation_outcomes() WHERE $1::pg_catalog.text IS NOT NULL"
    " ORDER BY applied_at, apply_id, queryid";

const char kQueryTrendSql[] =
    "SELECT /* dbopt cli */ queryid::pg_catalog.text, query, snapshot_id,"
    " pg_catalog.date_part('epoch', taken_at), calls, mean_ms, total_ms"
    " FROM %s.dbopt_query_trend(queryid => NULL, since => $1::pg_catalog.timestamptz, top => 10)"
    " ORDER BY taken_at, snapshot_id, queryid";

// The findings of the latest snapshot that holds the source ($2: antipatterns or health).
const char kSnapshotFindingsSql[] =
    "WITH /* dbopt cli */ latest AS ("
    " SELECT s.snapshot_id, s.slot, s.taken_at FROM %s.snapshot s"
    " WHERE $2::pg_catalog.text = ANY (s.sources) AND $1::pg_catalog.text IS NOT NULL"
    " ORDER BY s.taken_at DESC, s.snapshot_id DESC LIMIT 1)"
    " SELECT f.source, f.check_id, f.severity, f.object_type, f.object_name, f.message,"
    " l.snapshot_id, pg_catalog.to_char(l.taken_at, 'YYYY-MM-DD HH24:MI')"
    " FROM latest l LEFT JOIN %s.snapshot_finding f"
    " ON f.snapshot_id = l.snapshot_id AND f.slot = l.slot AND f.source = $2::pg_catalog.text"
    " ORDER BY f.severity, f.check_id, f.object_name";

const char kCurrentHealthSql[] =
    "SELECT /* dbopt cli */ 'health', check_id, severity, object_type, object_name, message"
    " FROM %s.dbopt_health() WHERE $1::pg_catalog.text IS NOT NULL";
const char kCurrentAntipatternsSql[] =
    "SELECT /* dbopt cli */ 'antipatterns', check_id, severity, object_type, object_name, message"
    " FROM %s.dbopt_antipatterns() WHERE $1::pg_catalog.text IS NOT NULL";

const char kChangesSql[] =
    "SELECT /* dbopt cli */ change, source, check_id, severity, object_name, message,"
    " pg_catalog.date_part('epoch', first_seen), pg_catalog.date_part('epoch', last_seen)"
    " FROM %s.dbopt_finding_changes(since => $1::pg_catalog.timestamptz)"
    " ORDER BY change, CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
    " check_id, object_name";

// Scans per interval of the 50 indexes with the most scans in the window; the first snapshot
// of the history has no interval before it.
const char kIndexUsageSql[] =
    "WITH /* dbopt cli */ w AS ("
    " SELECT i.indexrelid, i.index_name, i.relation, s.taken_at, s.snapshot_id,"
    " COALESCE(i.idx_scan_delta, 0) AS scans, COALESCE(i.size_bytes, 0) AS "
    "size"
    " FROM %s.snapshot_index i JOIN %s.snapshot s ON s.snapshot_id = i.snapshot_id AND s.slot = "
    "i.slot"
    " WHERE s.taken_at >= $1::pg_catalog.timestamptz AND s.previous_id IS NOT NULL),"
    " top AS (SELECT indexrelid FROM w GROUP BY indexrelid"
    " ORDER BY pg_catalog.sum(scans) DESC, indexrelid LIMIT 50)"
    " SELECT w.index_name, w.relation, pg_catalog.date_part('epoch', w.taken_at), w.scans, w.size"
    " FROM w JOIN top USING (indexrelid) ORDER BY w.taken_at, w.snapshot_id, w.index_name";

const char kSeqScanSql[] =
    "SELECT /* dbopt cli */ relation, seq_scans_before_rate, seq_scans_recent_rate,"
    " seq_tup_read_recent, growth"
    " FROM %s.dbopt_seq_scan_growth(since => $1::pg_catalog.timestamptz)"
    " ORDER BY growth DESC NULLS LAST, relation LIMIT 20";

const char kUnusedSql[] =
    "SELECT /* dbopt cli */ index_name, relation, pg_catalog.date_part('epoch', last_used),"
    " scans_before, size_bytes"
    " FROM %s.dbopt_unused_since(since => $1::pg_catalog.timestamptz)"
    " ORDER BY size_bytes DESC NULLS LAST, index_name";

double Epoch(const PGresult* rows, int row, int column) {
  return NumberCell(rows, row, column, NAN);
}

class Reader {
 public:
  Reader(PGconn* connection, std::string schema_name, std::string quoted_schema, std::string since)
      : connection_(connection),
        schema_name_(std::move(schema_name)),
        schema_(std::move(quoted_schema)),
        since_(std::move(since)) {}

  // Runs sql (with %s the schema, $1 since, extra parameters after it) and hands the rows to
  // read; a failure makes status not available with the server's message. needs: the
  // functions or tables the statement reads, checked first for a clear reason.
  void Read(SourceStatus* status, const std::vector<std::string>& functions,
            const std::vector<std::string>& tables, const char* sql,
            const std::vector<const char*>& extra,
            const std::function<void(const PGresult*)>& read) {
    if (!status->available) return;
    try {
      for (const std::string& function : functions)
        if (!Has(kHasFunctionSql, function)) {
          *status = {false, function + "() is not in this database's dbopt extension (version " +
                                "too old for it: ALTER EXTENSION dbopt UPDATE, or a newer dbopt)"};
          return;
        }
      for (const std::string& table : tables)
        if (!Has(kHasTableSql, table)) {
          *status = {false, "the history table " + table +
                                " is not in this database's dbopt extension (version too old "
                                "for it: ALTER EXTENSION dbopt UPDATE, or a newer dbopt)"};
          return;
        }
      std::vector<const char*> params{since_.c_str()};
      params.insert(params.end(), extra.begin(), extra.end());
      Result result = Query(connection_, WithSchema(sql, schema_), params);
      read(result.get());
    } catch (const CliError& error) {
      *status = {false, std::string(error.what()) +
                            (error.hint().empty() ? "" : " (hint: " + error.hint() + ")")};
    }
  }

 private:
  bool Has(const char* sql, const std::string& name) {
    Result result = Query(connection_, sql, {schema_name_.c_str(), name.c_str()});
    return IntegerCell(result.get(), 0, 0) > 0;
  }

  PGconn* connection_;
  std::string schema_name_;
  std::string schema_;
  std::string since_;
};

void ReadFindingRows(const PGresult* rows, std::vector<OpsFinding>* findings) {
  for (int row = 0; row < PQntuples(rows); ++row) {
    if (PQgetisnull(rows, row, 1)) continue;  // a snapshot without findings of the source
    findings->push_back({Cell(rows, row, 0), Cell(rows, row, 1), Cell(rows, row, 2),
                         Cell(rows, row, 3), Cell(rows, row, 4), Cell(rows, row, 5)});
  }
}

// Per source, the latest snapshot that holds it, else the current findings.
void ReadFindings(Reader* reader, bool have_history, OpsReport* report) {
  std::vector<std::string> origins;
  struct Source {
    const char* name;
    const char* function;
    const char* current_sql;
  };
  for (const Source& source :
       {Source{"health", "dbopt_health", kCurrentHealthSql},
        Source{"antipatterns", "dbopt_antipatterns", kCurrentAntipatternsSql}}) {
    bool from_snapshot = false;
    if (have_history) {
      SourceStatus status;
      reader->Read(&status, {}, {"snapshot_finding"}, kSnapshotFindingsSql, {source.name},
                   [&](const PGresult* rows) {
                     if (PQntuples(rows) == 0) return;
                     from_snapshot = true;
                     ReadFindingRows(rows, &report->findings);
                     origins.push_back(std::string(source.name) + " findings of snapshot " +
                                       Cell(rows, 0, 6) + " (" + Cell(rows, 0, 7) + " UTC)");
                   });
    }
    if (from_snapshot) continue;
    SourceStatus status;
    reader->Read(&status, {source.function}, {}, source.current_sql, {}, [&](const PGresult* rows) {
      ReadFindingRows(rows, &report->findings);
      origins.push_back(std::string("current ") + source.function + "()");
    });
    if (!status.available)
      origins.push_back(std::string(source.function) + "() not available: " + status.reason);
  }
  report->findings_origin = "From: ";
  for (size_t i = 0; i < origins.size(); ++i)
    report->findings_origin += (i ? "; " : "") + origins[i];
  report->findings_origin += ".";
}

}  // namespace

OpsReport FetchOpsReport(PGconn* connection, const std::string& extension_schema,
                         const ReportOptions& options) {
  OpsReport report;
  Query(connection, kSetupSql, {});
  std::string since;
  {
    const char* params[] = {options.since.c_str(), options.since_is_timestamp ? "true" : "false"};
    Result facts(PQexecParams(connection, kFactsSql, 2, nullptr, params, nullptr, nullptr, 0));
    if (PQresultStatus(facts.get()) != PGRES_TUPLES_OK) {
      const char* sqlstate = PQresultErrorField(facts.get(), PG_DIAG_SQLSTATE);
      if (sqlstate != nullptr && std::string(sqlstate, 2) == "22")  // data exception
        throw CliError(kExitUsage,
                       "invalid value \"" + options.since +
                           "\" for --since: " + ServerError(connection, facts.get()).what(),
                       "give an interval back from now (\"7 days\", \"36 hours\") or a date or "
                       "timestamp (\"2026-11-30\", \"2026-11-30 12:00\")");
      throw ServerError(connection, facts.get());
    }
    report.database = Cell(facts.get(), 0, 0);
    report.generated_at = Cell(facts.get(), 0, 1);
    report.dbopt_version = Cell(facts.get(), 0, 2);
    since = Cell(facts.get(), 0, 3);
    report.since = Cell(facts.get(), 0, 4);
    report.since_epoch = NumberCell(facts.get(), 0, 5, NAN);
  }
  Reader reader(connection, extension_schema, QuotedIdentifier(connection, extension_schema),
                since);

  reader.Read(&report.history, {}, {"snapshot"}, kHistorySql, {}, [&](const PGresult* rows) {
    report.snapshots = IntegerCell(rows, 0, 0);
    report.snapshots_total = IntegerCell(rows, 0, 1);
    report.first_snapshot = Cell(rows, 0, 2);
    report.last_snapshot = Cell(rows, 0, 3);
  });
  const bool have_history = report.history.available && report.snapshots_total > 0;

  reader.Read(&report.workload_source, {"dbopt_workload_trend"}, {}, kWorkloadSql, {},
              [&](const PGresult* rows) {
                for (int r = 0; r < PQntuples(rows); ++r)
                  report.workload.push_back({IntegerCell(rows, r, 0), Epoch(rows, r, 1),
                                             IntegerCell(rows, r, 2), NumberCell(rows, r, 3, NAN)});
              });
  reader.Read(&report.outcomes_source, {"dbopt_recommendation_outcomes"}, {}, kOutcomesSql, {},
              [&](const PGresult* rows) {
                for (int r = 0; r < PQntuples(rows); ++r) {
                  OpsOutcome o;
                  o.apply_id = IntegerCell(rows, r, 0);
                  o.index_name = Cell(rows, r, 1);
                  o.applied_at = Epoch(rows, r, 2);
                  o.queryid = Cell(rows, r, 3);
                  o.query = Cell(rows, r, 4);
                  o.calls_before = IntegerCell(rows, r, 5);
                  o.mean_ms_before = NumberCell(rows, r, 6, NAN);
                  o.calls_after = IntegerCell(rows, r, 7);
                  o.mean_ms_after = NumberCell(rows, r, 8, NAN);
                  o.promised_ratio = NumberCell(rows, r, 9, NAN);
                  o.realized_ratio = NumberCell(rows, r, 10, NAN);
                  o.index_scans_since = IntegerCell(rows, r, 11);
                  o.status = Cell(rows, r, 12);
                  report.outcomes.push_back(std::move(o));
                }
              });
  reader.Read(
      &report.query_trend_source, {"dbopt_query_trend"}, {}, kQueryTrendSql, {},
      [&](const PGresult* rows) {
        for (int r = 0; r < PQntuples(rows); ++r)
          report.query_trend.push_back({Cell(rows, r, 0), Cell(rows, r, 1), IntegerCell(rows, r, 2),
                                        Epoch(rows, r, 3), IntegerCell(rows, r, 4),
                                        NumberCell(rows, r, 5, NAN), NumberCell(rows, r, 6, NAN)});
      });
  ReadFindings(&reader, have_history, &report);
  reader.Read(&report.changes_source, {"dbopt_finding_changes"}, {}, kChangesSql, {},
              [&](const PGresult* rows) {
                for (int r = 0; r < PQntuples(rows); ++r)
                  report.changes.push_back({Cell(rows, r, 0), Cell(rows, r, 1), Cell(rows, r, 2),
                                            Cell(rows, r, 3), Cell(rows, r, 4), Cell(rows, r, 5),
                                            Epoch(rows, r, 6), Epoch(rows, r, 7)});
              });
  reader.Read(
      &report.index_usage_source, {}, {"snapshot_index", "snapshot"}, kIndexUsageSql, {},
      [&](const PGresult* rows) {
        for (int r = 0; r < PQntuples(rows); ++r)
          report.index_usage.push_back({Cell(rows, r, 0), Cell(rows, r, 1), Epoch(rows, r, 2),
                                        IntegerCell(rows, r, 3), IntegerCell(rows, r, 4)});
      });
  reader.Read(&report.seq_scan_source, {"dbopt_seq_scan_growth"}, {}, kSeqScanSql, {},
              [&](const PGresult* rows) {
                for (int r = 0; r < PQntuples(rows); ++r)
                  report.seq_scan_growth.push_back(
                      {Cell(rows, r, 0), NumberCell(rows, r, 1, NAN), NumberCell(rows, r, 2, NAN),
                       IntegerCell(rows, r, 3), NumberCell(rows, r, 4, NAN)});
              });
  reader.Read(
      &report.unused_source, {"dbopt_unused_since"}, {}, kUnusedSql, {}, [&](const PGresult* rows) {
        for (int r = 0; r < PQntuples(rows); ++r)
          report.unused_indexes.push_back({Cell(rows, r, 0), Cell(rows, r, 1), Epoch(rows, r, 2),
                                           IntegerCell(rows, r, 3), IntegerCell(rows, r, 4)});
      });
  return report;
}

}  // namespace dbopt::cli
