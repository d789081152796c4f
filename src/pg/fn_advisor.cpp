// dbopt_recommend_indexes(), dbopt_recommendation_summary(), dbopt_recommend_indexes_for():
// the index advisor's SQL API. The glue gathers the workload (captured entries of this
// database with their replayable samples, or the given statements), the catalog and its
// statistics, and answers the core's cost questions with the what-if engine; candidates and
// selection are src/core/advisor.
#include "core/advisor/render.hpp"  // core headers first
#include "core/advisor/selection.hpp"
#include "core/advisor/summary.hpp"
#include "core/common/sql_text.hpp"
#include "pg/advisor_query.hpp"
#include "pg/caller_search_path.hpp"
#include "pg/capture_sql.hpp"
#include "pg/capture_store.hpp"
#include "pg/catalog.hpp"
#include "pg/guard.hpp"
#include "pg/module.hpp"
#include "pg/replan.hpp"
#include "pg/result_set.hpp"
#include "pg/spi.hpp"
#include "pg/whatif/whatif.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "utils/guc.h"
#include "nodes/readfuncs.h"
#include "portability/instr_time.h"
#include "utils/lsyscache.h"
}

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace dbopt;
namespace core = dbopt::advisor;
namespace whatif = dbopt::pg::whatif;

// Where a workload query is re-planned from: its capture sample (exact) or SQL text.
struct Source {
  std::string sample;
  std::string sql;
  Oid userid = InvalidOid;
};

// A cancel (statement_timeout, pg_cancel_backend) must end the advice, not be taken for a
// statement that cannot be planned.
bool Canceled(const pg::PgError& e) {
  return e.data()->sqlerrcode == ERRCODE_QUERY_CANCELED;
}

double ElapsedMs(const instr_time& start) {
  instr_time now;
  INSTR_TIME_SET_CURRENT(now);
  INSTR_TIME_SUBTRACT(now, start);
  return INSTR_TIME_GET_MILLISEC(now);
}

// The core's cost oracle on the what-if engine. A query that cannot be planned with some
// hypothetical indexes (say a what-if limitation) keeps its plain cost for that set.

class WhatIfOracle : public core::CostOracle {
 public:
  explicit WhatIfOracle(const std::vector<Source>& sources) : sources_(sources) {}

  double Cost(std::size_t query, const std::vector<std::string>& ddls) override {
    std::vector<std::size_t> used;
    return CostUsing(query, ddls, &used);
  }

  // The plan's hypothetical indexes are reported as used; when the set cannot be planned (the
  // plain cost stands in), all of them are, so that the answer covers this set only.
  double CostUsing(std::size_t query, const std::vector<std::string>& ddls,
                   std::vector<std::size_t>* used) override {
    std::vector<int> active;
    std::map<int, std::size_t> given;  // scope position -> position in ddls
    for (std::size_t i = 0; i < ddls.size(); ++i) {
      const int position = Position(ddls[i]);
      if (position >= 0) {
        active.push_back(position);
        given.emplace(position, i);
      }
    }
    std::sort(active.begin(), active.end());
    active.erase(std::unique(active.begin(), active.end()), active.end());
    used->clear();
    // The plain plan was made when the workload was checked (Probe): not planned again.
    if (active.empty() && query < plain_.size() && plain_[query] >= 0) return plain_[query];
    try {
      const whatif::PlanResult result = Plan(query, active);
      for (int position : result.hypothetical_used) {
        auto it = given.find(position);
        if (it != given.end()) used->push_back(it->second);
      }
      return result.total_cost;
    } catch (const pg::PgError& e) {
      if (active.empty() || Canceled(e)) throw;
      ++failed_plans;
      for (std::size_t i = 0; i < ddls.size(); ++i) used->push_back(i);
      return Plan(query, {}).total_cost;
    }
  }

  double SizeBytes(const std::string& ddl) override {
    const int position = Position(ddl);
    if (position < 0) return 1e18;  // never chosen
    return static_cast<double>(scope_.EstimatedSize(position).bytes);
  }

  // The query planned with the hypothetical indexes at `active`; throws when it cannot be
  // planned.
  whatif::PlanResult Plan(std::size_t query, const std::vector<int>& active) {
    // A long advice stays cancellable: the planner itself hardly checks for interrupts.
    pg::CallPg([] { CHECK_FOR_INTERRUPTS(); });
    ++planner_calls;
    const Source& source = sources_[query];
    instr_time start;
    INSTR_TIME_SET_CURRENT(start);
    whatif::PlanResult result;
    if (parsed_.size() < sources_.size()) {
      parsed_.resize(sources_.size());
      analyzed_.resize(sources_.size(), 0);
    }
    pg::capture::ParsedSample& parsed = parsed_[query];
    if (source.sample.empty()) {
      // SQL text is parsed and analyzed once (in the advice's memory context, isolated), then
      // planned as a Query tree for every set (a generic plan, as from the text).
      if (analyzed_[query] == 0) {
        parsed.query = pg::advisor::TryAnalyzeStatement(source.sql);
        analyzed_[query] = 1;
      }
      result = parsed.query != nullptr ? scope_.PlanQuery(parsed.query, active, true)
                                       : scope_.PlanSql(source.sql, active, true);
    } else {
      // The sample is parsed once per query (in the advice's memory context), then copied.
      if (parsed.query == nullptr)
        pg::CallPg([&] { parsed = pg::capture::ParseSample(source.sample.c_str()); });
      result = scope_.PlanQuery(parsed.query, active, true, parsed.params);
    }
    planner_ms += ElapsedMs(start);
    return result;
  }

  // Rows the planner expects from `sql` without hypothetical indexes.
  double Rows(const std::string& sql) { return scope_.PlanSql(sql, {}, true).rows; }

  // The actual extremes of a candidate's leading column (a scan of the table) are read only
  // where a plan of the workload can use them (whatif::Scope::LimitExtremes): columns with a
  // range or pattern condition, or compared to another table's (a merge join estimates its
  // share from them); not for equality, IN and NULL tests, sort and group keys.
  void LimitExtremes(const core::Workload& workload) {
    std::map<ObjectId, std::set<std::string>> columns;
    for (const core::Query& q : workload.queries)
      for (const core::TableUse& use : q.tables) {
        std::set<std::string>& wanted = columns[use.table_id];
        for (const core::Predicate& p : use.predicates) {
          const bool range = p.kind == dbopt::capture::QualKind::kRange ||
                             p.kind == dbopt::capture::QualKind::kLike ||
                             p.kind == dbopt::capture::QualKind::kRegex ||
                             p.kind == dbopt::capture::QualKind::kOther;
          const bool other = p.operand == dbopt::capture::QualOperand::kOuter ||
                             p.operand == dbopt::capture::QualOperand::kOther;
          if (!p.column.empty() && (range || other)) wanted.insert(p.column);
        }
      }
    for (const auto& [table, wanted] : columns)
      scope_.LimitExtremes(static_cast<Oid>(table), {wanted.begin(), wanted.end()});
  }

  // Plans query `query` without hypothetical indexes and remembers the cost (throws when it
  // cannot be planned: the caller then leaves the query out, Keep).
  void Probe(std::size_t query) {
    const double cost = Plan(query, {}).total_cost;
    if (plain_.size() < sources_.size()) plain_.resize(sources_.size(), -1);
    plain_[query] = cost;
  }
  // Only the queries at `kept` (ascending positions) remain, renumbered from 0: what is known
  // per query moves with them (call before the sources themselves are renumbered).
  void Keep(const std::vector<std::size_t>& kept) {
    std::vector<pg::capture::ParsedSample> parsed;
    std::vector<char> analyzed;
    std::vector<double> plain;
    for (std::size_t q : kept) {
      parsed.push_back(q < parsed_.size() ? parsed_[q] : pg::capture::ParsedSample{});
      analyzed.push_back(q < analyzed_.size() ? analyzed_[q] : 0);
      plain.push_back(q < plain_.size() ? plain_[q] : -1);
    }
    parsed_ = std::move(parsed);
    analyzed_ = std::move(analyzed);
    plain_ = std::move(plain);
  }

  std::size_t planner_calls = 0;
  std::size_t failed_plans = 0;
  double planner_ms = 0;  // in Plan (what-if engine and planner)

 private:
  int Position(const std::string& ddl) {
    auto it = positions_.find(ddl);
    if (it != positions_.end()) return it->second;
    int position = -1;
    try {
      position = scope_.Add(ddl);
    } catch (const pg::SqlError&) {
      position = -1;  // the engine cannot model it: the candidate never helps
    }
    positions_[ddl] = position;
    return position;
  }

  const std::vector<Source>& sources_;
  std::vector<pg::capture::ParsedSample> parsed_;  // per query, parsed on first use
  std::vector<char> analyzed_;  // per query: SQL text analyzed (or tried) into parsed_
  std::vector<double> plain_;   // per query: cost without any (Probe), or -1
  whatif::Scope scope_;
  std::map<std::string, int> positions_;
};

struct Arguments {
  core::SelectionOptions selection;
  core::CandidateOptions candidates;
  std::int64_t min_calls = 1;
  bool has_queryids = false;
  std::vector<std::int64_t> queryids;
  std::vector<std::string> statements;  // dbopt_recommend_indexes_for
  // dbopt_recommend_indexes_for(writes => ...): the table counters per read are charged for
  // tables read at least this often since the statistics reset; < 0: no writes charged.
  double counter_min_reads = -1;
};

// dbopt_recommend_indexes_for(writes => 'auto'): tables read fewer times than this since the
// statistics reset are taken as loaded, not written by traffic (their counters are the load).
constexpr double kAutoMinReads = 1000;
const char* kWritesHint =
    "Pass 'auto' (the default: the table's write counters per read, for tables read at least "
    "1000 times since the statistics reset), 'statistics' (always) or 'none'.";

struct Advice {
  Catalog catalog;
  core::Workload workload;
  std::vector<Source> sources;
  core::Selection selection;
  std::vector<IndexDdl> ddl;
  std::size_t planner_calls = 0;
  std::size_t skipped = 0;
  double elapsed_ms = 0;
  double budget_bytes = -1;
};

std::string ArgText(FunctionCallInfo fcinfo, int n) {
  char* value = nullptr;
  pg::CallPg([&] { value = text_to_cstring(PG_GETARG_TEXT_PP(n)); });
  return value;
}

std::vector<std::optional<std::string>> TextArray(FunctionCallInfo fcinfo, int n) {
  std::vector<std::optional<std::string>> out;
  Datum* values = nullptr;
  bool* nulls = nullptr;
  int count = 0;
  pg::CallPg([&] {
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(n), TEXTOID, -1, false, TYPALIGN_INT, &values, &nulls,
                      &count);
  });
  for (int i = 0; i < count; ++i) {
    if (nulls[i]) {
      out.push_back(std::nullopt);
      continue;
    }
    char* value = nullptr;
    pg::CallPg([&] { value = TextDatumGetCString(values[i]); });
    out.push_back(std::string(value));
  }
  return out;
}

// Arguments shared by the three functions, from position `first`: budget, max_indexes,
// max_columns, algorithm.
Arguments ReadArguments(FunctionCallInfo fcinfo, int first) {
  Arguments args;
  if (!PG_ARGISNULL(first)) {
    const std::string budget = ArgText(fcinfo, first);
    try {
      args.selection.budget_bytes = core::ParseSizeBytes(budget);
    } catch (const std::invalid_argument& e) {
      pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "invalid budget: " + std::string(e.what()),
               "Give a size such as '500MB', '2GB' or a number of bytes, or NULL for no "
               "storage limit.");
    }
    if (args.selection.budget_bytes <= 0)
      pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "budget must be positive",
               "Give a size such as '500MB', or NULL for no storage limit.");
  }
  if (!PG_ARGISNULL(first + 1)) {
    const int max_indexes = PG_GETARG_INT32(first + 1);
    if (max_indexes < 1)
      pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "max_indexes must be at least 1",
               "Pass NULL for no limit on the number of indexes.");
    args.selection.max_indexes = max_indexes;
  }
  if (PG_ARGISNULL(first + 2))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "max_columns must not be null",
             "Pass the largest number of key columns an index may have (default 3).");
  const int max_columns = PG_GETARG_INT32(first + 2);
  if (max_columns < 1 || max_columns > INDEX_MAX_KEYS)
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE,
             "max_columns must be between 1 and " + std::to_string(INDEX_MAX_KEYS),
             "The default is 3.");
  args.selection.max_columns = static_cast<std::size_t>(max_columns);
  args.candidates.max_columns = args.selection.max_columns;
  if (PG_ARGISNULL(first + 3))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "algorithm must not be null",
             "Pass 'dbopt' (the default) or 'extend'.");
  const std::string algorithm = ArgText(fcinfo, first + 3);
  if (!core::ParseAlgorithm(algorithm, &args.selection.algorithm))
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "unknown algorithm \"" + algorithm + "\"",
             "Pass 'dbopt' (the default), 'extend' (Schlosser et al., ICDE 2019) or "
             "'exhaustive' (small workloads only).");
  return args;
}

// min_benefit_per_size (the worthwhile-benefit floor, core SelectionOptions) at position `n`.
void ReadBenefitFloor(FunctionCallInfo fcinfo, int n, Arguments* args) {
  const char* hint =
      "0.1 (the default) asks an index a tenth the size of the data the workload reads to save "
      "at least 1% of the workload's weighted cost; 0 keeps every index that lowers the cost.";
  if (PG_ARGISNULL(n))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_benefit_per_size must not be null", hint);
  const double value = PG_GETARG_FLOAT8(n);
  if (!std::isfinite(value) || value < 0)
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "min_benefit_per_size must be a number of at least 0",
             hint);
  args->selection.min_benefit_per_size = value;
}

// Captured workload arguments: min_calls, queryids (after the shared ones).
void ReadCaptureArguments(FunctionCallInfo fcinfo, int first, Arguments* args) {
  if (PG_ARGISNULL(first))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_calls must not be null",
             "Pass the fewest calls a captured query needs to count (default 1).");
  args->min_calls = PG_GETARG_INT64(first);
  if (!PG_ARGISNULL(first + 1)) {
    args->has_queryids = true;
    Datum* values = nullptr;
    bool* nulls = nullptr;
    int count = 0;
    pg::CallPg([&] {
      deconstruct_array(PG_GETARG_ARRAYTYPE_P(first + 1), INT8OID, 8, FLOAT8PASSBYVAL,
                        TYPALIGN_DOUBLE, &values, &nulls, &count);
    });
    for (int i = 0; i < count; ++i) {
      if (nulls[i])
        pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "queryids must not contain NULL",
                 "Pass queryids from dbopt_queries.");
      args->queryids.push_back(DatumGetInt64(values[i]));
    }
    if (args->queryids.empty())
      pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "queryids must not be empty",
               "Pass NULL to advise on the whole captured workload.");
  }
}

// The root of `id`'s partition tree (`id` itself when it is not a partition).
ObjectId PartitionRoot(const Catalog& catalog, ObjectId id) {
  const Table* table = catalog.FindTable(id);
  while (table != nullptr && table->parent_id != 0) {
    const Table* parent = catalog.FindTable(table->parent_id);
    if (parent == nullptr) break;
    table = parent;
  }
  return table != nullptr ? table->id : id;
}

std::string OidArray(const std::set<ObjectId>& ids) {
  std::string text = "{";
  for (ObjectId id : ids) text += (text.size() > 1 ? "," : "") + std::to_string(id);
  return text + "}";
}

// Column statistics (n_distinct, null_frac, avg_width) of the tables the workload reads and
// of the roots of their partition trees (where the advisor may move them). Write counters,
// HOT updates included, come with the catalog (core SumPartitionStatistics adds up leaves).
void LoadAdvisorStatistics(Catalog& catalog, const core::Workload& workload) {
  std::set<ObjectId> tables;
  for (const core::Query& q : workload.queries)
    for (const core::TableUse& use : q.tables) {
      tables.insert(use.table_id);
      tables.insert(PartitionRoot(catalog, use.table_id));
    }
  if (tables.empty()) return;
  const std::string ids = OidArray(tables);
  pg::QueryResult stats = pg::SpiQuery(R"SQL(
  SELECT c.oid, a.attnum, s.null_frac, s.n_distinct, s.avg_width
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname
   WHERE c.oid = ANY ($1::pg_catalog.oid[]) AND s.inherited = (c.relkind = 'p'))SQL",
                                       {ids});
  for (size_t r = 0; r < stats.rows(); ++r) {
    auto table = catalog.tables.find(static_cast<ObjectId>(stats.Int(r, 0)));
    if (table == catalog.tables.end()) continue;
    for (Column& column : table->second.columns)
      if (column.attnum == stats.Int(r, 1)) {
        if (!stats.IsNull(r, 2)) column.null_fraction = stats.Double(r, 2);
        if (!stats.IsNull(r, 3)) column.n_distinct = stats.Double(r, 3);
        if (!stats.IsNull(r, 4)) column.avg_width = stats.Double(r, 4);
      }
  }
}

bool TrigramInstalled() {
  pg::QueryResult rows =
      pg::SpiQuery("SELECT 1 FROM pg_catalog.pg_opclass WHERE opcname = 'gin_trgm_ops'");
  return rows.rows() > 0;
}

// Estimates the fraction of rows each constant condition keeps (for partial indexes), by
// planning SELECT 1 FROM ONLY <table> WHERE <condition>.
void EstimateConditions(const Catalog& catalog, WhatIfOracle& oracle, core::Workload* workload) {
  std::map<std::pair<ObjectId, std::string>, double> fractions;
  for (core::Query& q : workload->queries)
    for (core::TableUse& use : q.tables) {
      const Table* table = catalog.FindTable(use.table_id);
      if (table == nullptr || table->rows <= 0) continue;
      for (core::Predicate& p : use.predicates) {
        if (p.condition.empty() || p.selectivity >= 0) continue;
        auto key = std::make_pair(use.table_id, p.condition);
        auto found = fractions.find(key);
        if (found == fractions.end()) {
          double fraction = -1;
          if (fractions.size() < 200) {
            try {
              // A partitioned table's rows are its partitions' (no ONLY).
              fraction =
                  std::min(1.0, oracle.Rows(std::string("SELECT 1 FROM ") +
                                            (table->Partitioned() ? "" : "ONLY ") +
                                            QualifiedName(*table) + " WHERE " + p.condition) /
                                    table->rows);
            } catch (const std::exception&) {
              fraction = -1;
            }
          }
          found = fractions.emplace(key, fraction).first;
        }
        p.selectivity = found->second;
      }
    }
}

// The captured entries of this database (local origin, at least min_calls calls), each with
// its sample or, failing that, its normalized text.
void LoadCapturedWorkload(const Arguments& args, Advice* advice,
                          std::map<ObjectId, core::TableWrites>* writes) {
  pg::capture::StoreCopy snapshot = pg::capture::TakeSnapshot("dbopt_recommend_indexes", true);
  std::set<std::int64_t> wanted(args.queryids.begin(), args.queryids.end());
  std::set<std::int64_t> seen;
  const bool see_all = pg::capture::MaySeeAllTexts();
  const Oid me = GetUserId();
  for (int i = 0; i < snapshot.count; ++i) {
    const pg::capture::EntryCopy& copy = snapshot.entries[i];
    const std::int64_t queryid = static_cast<std::int64_t>(copy.key.queryid);
    if (copy.key.dbid != MyDatabaseId || copy.key.origin != pg::capture::kLocalOriginId) continue;
    if (args.has_queryids && wanted.count(queryid) == 0) continue;
    seen.insert(queryid);
    if (copy.counters.calls < args.min_calls || copy.counters.calls <= 0) continue;
    char* sample = nullptr;
    pg::CallPg([&] { sample = pg::capture::StoreGetSample(copy.key); });
    Source source;
    source.userid = copy.key.userid;
    if (sample != nullptr)
      source.sample = sample;
    else if (copy.text != nullptr)
      source.sql = copy.text;
    else {
      ++advice->skipped;
      continue;
    }
    Query* query = nullptr;
    if (!source.sample.empty()) {
      // A sample with parameter values (PL/pgSQL variables, foreign key checks, the extended
      // protocol) is "(<query> <values>)".
      pg::CallPg([&] { query = pg::capture::SampleQuery(sample); });
    } else {
      // A normalized text need not parse: `date '2026-01-01'` was captured as `date $1`.
      query = pg::advisor::TryAnalyzeStatement(source.sql);
      if (query == nullptr) {
        ++advice->skipped;
        continue;
      }
    }
    core::Query q;
    q.queryid = queryid;
    if (copy.text != nullptr && (see_all || copy.key.userid == me)) q.text = copy.text;
    q.calls = static_cast<double>(copy.counters.calls);
    pg::advisor::DescribeQuery(query, static_cast<double>(copy.counters.rows), &q, writes);
    if (q.tables.empty()) continue;
    advice->workload.queries.push_back(std::move(q));
    advice->sources.push_back(std::move(source));
  }
  for (std::int64_t id : args.queryids)
    if (seen.count(id) == 0)
      pg::Fail(ERRCODE_UNDEFINED_OBJECT,
               "no captured query with queryid " + std::to_string(id) + " in this database",
               "Pick queryids from dbopt_queries (only queries captured in the current "
               "database can be advised on).");
}

void LoadGivenStatements(const Arguments& args, Advice* advice,
                         std::map<ObjectId, core::TableWrites>* writes) {
  for (std::size_t i = 0; i < args.statements.size(); ++i) {
    Query* query = pg::advisor::AnalyzeStatement(args.statements[i]);
    core::Query q;
    q.queryid = static_cast<std::int64_t>(i + 1);
    q.text = args.statements[i];
    q.calls = 1;
    pg::advisor::DescribeQuery(query, 1, &q, writes);
    advice->workload.queries.push_back(std::move(q));
    Source source;
    source.sql = args.statements[i];
    advice->sources.push_back(std::move(source));
  }
}

// Runs the advisor; `captured` chooses the captured workload or args.statements. The
// statements dbopt runs meanwhile (catalog reads, the what-if engine's samples) are not
// captured: they run under the SQL function's guard (pg/internal_statement.hpp).
void Advise(const Arguments& args, bool captured, Advice* advice) {
  instr_time start;
  INSTR_TIME_SET_CURRENT(start);
  std::map<ObjectId, core::TableWrites> writes;
  pg::SpiConnect();
  if (captured)
    LoadCapturedWorkload(args, advice, &writes);
  else
    LoadGivenStatements(args, advice, &writes);
  advice->catalog = pg::LoadCatalog(std::nullopt);
  LoadAdvisorStatistics(advice->catalog, advice->workload);
  core::SumPartitionStatistics(&advice->catalog);
  core::CandidateOptions candidate_options = args.candidates;
  candidate_options.trigram = TrigramInstalled();
  pg::SpiFinish();

  WhatIfOracle oracle(advice->sources);
  // Queries that cannot be planned now (a dropped table, say) are left out. Their plain
  // costs are the selection's first answers (not planned twice).
  {
    core::Workload kept;
    std::vector<Source> kept_sources;
    std::vector<std::size_t> kept_positions;
    for (std::size_t q = 0; q < advice->workload.queries.size(); ++q) {
      bool ok = true;
      try {
        oracle.Probe(q);
      } catch (const pg::PgError& e) {
        if (!captured || Canceled(e)) throw;
        ok = false;
      }
      if (!ok) {
        ++advice->skipped;
        continue;
      }
      kept.queries.push_back(advice->workload.queries[q]);
      kept_sources.push_back(advice->sources[q]);
      kept_positions.push_back(q);
    }
    oracle.Keep(kept_positions);
    advice->workload.queries = std::move(kept.queries);
    advice->sources = std::move(kept_sources);
  }
  // Writes, captured: the rows the captured INSERT/UPDATE/DELETE statements wrote (the same
  // period as the calls; the table counters since the statistics reset would count bulk
  // loads before it), with the table's share of HOT updates. Given statements
  // (dbopt_recommend_indexes_for()): no capture, so the table counters, per read of the table
  // (core AddCounterWritesPerRead); the given UPDATEs tell which columns are set.
  for (auto& [table_id, written] : writes) {
    const Table* table = advice->catalog.FindTable(table_id);
    if (table == nullptr) continue;
    if (captured && table->updates > 0)
      written.hot_updated =
          written.updated * std::min(1.0, static_cast<double>(table->hot_updates) /
                                              static_cast<double>(table->updates));
    advice->workload.writes[table_id] = written;
  }
  // Uses of partitions move to their partitioned root (core/advisor/workload_input).
  core::MapPartitionsToRoots(advice->catalog, &advice->workload);
  if (!captured) {
    if (args.counter_min_reads < 0)
      advice->workload.writes.clear();
    else
      core::AddCounterWritesPerRead(advice->catalog, args.counter_min_reads, &advice->workload);
  }

  oracle.LimitExtremes(advice->workload);
  EstimateConditions(advice->catalog, oracle, &advice->workload);
  std::vector<core::Candidate> candidates =
      core::GenerateCandidates(advice->catalog, advice->workload, candidate_options);
  try {
    advice->selection =
        core::SelectIndexes(advice->catalog, advice->workload, candidates, oracle, args.selection);
  } catch (const std::invalid_argument& e) {
    pg::Fail(ERRCODE_PROGRAM_LIMIT_EXCEEDED, e.what(),
             "Use algorithm => 'dbopt', or advise on fewer queries (queryids => ...).");
  }
  advice->planner_calls = oracle.planner_calls;
  // A search cut short by its budget says so (the recommendations stand: the best set found).
  if (advice->selection.call_budget_exhausted) {
    const core::Selection& selection = advice->selection;
    pg::CallPg([&] {
      ereport(NOTICE,
              (errmsg("dbopt: the index search stopped at its budget of %zu planner calls and %zu "
                      "evaluated sets",
                      selection.call_budget, selection.evaluation_budget),
               errdetail("The greedy starts ran in full; the optional starts, local search and "
                         "refills stopped there. The advice made %zu planner calls and "
                         "evaluated %zu sets in all; the recommendations are the best set found.",
                         oracle.planner_calls, selection.evaluations),
               errhint("The budget grows with the queries and candidates (docs/advisor.md, "
                       "\"Limits\"); advise on fewer queries (queryids => ...) for a more "
                       "thorough search.")));
    });
  }
  // Where the time went (SET client_min_messages = debug1 to see it).
  for (const core::SelectionPhase& phase : advice->selection.phases)
    pg::CallPg([&] {
      elog(DEBUG1, "dbopt advisor phase %s: %zu planner calls, %zu evaluations, %.1f ms",
           phase.name.c_str(), phase.cost_requests, phase.evaluations, phase.ms);
    });
  pg::CallPg([&] {
    elog(DEBUG1, "dbopt advisor: %zu planner calls in %.1f ms, %zu failed", oracle.planner_calls,
         oracle.planner_ms, oracle.failed_plans);
  });
  IndexNamer namer(advice->catalog);
  for (const core::Recommendation& r : advice->selection.recommendations)
    advice->ddl.push_back(core::RenderRecommendation(advice->catalog, r, namer));
  advice->elapsed_ms = ElapsedMs(start);
}

std::string QueriesJson(const Advice& advice, const core::Recommendation& r) {
  JsonWriter json;
  json.BeginArray();
  for (const core::QueryEffect& effect : r.queries) {
    const core::Query& q = advice.workload.queries[effect.query];
    json.BeginObject();
    json.Key("queryid").Integer(q.queryid);
    json.Key("query");
    if (q.text.empty())
      json.Null();
    else
      json.String(q.text);
    json.Key("calls").Number(effect.calls);
    json.Key("cost_before").Number(std::round(effect.cost_before * 100) / 100);
    json.Key("cost_after").Number(std::round(effect.cost_after * 100) / 100);
    json.EndObject();
  }
  json.EndArray();
  return json.str();
}

// One row of dbopt_recommend_indexes(): the `i`th recommendation, values as the row shows them
// (rounded to cents), for the rows and for dbopt_advise()'s document alike.
struct RecommendationRow {
  std::int64_t rank = 0;
  std::string index_name, table_name, kind, queries_json;
  std::int64_t estimated_bytes = 0;
  double write_overhead = 0, benefit = 0;
  const std::vector<std::string>* remediation = nullptr;
  const std::vector<std::string>* revert = nullptr;
};

RecommendationRow DescribeRecommendation(const Advice& advice, std::size_t i) {
  const core::Recommendation& r = advice.selection.recommendations[i];
  const IndexDdl& ddl = advice.ddl[i];
  const Table* table = advice.catalog.FindTable(r.index.table_id);
  RecommendationRow row;
  row.rank = static_cast<std::int64_t>(i + 1);
  row.index_name = ddl.index;
  row.table_name = table != nullptr ? QualifiedName(*table) : r.index.table;
  row.kind = core::CandidateKindName(r.index.kind);
  row.estimated_bytes = static_cast<std::int64_t>(std::llround(r.size_bytes));
  row.write_overhead = std::round(r.write_cost * 100) / 100;
  row.benefit = std::round(r.benefit * 100) / 100;
  row.queries_json = QueriesJson(advice, r);
  row.remediation = &ddl.remediation;
  row.revert = &ddl.revert;
  return row;
}

void EmitRecommendations(FunctionCallInfo fcinfo, const Advice& advice) {
  pg::ResultSet result(fcinfo);
  for (std::size_t i = 0; i < advice.selection.recommendations.size(); ++i) {
    const RecommendationRow row = DescribeRecommendation(advice, i);
    result.AddRow({pg::Cell::Int(row.rank), pg::Cell::Text(row.index_name),
                   pg::Cell::Text(row.table_name), pg::Cell::Text(row.kind),
                   pg::Cell::Int(row.estimated_bytes), pg::Cell::Float(row.write_overhead),
                   pg::Cell::Float(row.benefit), pg::Cell::Json(row.queries_json),
                   pg::Cell::Array(*row.remediation), pg::Cell::Array(*row.revert)});
  }
}

// The row of dbopt_recommendation_summary(), rounded as it shows it.
core::AdviceSummary Summarize(const Advice& advice) {
  const core::Selection& s = advice.selection;
  core::AdviceSummary row;
  row.algorithm = core::AlgorithmName(s.algorithm);
  row.queries = static_cast<std::int64_t>(advice.workload.queries.size());
  row.skipped_queries = static_cast<std::int64_t>(advice.skipped);
  row.candidates = static_cast<std::int64_t>(s.candidates);
  row.recommendations = static_cast<std::int64_t>(s.recommendations.size());
  row.cost_before = std::round(s.cost_before * 100) / 100;
  row.cost_after = std::round(s.cost_after * 100) / 100;
  row.improvement_pct =
      s.cost_before > 0 ? std::round(1000 * (1 - s.cost_after / s.cost_before)) / 10 : 0;
  row.write_cost = std::round(s.write_cost_after * 100) / 100;
  row.budget_bytes = advice.budget_bytes < 0 ? -1 : static_cast<std::int64_t>(advice.budget_bytes);
  row.bytes_used = static_cast<std::int64_t>(std::llround(s.bytes_used));
  row.planner_calls = static_cast<std::int64_t>(advice.planner_calls);
  row.elapsed_ms = std::round(advice.elapsed_ms * 10) / 10;
  row.below_floor = static_cast<std::int64_t>(s.below_floor);
  return row;
}

// dbopt_advise(): {"summary": <the summary row>, "recommendations": [<the rows>, ...]}, keys
// named as the functions' columns.
std::string AdviceDocument(const Advice& advice) {
  JsonWriter json;
  json.BeginObject().Key("summary");
  core::WriteSummaryJson(json, Summarize(advice));
  json.Key("recommendations").BeginArray();
  for (std::size_t i = 0; i < advice.selection.recommendations.size(); ++i) {
    const RecommendationRow row = DescribeRecommendation(advice, i);
    json.BeginObject()
        .Field("rank", row.rank)
        .Field("index_name", row.index_name)
        .Field("table_name", row.table_name)
        .Field("kind", row.kind)
        .Field("estimated_bytes", row.estimated_bytes)
        .Field("write_overhead", row.write_overhead)
        .Field("benefit", row.benefit)
        .Key("queries")
        .Raw(row.queries_json)
        .Field("remediation", *row.remediation)
        .Field("revert", *row.revert)
        .EndObject();
  }
  json.EndArray().EndObject();
  return json.str();
}

// The advice on the captured workload for dbopt_recommend_indexes() and
// dbopt_recommendation_summary() (same arguments).
void AdviseCaptured(FunctionCallInfo fcinfo, const char* function_name, Advice* advice) {
  pg::RequirePreload(function_name);
  Arguments args = ReadArguments(fcinfo, 0);
  ReadCaptureArguments(fcinfo, 4, &args);
  ReadBenefitFloor(fcinfo, 7, &args);
  const int level = pg::BeginCallerSearchPath(fcinfo, 6);
  Advise(args, true, advice);
  advice->budget_bytes = args.selection.budget_bytes;
  pg::EndCallerSearchPath(level);
}

}  // namespace

DBOPT_FUNCTION(dbopt_recommend_indexes) {
  Advice advice;
  AdviseCaptured(fcinfo, "dbopt_recommend_indexes", &advice);
  EmitRecommendations(fcinfo, advice);
  return (Datum)0;
}

DBOPT_FUNCTION(dbopt_recommendation_summary) {
  Advice advice;
  AdviseCaptured(fcinfo, "dbopt_recommendation_summary", &advice);
  const core::AdviceSummary s = Summarize(advice);
  pg::ResultSet result(fcinfo);
  result.AddRow({pg::Cell::Text(s.algorithm), pg::Cell::Int(s.queries),
                 pg::Cell::Int(s.skipped_queries), pg::Cell::Int(s.candidates),
                 pg::Cell::Int(s.recommendations), pg::Cell::Float(s.cost_before),
                 pg::Cell::Float(s.cost_after), pg::Cell::Float(s.improvement_pct),
                 pg::Cell::Float(s.write_cost),
                 s.budget_bytes < 0 ? pg::Cell::Null() : pg::Cell::Int(s.budget_bytes),
                 pg::Cell::Int(s.bytes_used), pg::Cell::Int(s.planner_calls),
                 pg::Cell::Float(s.elapsed_ms), pg::Cell::Int(s.below_floor)});
  return (Datum)0;
}

// Both of the above from one run of the advisor (dbopt advise uses it).
DBOPT_FUNCTION(dbopt_advise) {
  Advice advice;
  AdviseCaptured(fcinfo, "dbopt_advise", &advice);
  const std::string document = AdviceDocument(advice);
  Datum result = 0;
  pg::CallPg([&] { result = pg::JsonbFromText(document); });
  PG_RETURN_DATUM(result);
}

DBOPT_FUNCTION(dbopt_recommend_indexes_for) {
  if (PG_ARGISNULL(0))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "queries must not be null",
             "Pass an array of SQL statements, e.g. ARRAY['SELECT ... WHERE a = 1'].");
  Arguments args = ReadArguments(fcinfo, 1);
  for (const std::optional<std::string>& statement : TextArray(fcinfo, 0)) {
    if (!statement)
      pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "queries must not contain NULL",
               "Pass one SQL statement per array element.");
    args.statements.push_back(*statement);
  }
  if (args.statements.empty())
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "queries must not be empty",
             "Pass one SQL statement per array element.");
  if (PG_ARGISNULL(6))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "writes must not be null", kWritesHint);
  const std::string writes = ArgText(fcinfo, 6);
  if (writes == "auto")
    args.counter_min_reads = kAutoMinReads;
  else if (writes == "statistics")
    args.counter_min_reads = 0;
  else if (writes != "none")
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "unknown writes \"" + writes + "\"", kWritesHint);
  ReadBenefitFloor(fcinfo, 7, &args);
  const int level = pg::BeginCallerSearchPath(fcinfo, 5);
  Advice advice;
  Advise(args, false, &advice);
  pg::EndCallerSearchPath(level);
  EmitRecommendations(fcinfo, advice);
  return (Datum)0;
}
