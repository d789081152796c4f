// dbopt_text_search(min_calls): slow text search in the captured workload. For each captured
// query of this database whose access paths list a LIKE/ILIKE, regex or full-text (@@)
// qual, the query is planned again from its replayable sample with its sampled values (the
// custom plan, constants folded) and the text predicates of every relation scan are read:
// the searched column or expression, the operator, the pattern, and whether an index scan
// already tests it (an index condition) or it is a filter applied row by row. The core
// (core/antipatterns/text_search) judges each; a proposed index is verified with the what-if
// engine (the query planned again with the hypothetical GIN index: recommended only when the
// planner uses it and the cost drops). Samples hold literal values: a caller who may not read
// every query text (pg_read_all_stats) sees only the findings of their own queries.
#include "core/antipatterns/text_search.hpp"
#include "core/advisor/render.hpp"
#include "core/advisor/workload_input.hpp"
#include "core/common/sql_text.hpp"
#include "pg/result_set.hpp"  // first: includes core headers

#include <utility>
#include "pg/capture_sql.hpp"
#include "pg/advisor_query.hpp"
#include "pg/catalog.hpp"
#include "pg/guard.hpp"
#include "pg/isolated.hpp"
#include "pg/module.hpp"
#include "pg/replan.hpp"
#include "pg/spi.hpp"
#include "pg/whatif/whatif.hpp"

extern "C" {
#include "catalog/partition.h"
#include "catalog/pg_type_d.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteManip.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
}

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace dbopt;
namespace ap = dbopt::antipatterns;
namespace whatif = dbopt::pg::whatif;
using pg::Cell;

// A clause of a relation scan, as the plan has it (collected by the plan walk; read later).
struct RawClause {
  Oid relid;
  int scanrelid;
  Node* clause;
  bool index_condition;
};

struct WalkState {
  PlannedStmt* stmt;
  std::vector<RawClause>* out;
};

// Operator clauses of an implicitly-ANDed list, through AND and OR (not NOT: a negated
// pattern is never served by an index).
void AddClauses(WalkState* state, Oid relid, int scanrelid, Node* node, bool index_condition) {
  if (node == nullptr) return;
  if (IsA(node, List)) {
    ListCell* cell;
    foreach (cell, reinterpret_cast<List*>(node))
      AddClauses(state, relid, scanrelid, static_cast<Node*>(lfirst(cell)), index_condition);
  } else if (IsA(node, BoolExpr)) {
    BoolExpr* b = reinterpret_cast<BoolExpr*>(node);
    if (b->boolop != NOT_EXPR)
      AddClauses(state, relid, scanrelid, reinterpret_cast<Node*>(b->args), index_condition);
  } else if (IsA(node, OpExpr) && list_length(reinterpret_cast<OpExpr*>(node)->args) == 2) {
    state->out->push_back(RawClause{relid, scanrelid, node, index_condition});
  }
}

bool VisitScan(Plan* plan, void* arg) {
  auto* state = static_cast<WalkState*>(arg);
  Node* index_quals = nullptr;
  switch (nodeTag(plan)) {
    case T_SeqScan:
    case T_SampleScan:
    case T_TidScan:
    case T_TidRangeScan:
      break;
    case T_IndexScan:
      index_quals = reinterpret_cast<Node*>(reinterpret_cast<IndexScan*>(plan)->indexqualorig);
      break;
    case T_IndexOnlyScan:
      index_quals = reinterpret_cast<Node*>(reinterpret_cast<IndexOnlyScan*>(plan)->recheckqual);
      break;
    case T_BitmapHeapScan:
      index_quals =
          reinterpret_cast<Node*>(reinterpret_cast<BitmapHeapScan*>(plan)->bitmapqualorig);
      break;
    default:
      return true;
  }
  const int scanrelid = static_cast<int>(reinterpret_cast<Scan*>(plan)->scanrelid);
  const Oid relid = rt_fetch(scanrelid, state->stmt->rtable)->relid;
  AddClauses(state, relid, scanrelid, reinterpret_cast<Node*>(plan->qual), false);
  AddClauses(state, relid, scanrelid, index_quals, true);
  return !IsA(plan, BitmapHeapScan);
}

Node* Strip(Node* node) {
  while (node != nullptr && IsA(node, RelabelType))
    node = reinterpret_cast<Node*>(reinterpret_cast<RelabelType*>(node)->arg);
  return node;
}

std::string Owned(const char* text) {
  return text != nullptr ? std::string(text) : std::string();
}

// The table an index would go on: a partition's topmost partitioned ancestor.
Oid RootOf(Oid relid) {
  Oid root = relid;
  pg::CallPg([&] {
    if (get_rel_relispartition(relid)) {
      List* ancestors = get_partition_ancestors(relid);
      if (ancestors != NIL) root = llast_oid(ancestors);
    }
  });
  return root;
}

// Whether `node` reads columns of range entry `varno` only (true) and reads any at all.
bool ReadsOnly(Node* node, int varno, bool* reads_any) {
  List* vars = nullptr;
  pg::CallPg([&] {
    vars = pull_var_clause(
        node, PVC_RECURSE_AGGREGATES | PVC_RECURSE_WINDOWFUNCS | PVC_RECURSE_PLACEHOLDERS);
  });
  *reads_any = vars != nullptr;
  ListCell* cell;
  foreach (cell, vars) {
    const Var* var = static_cast<Var*>(lfirst(cell));
    if (static_cast<int>(var->varno) != varno || var->varlevelsup != 0) return false;
  }
  return true;
}

// A text predicate found in a scan of `relid`; the index would go on `table`.
struct Found {
  Oid relid = InvalidOid;
  Oid table = InvalidOid;
  ap::TextPredicate predicate;
};

// Reads one operator clause of a scan; false when it is not a text search of the scanned
// relation's column or expression against a value.
bool ReadClause(const RawClause& raw, Found* found) {
  OpExpr* op = reinterpret_cast<OpExpr*>(raw.clause);
  char* opname = nullptr;
  pg::CallPg([&] { opname = get_opname(op->opno); });
  const std::optional<ap::TextOperator> kind = ap::ParseTextOperator(Owned(opname));
  if (!kind) return false;
  Node* sides[2] = {Strip(static_cast<Node*>(linitial(op->args))),
                    Strip(static_cast<Node*>(lsecond(op->args)))};
  bool reads[2] = {false, false};
  const bool only[2] = {ReadsOnly(sides[0], raw.scanrelid, &reads[0]),
                        ReadsOnly(sides[1], raw.scanrelid, &reads[1])};
  // LIKE and regex search their left side; @@ either (tsvector @@ tsquery or the reverse).
  int searched = -1;
  if (reads[0] && only[0] && !reads[1]) searched = 0;
  if (*kind == ap::TextOperator::kFullText && reads[1] && only[1] && !reads[0]) searched = 1;
  if (searched < 0) return false;
  Node* target = sides[searched];
  Node* value = sides[1 - searched];
  ap::TextPredicate& p = found->predicate;
  p.op = *kind;
  p.index_condition = raw.index_condition;
  if (IsA(target, Var) && reinterpret_cast<Var*>(target)->varattno > 0) {
    char* name = nullptr;
    pg::CallPg(
        [&] { name = get_attname(raw.relid, reinterpret_cast<Var*>(target)->varattno, true); });
    p.column = Owned(name);
    if (p.column.empty()) return false;
    p.tsvector_column = exprType(target) == TSVECTOROID;
  } else {
    p.expression = pg::advisor::DeparseExpression(target, raw.relid, raw.scanrelid);
    if (p.expression.empty()) return false;
    bool mutable_functions = true;
    pg::CallPg([&] { mutable_functions = contain_mutable_functions(target); });
    p.immutable = !mutable_functions;
  }
  if (IsA(value, Const) && !reinterpret_cast<Const*>(value)->constisnull) {
    const Const* constant = reinterpret_cast<Const*>(value);
    char* shown = nullptr;
    pg::CallPg([&] {
      if (constant->consttype == TEXTOID || constant->consttype == VARCHAROID ||
          constant->consttype == BPCHAROID) {
        shown = TextDatumGetCString(constant->constvalue);
      } else if (*kind == ap::TextOperator::kFullText) {
        Oid output = InvalidOid;
        bool varlena = false;
        getTypeOutputInfo(constant->consttype, &output, &varlena);
        shown = OidOutputFunctionCall(output, constant->constvalue);
      }
    });
    if (shown != nullptr) p.pattern = Owned(shown);
  }
  found->relid = raw.relid;
  found->table = RootOf(raw.relid);
  return true;
}

// The text predicates of every relation scan of the sample's custom plan.
std::vector<Found> ReadPlan(const char* sample) {
  std::vector<RawClause> raws;
  std::vector<Found> found;
  const bool planned = pg::RunIsolated([&] {
    pg::CallPg([&] {
      PlannedStmt* stmt = pg::capture::ReplanSample(sample, false);
      WalkState state{stmt, &raws};
      pg::capture::WalkPlan(stmt->planTree, VisitScan, &state);
      ListCell* cell;
      foreach (cell, stmt->subplans)
        pg::capture::WalkPlan(static_cast<Plan*>(lfirst(cell)), VisitScan, &state);
    });
    for (const RawClause& raw : raws) {
      Found f;
      if (ReadClause(raw, &f)) found.push_back(std::move(f));
    }
  });
  if (!planned) found.clear();  // a relation dropped since capture, say
  return found;
}

bool HasTextQual(const pg::capture::EntryCopy& entry) {
  for (int a = 0; a < entry.access_count; ++a)
    for (int q = 0; q < entry.access[a].qual_count && q < pg::capture::kMaxQuals; ++q) {
      const capture::QualKind kind = entry.access[a].quals[q].kind;
      if (kind == capture::QualKind::kLike || kind == capture::QualKind::kRegex ||
          kind == capture::QualKind::kFullText)
        return true;
    }
  return false;
}

// Rows the filters of the query's scans of `table` (or of its partitions) removed per
// sampled execution; nullopt when no execution was sampled.
std::optional<double> RemovedByFilter(const pg::capture::EntryCopy& entry, Oid table) {
  double removed = 0;
  std::int64_t samples = 0;
  for (int a = 0; a < entry.access_count; ++a) {
    const pg::capture::AccessRecord& record = entry.access[a];
    if (record.samples <= 0 || RootOf(record.relid) != table) continue;
    removed += record.removed_by_filter;
    samples = std::max<std::int64_t>(samples, record.samples);
  }
  if (samples == 0) return std::nullopt;
  return removed / static_cast<double>(samples);
}

// One captured query to examine.
struct Examined {
  const pg::capture::EntryCopy* entry;
  std::string sample;
  std::vector<Found> found;
  std::vector<ap::TextVerdict> verdicts;
  std::vector<ap::PatternAnalysis> analyses;
};

double Rounded(double cost) {
  return std::round(cost * 100) / 100;
}

// A query whose LIMIT makes the planner expect a sequential scan to stop early, while its
// captured calls read most of the table (rows removed by the filter at least half the
// table's rows): the index is verified on the search alone. Sets the costs on success.
bool SearchAlone(whatif::Scope& scope, const Catalog& catalog, const Found& f,
                 ap::TextSearchCase& c, int position) {
  const Table* table = catalog.FindTable(f.table);
  if (table == nullptr || table->rows <= 0 || !c.removed_by_filter ||
      *c.removed_by_filter < table->rows / 2)
    return false;
  const std::string sql = ap::SearchStatement(QualifiedName(*table), f.predicate);
  if (sql.empty()) return false;
  try {
    const whatif::PlanResult before = scope.PlanSql(sql, {}, true);
    const whatif::PlanResult after = scope.PlanSql(sql, {position}, true);
    if (after.hypothetical_used.empty() || after.total_cost >= before.total_cost) return false;
    c.search_only = true;
    c.cost_before = Rounded(before.total_cost);
    c.cost_after = Rounded(after.total_cost);
    return true;
  } catch (const pg::PgError& error) {
    if (error.data()->sqlerrcode == ERRCODE_QUERY_CANCELED) throw;
    return false;
  }
}

}  // namespace

DBOPT_FUNCTION(dbopt_text_search) {
  if (PG_ARGISNULL(0))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_calls must not be NULL",
             "Pass a number of calls of at least 1, or omit the argument.");
  const int64 min_calls = PG_GETARG_INT64(0);
  if (min_calls < 1)
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE,
             "min_calls must be at least 1, not " + std::to_string(min_calls),
             "It is the number of calls a captured query needs to be examined.");
  if (PG_ARGISNULL(1))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "min_rows must not be NULL",
             "Pass a number of rows of at least 0, or omit the argument.");
  const int64 min_rows = PG_GETARG_INT64(1);
  if (min_rows < 0)
    pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE,
             "min_rows must be at least 0, not " + std::to_string(min_rows),
             "Findings without a verified index (a pattern too short, pg_trgm missing) are "
             "reported on relations of at least that many rows.");
  pg::RequirePreload("dbopt_text_search");
  pg::capture::StoreCopy snapshot = pg::capture::TakeSnapshot("dbopt_text_search", true);
  const bool see_all = pg::capture::MaySeeAllTexts();
  const Oid me = GetUserId();

  // 1. Each captured query with a text qual: its scans' text predicates, re-planned.
  std::vector<Examined> examined;
  for (int i = 0; i < snapshot.count; ++i) {
    const pg::capture::EntryCopy& copy = snapshot.entries[i];
    if (copy.key.dbid != MyDatabaseId || copy.key.origin != pg::capture::kLocalOriginId) continue;
    if (!see_all && copy.key.userid != me) continue;
    if (copy.counters.calls < min_calls) continue;
    if (!HasTextQual(copy) && (copy.text == nullptr || !ap::MentionsTextSearch(copy.text)))
      continue;
    char* sample = nullptr;
    pg::CallPg([&] { sample = pg::capture::StoreGetSample(copy.key); });
    if (sample == nullptr) continue;
    Examined e;
    e.entry = &copy;
    e.sample = sample;
    e.found = ReadPlan(sample);
    // A column an index condition already searches is served, whatever else filters it.
    std::set<std::pair<Oid, std::string>> served;
    for (const Found& f : e.found)
      if (f.predicate.index_condition) served.emplace(f.table, f.predicate.Searched());
    std::set<std::tuple<Oid, std::string, int>> seen;
    std::vector<Found> kept;
    for (Found& f : e.found) {
      ap::PatternAnalysis analysis;
      const ap::TextVerdict verdict = ap::Judge(f.predicate, &analysis);
      if (verdict == ap::TextVerdict::kServed || verdict == ap::TextVerdict::kPrefix) continue;
      if (served.count({f.table, f.predicate.Searched()}) != 0) continue;
      if (!seen.emplace(f.table, f.predicate.Searched(), static_cast<int>(f.predicate.op)).second)
        continue;
      e.verdicts.push_back(verdict);
      e.analyses.push_back(analysis);
      kept.push_back(std::move(f));
    }
    e.found = std::move(kept);
    if (!e.found.empty()) examined.push_back(std::move(e));
  }

  // 2. The catalog (existing indexes, names, partitions) and pg_trgm, when an index may be
  // proposed.
  Catalog catalog;
  std::string trigram_opclass;  // qualified: the function runs with its own search_path
  if (!examined.empty()) {
    pg::SpiConnect();
    catalog = pg::LoadCatalog(std::nullopt);
    advisor::SumPartitionStatistics(&catalog);
    pg::QueryResult opclass = pg::SpiQuery(
        "SELECT n.nspname FROM pg_catalog.pg_opclass c"
        "  JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace"
        "  JOIN pg_catalog.pg_am a ON a.oid = c.opcmethod"
        " WHERE c.opcname = 'gin_trgm_ops' AND a.amname = 'gin' ORDER BY 1 LIMIT 1");
    if (opclass.rows() > 0) trigram_opclass = QuoteIdent(opclass.Text(0, 0)) + ".gin_trgm_ops";
    pg::SpiFinish();
  }
  const bool trigram = !trigram_opclass.empty();
  IndexNamer namer(catalog);
  whatif::Scope scope;

  // 3. Per query: verify its proposed indexes together, then one finding per predicate.
  struct Row {
    ap::TextSearchCase c;
    Finding finding;
    const pg::capture::EntryCopy* entry;
  };
  std::vector<Row> rows;
  for (Examined& e : examined) {
    const pg::capture::EntryCopy& copy = *e.entry;
    std::vector<ap::TextSearchCase> cases;
    std::vector<advisor::Candidate> candidates;
    std::vector<int> positions;        // per case: scope position, -1 when nothing to verify
    std::vector<std::size_t> indexes;  // per case: its predicate in e.found
    for (std::size_t k = 0; k < e.found.size(); ++k) {
      const Found& f = e.found[k];
      ap::TextSearchCase c;
      c.queryid = static_cast<std::int64_t>(copy.key.queryid);
      c.toplevel = copy.key.toplevel;
      c.relation = pg::capture::RelationName(f.table);
      c.predicate = f.predicate;
      c.analysis = e.analyses[k];
      c.verdict = e.verdicts[k];
      c.calls = copy.counters.calls;
      c.total_ms = copy.counters.total_time;
      c.removed_by_filter = RemovedByFilter(copy, f.table);
      int position = -1;
      advisor::Candidate candidate;
      const Table* table = catalog.FindTable(f.table);
      if (c.verdict == ap::TextVerdict::kCandidate && table != nullptr) {
        candidate = ap::IndexFor(f.table, QualifiedName(*table), f.predicate,
                                 trigram ? trigram_opclass : "gin_trgm_ops");
        c.index_ddl = candidate.Ddl();
        // Definitions may show the operator class qualified or not: compare on its name.
        advisor::Candidate unqualified = ap::IndexFor(f.table, QualifiedName(*table), f.predicate);
        bool exists = false;
        for (const dbopt::Index* index : catalog.IndexesOf(f.table))
          exists = exists || advisor::ExistingCovers(catalog, *index, unqualified);
        if (exists) continue;  // the planner has that index and prefers not to use it
        if (!candidate.requires_extension.empty() && !trigram) {
          c.trigram_missing = true;
        } else {
          try {
            position = scope.Add(c.index_ddl);
          } catch (const pg::SqlError&) {
            continue;  // the what-if engine cannot model it: nothing verified
          }
        }
      } else if (c.verdict == ap::TextVerdict::kCandidate) {
        continue;  // dropped since
      }
      // Without a verified index, a small table's scan is not worth a finding.
      if (position < 0 && (table == nullptr || table->rows < static_cast<double>(min_rows)))
        continue;
      cases.push_back(std::move(c));
      candidates.push_back(std::move(candidate));
      positions.push_back(position);
      indexes.push_back(k);
    }
    std::vector<int> active;
    for (int position : positions)
      if (position >= 0) active.push_back(position);
    std::sort(active.begin(), active.end());
    active.erase(std::unique(active.begin(), active.end()), active.end());
    whatif::PlanResult before, after;
    bool planned = false;
    if (!active.empty()) {
      try {
        before = scope.PlanSample(e.sample.c_str(), {}, true);
        after = scope.PlanSample(e.sample.c_str(), active, true);
        planned = true;
      } catch (const pg::PgError& error) {
        if (error.data()->sqlerrcode == ERRCODE_QUERY_CANCELED) throw;
      }
    }
    for (std::size_t k = 0; k < cases.size(); ++k) {
      ap::TextSearchCase& c = cases[k];
      if (positions[k] >= 0) {
        const bool used =
            planned && std::find(after.hypothetical_used.begin(), after.hypothetical_used.end(),
                                 positions[k]) != after.hypothetical_used.end();
        // Recommended only when the planner would use it and the query gets cheaper.
        if (used && after.total_cost < before.total_cost) {
          c.cost_before = Rounded(before.total_cost);
          c.cost_after = Rounded(after.total_cost);
        } else if (!SearchAlone(scope, catalog, e.found[indexes[k]], c, positions[k])) {
          continue;
        }
        c.verified = true;
        advisor::Recommendation recommendation;
        recommendation.index = candidates[k];
        c.ddl = advisor::RenderRecommendation(catalog, recommendation, namer);
      }
      Finding finding = ap::TextSearchFinding(c);
      rows.push_back(Row{std::move(c), std::move(finding), e.entry});
    }
  }

  // Most time first.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(b.c.total_ms, a.c.queryid, a.c.relation) <
           std::tie(a.c.total_ms, b.c.queryid, b.c.relation);
  });
  pg::ResultSet result(fcinfo);
  for (const Row& row : rows) {
    const ap::TextSearchCase& c = row.c;
    const Finding& f = row.finding;
    std::vector<Cell> cells = dbopt::pg::FindingCells(f);
    cells.insert(cells.end(),
                 {Cell::Int(row.entry->key.userid), Cell::Int(c.queryid), Cell::Bool(c.toplevel),
                  row.entry->text != nullptr ? Cell::Text(row.entry->text) : Cell::Null(),
                  Cell::Text(c.relation), Cell::Text(c.predicate.Searched()),
                  Cell::Text(ap::TextOperatorSql(c.predicate.op)),
                  c.predicate.pattern ? Cell::Text(*c.predicate.pattern) : Cell::Null(),
                  Cell::Int(c.calls), Cell::Float(c.total_ms),
                  Cell::Float(c.calls > 0 ? c.total_ms / static_cast<double>(c.calls) : 0),
                  c.removed_by_filter ? Cell::Float(*c.removed_by_filter) : Cell::Null(),
                  Cell::Bool(c.verified), c.verified ? Cell::Float(c.cost_before) : Cell::Null(),
                  c.verified ? Cell::Float(c.cost_after) : Cell::Null()});
    result.AddRow(std::move(cells));
  }
  return (Datum)0;
}
