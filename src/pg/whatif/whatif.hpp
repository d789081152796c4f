// The what-if engine: hypothetical indexes, described by their CREATE INDEX text, that the
// planner sees only while dbopt itself plans a statement in this backend.
//
//   whatif::Scope scope;
//   int a = scope.Add("CREATE INDEX ON public.orders (customer_id, created_at DESC)");
//   int b = scope.Add("CREATE INDEX ON public.orders USING gin (note gin_trgm_ops)");
//   whatif::IndexSize size = scope.EstimatedSize(a);
//   whatif::PlanResult before = scope.PlanSql("SELECT ... FROM public.orders ...", {});
//   whatif::PlanResult after = scope.PlanSql("SELECT ... FROM public.orders ...", {a, b});
//
// Lifetime and visibility: a hypothetical index is injected through get_relation_info_hook
// (chained) only for the duration of one Plan* call of one Scope, and only into the relation
// it is defined on. The hook is disarmed when the call returns, on any error (PG_FINALLY) and
// at transaction end (a transaction callback); planned statements are never executed. Other
// sessions, and every other statement of this session, never see a hypothetical index.
//
// Errors: every method runs its PostgreSQL calls through pg::CallPg and reports errors as C++
// exceptions (pg::SqlError for bad DDL with a SQLSTATE and hint, pg::PgError for errors raised
// by PostgreSQL); nothing longjmps out of them. Call them from a DBOPT_FUNCTION body or other
// C++ code of src/pg; a failed Plan* call leaves the transaction as it found it only when
// `isolated` is set (it then runs in an internal subtransaction, for callers that want to skip
// one bad query and go on).
//
// Parsed forms are cached per statement text for the session (and dropped when the table's
// relcache entry is invalidated), so adding the same text to many scopes parses it once.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pg/postgres.hpp"

namespace dbopt::pg::whatif {

// What a fresh CREATE INDEX of the hypothetical index would produce (src/core/whatif size
// model, fed with the table's statistics).
struct IndexSize {
  std::int64_t bytes = 0;
  double pages = 0;      // BLCKSZ pages, metapage included
  double tuples = 0;     // entries the planner assumes (index->tuples)
  int tree_height = -1;  // B-tree levels above the leaves (as _bt_getrootheight), else -1
};

// The cost of one planned statement (the statement that sets the command tag).
struct PlanResult {
  double startup_cost = 0;
  double total_cost = 0;
  double rows = 0;
  std::vector<int> hypothetical_used;  // positions in the Scope, ascending, no duplicates
  std::vector<Oid> real_used;          // OIDs of real indexes the plan scans, ascending
};

// What a hypothetical index is, once parsed and resolved.
struct IndexInfo {
  std::string ddl;                       // the text given to Add
  std::string name;                      // the given name, or a generated <table>_<columns>_idx
  Oid table = InvalidOid;                // the table it is defined on
  std::string table_name;                // schema-qualified, quoted as needed
  std::string access_method;             // "btree", "hash", "gin"
  std::vector<std::string> key_columns;  // column names, or the expression's SQL text
  std::vector<std::string> include_columns;
  bool partial = false;
  bool unique = false;
  Oid fake_oid = InvalidOid;  // the OID plans show for it (never a pg_class entry)
};

class Scope {
 public:
  Scope();
  ~Scope();  // noexcept; calls no PostgreSQL function
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  // Parses and validates one CREATE INDEX statement and adds it; returns its position (the
  // same text added twice gives the same position). Throws SqlError: syntax errors
  // (ERRCODE_SYNTAX_ERROR), not a CREATE INDEX (ERRCODE_WRONG_OBJECT_TYPE), unknown table or
  // column (ERRCODE_UNDEFINED_TABLE / _COLUMN), unsupported access method or table kind
  // (ERRCODE_FEATURE_NOT_SUPPORTED), each with a hint.
  int Add(const std::string& create_index);
  int size() const { return static_cast<int>(indexes_.size()); }
  const IndexInfo& Info(int position) const;

  // Size of a fresh build of the index (cached per position).
  IndexSize EstimatedSize(int position);

  // The planner reads a real B-tree's ends for the actual extremes of its leading column only
  // for range conditions (<, <=, >, >=, BETWEEN, LIKE 'abc%') and merge joins on it; the
  // engine reads them (a scan of the table, once per session) for every leading column unless
  // told which columns of `table` can need them: then only for those. Unknown names are
  // ignored; tables never limited keep reading them all (partitions included).
  void LimitExtremes(Oid table, const std::vector<std::string>& columns);

  // Plans with the hypothetical indexes at `active` visible (no others), and never executes.
  // PlanSql: one SQL statement (unknown $n parameters get their inferred types; the plan is
  // then generic). PlanQuery: an analyzed, not yet rewritten Query (copied, not modified),
  // with `params` bound parameter values the planner may fold in (a custom plan: a parsed
  // sample, pg/replan.hpp ParsedSample) or none.
  // PlanSample: a replayable capture sample (see pg/replan.hpp).
  PlanResult PlanSql(const std::string& sql, const std::vector<int>& active, bool isolated = false);
  PlanResult PlanQuery(const Query* query, const std::vector<int>& active, bool isolated = false,
                       ParamListInfo params = nullptr);
  PlanResult PlanSample(const char* sample, const std::vector<int>& active, bool isolated = false);

  // EXPLAIN (costs on, format text) of one SQL statement with `active` visible; hypothetical
  // indexes appear as "<hypothetical> name". Also returns the costs when `result` is set.
  std::string ExplainSql(const std::string& sql, const std::vector<int>& active,
                         PlanResult* result = nullptr);

  // Implementation detail, public for the planner hook in whatif.cpp.
  struct Entry;

 private:
  std::vector<Entry*> Activate(const std::vector<int>& active);
  IndexSize Size(Entry* entry);  // EstimatedSize of any entry, a partition index included
  std::vector<Entry*> indexes_;  // owned; Entry holds no PostgreSQL memory
  std::map<Oid, std::set<AttrNumber>> extreme_columns_;  // LimitExtremes
  // Whether a table's rows changed since its last ANALYZE (decided once per scope): if not,
  // its histogram's ends are its sample's extremes of the same rows, and the actual extremes
  // (a scan) would move them by no more than the sample's chance.
  bool ChangedSinceAnalyze(Oid table);
  std::map<Oid, bool> changed_since_analyze_;
};

}  // namespace dbopt::pg::whatif
