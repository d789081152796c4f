// Index selection: the evaluator (cached, per-table incremental objective) and three
// algorithms over it.
//
// dbopt's own algorithm: two greedy runs from the empty set (best objective reduction per
// byte, and best reduction), and Extend's result, each improved by local search (add, drop,
// swap one index for another) until no move lowers the objective; the best of the three wins.
// Greedy moves also upgrade a chosen index to a wider candidate that starts with its keys.
// Runtime: each query is planned with all candidates of its tables (its floor), then with those
// that may serve it less the ones plans already used until a plan uses none ("peeling": one
// planner call per index a plan picks, not one per candidate); candidates no plan picked are
// not searched, and each query is planned only with the chosen candidates its plans use.
// Greedy runs (and the Extend start) are lazy: a priority queue of upper bounds of each move's
// benefit (its queries down to their floors) evaluates only moves that may be the best step,
// and a step re-bounds only the moves on the tables it affected; local search skips moves whose
// bound cannot beat the best found. The optional starts and local search stop at a
// planner-call and evaluation budget scaled to the workload (SelectionOptions).
//
// Extend (Schlosser, Kossmann, Boissier: "Efficient Scalable Multi-Attribute Index Selection
// Using Recursive Strategies", ICDE 2019), as published: start with no index; in every step
// either add a single-column index on an indexable attribute of the workload, or append one
// attribute (of a query on the same table that uses the index's attributes) to an index
// already chosen; take the step with the best objective reduction per byte of additional
// storage; stop when no step fits the budget or lowers the objective.
#include "core/advisor/selection.hpp"

#include "core/advisor/write_cost.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <set>
#include <stdexcept>

namespace dbopt::advisor {

bool ParseAlgorithm(const std::string& name, Algorithm* algorithm) {
  if (name == "dbopt")
    *algorithm = Algorithm::kDbopt;
  else if (name == "extend")
    *algorithm = Algorithm::kExtend;
  else if (name == "exhaustive")
    *algorithm = Algorithm::kExhaustive;
  else
    return false;
  return true;
}

const char* AlgorithmName(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kDbopt:
      return "dbopt";
    case Algorithm::kExtend:
      return "extend";
    case Algorithm::kExhaustive:
      return "exhaustive";
  }
  return "dbopt";
}

double ParseSizeBytes(const std::string& text) {
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  skip_blanks();
  const std::size_t number_start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  const std::string number = text.substr(number_start, i - number_start);
  if (number.empty() || number == "." || std::count(number.begin(), number.end(), '.') > 1)
    throw std::invalid_argument("invalid size: \"" + text + "\"");
  double value = std::stod(number);
  skip_blanks();
  std::string unit;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i++])));
  skip_blanks();
  if (i != text.size()) throw std::invalid_argument("invalid size: \"" + text + "\"");
  double multiplier = 1;
  if (unit.empty() || unit == "b" || unit == "bytes")
    multiplier = 1;
  else if (unit == "kb")
    multiplier = 1024.0;
  else if (unit == "mb")
    multiplier = 1024.0 * 1024;
  else if (unit == "gb")
    multiplier = 1024.0 * 1024 * 1024;
  else if (unit == "tb")
    multiplier = 1024.0 * 1024 * 1024 * 1024;
  else
    throw std::invalid_argument("invalid size unit \"" + unit + "\" in \"" + text + "\"");
  return value * multiplier;
}

double CostOracle::CostUsing(std::size_t query, const std::vector<std::string>& index_ddls,
                             std::vector<std::size_t>* used) {
  used->clear();
  for (std::size_t i = 0; i < index_ddls.size(); ++i) used->push_back(i);
  return Cost(query, index_ddls);
}

namespace {

IdSet With(IdSet set, std::size_t id) {
  set.insert(std::lower_bound(set.begin(), set.end(), id), id);
  return set;
}
IdSet Without(IdSet set, std::size_t id) {
  set.erase(std::remove(set.begin(), set.end(), id), set.end());
  return set;
}
bool Contains(const IdSet& set, std::size_t id) {
  return std::binary_search(set.begin(), set.end(), id);
}

struct State {
  IdSet set;
  std::vector<double> query_cost;         // per call
  std::map<ObjectId, double> write_cost;  // weighted, per table with chosen indexes
  double query_total = 0;                 // sum of calls × cost
  double write_total = 0;
  double bytes = 0;
  int count = 0;
  double Total() const { return query_total + write_total; }
};

// What a candidate set would give, without building its State.
struct Score {
  double total = 0;
  double bytes = 0;
  int count = 0;
};

class Evaluator {
 public:
  Evaluator(const Catalog& catalog, const Workload& workload, CostOracle& oracle,
            const SelectionOptions& options)
      : catalog_(catalog),
        workload_(workload),
        oracle_(oracle),
        options_(options),
        cache_(workload.queries.size()) {
    query_tables_.resize(workload.queries.size());
    for (std::size_t q = 0; q < workload.queries.size(); ++q)
      for (const TableUse& use : workload.queries[q].tables)
        if (std::find(query_tables_[q].begin(), query_tables_[q].end(), use.table_id) ==
            query_tables_[q].end()) {
          query_tables_[q].push_back(use.table_id);
          table_queries_[use.table_id].push_back(q);
        }
  }

  std::size_t Intern(const Candidate& candidate) {
    const std::string ddl = candidate.Ddl();
    auto found = ids_.find(ddl);
    if (found != ids_.end()) return found->second;
    pool_.push_back(candidate);
    table_ids_[candidate.table_id].push_back(pool_.size() - 1);
    tables_.push_back(candidate.table_id);
    ddls_.push_back(ddl);
    sizes_.push_back(-1);
    extra_.push_back(kUnknown);
    ids_[ddl] = pool_.size() - 1;
    return pool_.size() - 1;
  }
  const Candidate& Get(std::size_t id) const { return pool_[id]; }
  const std::string& Ddl(std::size_t id) const { return ddls_[id]; }

  double Size(std::size_t id) {
    if (sizes_[id] < 0) {
      ++size_requests;
      sizes_[id] = std::max(0.0, oracle_.SizeBytes(ddls_[id]));
    }
    return sizes_[id];
  }
  const Index* Replaced(std::size_t id) const {
    if (pool_[id].replaces == 0) return nullptr;
    auto it = catalog_.indexes.find(pool_[id].replaces);
    return it == catalog_.indexes.end() ? nullptr : &it->second;
  }
  // Storage the index adds: its size, less the index it replaces (computed once).
  double ExtraBytes(std::size_t id) {
    if (extra_[id] == kUnknown) {
      const Index* replaced = Replaced(id);
      extra_[id] = Size(id) - (replaced != nullptr ? replaced->pages * 8192.0 : 0.0);
    }
    return extra_[id];
  }
  ObjectId TableOf(std::size_t id) const { return tables_[id]; }

  // The planner's cost of query q with the candidates of `set` that count for it: those on
  // the tables it reads and, while FilterByUse is on, that its plans use (see Relevant).
  double QueryCost(std::size_t q, const IdSet& set) {
    IdSet relevant;
    for (std::size_t id : set)
      if (Reads(q, tables_[id]) && Relevant(q, id)) relevant.push_back(id);
    return CostOf(q, relevant, nullptr);
  }
  // The candidates of `set` (on q's tables, unfiltered) that query q's plan uses (and the
  // plan's cost in *cost).
  IdSet UsedBy(std::size_t q, const IdSet& set, double* cost = nullptr) {
    IdSet relevant, used;
    for (std::size_t id : set)
      if (Reads(q, pool_[id].table_id)) relevant.push_back(id);
    const double c = CostOf(q, relevant, &used);
    if (cost != nullptr) *cost = c;
    return used;
  }

  // Bounds for lazy greedy steps. floor[q]: query q's cost with every candidate of its tables
  // (Prune plans it), the lowest any set of those candidates can give it (more indexes, more
  // plans to choose from), less a margin for the planner's 1% fuzz per path comparison. It
  // bounds only the candidates interned before it was set: one interned later (Extend widens
  // its chosen indexes into keys no candidate has) may give a cheaper plan, and gets floor 0.
  void SetFloors(const std::vector<double>& floor) {
    floor_ = floor;
    for (double& f : floor_) f *= kFloorMargin;
    bounded_ = pool_.size();
  }
  // An upper bound of how much going from `s` to `set` (a move on `added`'s table: adding it,
  // or replacing a chosen index by it) lowers the objective: the queries of the table that
  // `added` may serve down to their floors, less the write cost the move adds; +infinity
  // without floors.
  // `set`: the move's chosen indexes on the table (at least).
  double GainBound(const State& s, std::size_t added, const IdSet& set) {
    const ObjectId table = pool_[added].table_id;
    return QueryGainBound(s, added) - (WriteCost(table, set) - WriteCostOf(s, table));
  }
  // The query part of GainBound: how much any move that adds `added` (and may drop others)
  // lowers the queries' part of the objective, at most.
  double QueryGainBound(const State& s, std::size_t added) {
    if (floor_.empty()) return std::numeric_limits<double>::infinity();
    double bound = 0;
    for (std::size_t q : QueriesOf(pool_[added].table_id)) {
      if (filter_ && KnownIrrelevant(q, added)) continue;
      const double floor = added < bounded_ ? floor_[q] : 0.0;
      bound += workload_.queries[q].calls * std::max(0.0, s.query_cost[q] - floor);
    }
    return bound;
  }
  static double WriteCostOf(const State& s, ObjectId table) {
    auto found = s.write_cost.find(table);
    return found == s.write_cost.end() ? 0 : found->second;
  }

  // kDbopt: a candidate counts for a query only when the query's plan uses it as its only
  // hypothetical index, or among all candidates (SetRelevant); unknown pairs are planned
  // once. The other candidates are left out of the query's planning: a set then costs only
  // the plans of the queries it can change, and more sets share a cached answer.
  void FilterByUse(bool on) { filter_ = on; }
  void SetRelevant(std::size_t q, std::size_t id, bool relevant) {
    std::vector<char>& flags = Flags(q, id);
    if (relevant || flags[id] == 0) flags[id] = relevant ? 1 : 2;
  }
  bool KnownIrrelevant(std::size_t q, std::size_t id) { return Flags(q, id)[id] == 2; }
  bool KnownRelevant(std::size_t q, std::size_t id) { return Flags(q, id)[id] == 1; }
  bool Relevant(std::size_t q, std::size_t id) {
    if (!filter_) return true;
    std::vector<char>& flags = Flags(q, id);
    if (flags[id] == 0) Peel(q);
    return flags[id] == 1;
  }
  // Decides the relevance of every candidate on q's tables not decided yet: plans q with all of
  // those that may serve it, marks those the plan uses, and plans again without them until a
  // plan uses none; the rest are left out (a plan that uses none of a set answers every
  // subset: alone, none of them would be used either). One planner call per index a plan
  // picks, rather than one per candidate.
  void Peel(std::size_t q) {
    IdSet pending;
    for (ObjectId table : query_tables_[q]) {
      auto on = table_ids_.find(table);
      if (on == table_ids_.end()) continue;
      for (std::size_t id : on->second) {
        std::vector<char>& flags = Flags(q, id);
        if (flags[id] != 0) continue;
        if (MayServe(q, id))
          pending.push_back(id);
        else
          flags[id] = 2;
      }
    }
    std::sort(pending.begin(), pending.end());
    while (!pending.empty()) {
      const IdSet used = UsedBy(q, pending);
      if (used.empty()) break;
      for (std::size_t id : used) {
        Flags(q, id)[id] = 1;
        pending.erase(std::remove(pending.begin(), pending.end(), id), pending.end());
      }
    }
    for (std::size_t id : pending) Flags(q, id)[id] = 2;
  }
  // MayServe for one of the query's uses of the candidate's table.
  bool MayServe(std::size_t q, std::size_t id) const {
    for (const TableUse& use : workload_.queries[q].tables)
      if (advisor::MayServe(pool_[id], use)) return true;
    return false;
  }

  std::set<ObjectId> ChangedTables(const IdSet& a, const IdSet& b) const {
    IdSet differ;
    std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(),
                                  std::back_inserter(differ));
    std::set<ObjectId> changed;
    for (std::size_t id : differ) changed.insert(pool_[id].table_id);
    return changed;
  }
  // The ids of `set` on `tables`.
  IdSet OnTables(const IdSet& set, const std::set<ObjectId>& tables) const {
    IdSet out;
    for (std::size_t id : set)
      if (tables.count(pool_[id].table_id) > 0) out.push_back(id);
    return out;
  }
  // Tables whose candidates' effect may change when indexes on `changed` tables change: the
  // tables of every query that reads one of them.
  std::set<ObjectId> Affected(const std::set<ObjectId>& changed) const {
    std::set<ObjectId> out = changed;
    for (ObjectId table : changed)
      for (std::size_t q : QueriesOf(table))
        out.insert(query_tables_[q].begin(), query_tables_[q].end());
    return out;
  }
  const CostCache& cache() const { return cache_; }
  // Whether some query reads both tables (or they are the same): the effect of a change on
  // one then depends on the indexes of the other.
  bool Related(ObjectId a, ObjectId b) {
    if (a == b) return true;
    auto found = related_.find(a);
    if (found == related_.end()) {
      std::vector<ObjectId> tables;
      for (std::size_t q : QueriesOf(a))
        tables.insert(tables.end(), query_tables_[q].begin(), query_tables_[q].end());
      std::sort(tables.begin(), tables.end());
      tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
      found = related_.emplace(a, std::move(tables)).first;
    }
    return std::binary_search(found->second.begin(), found->second.end(), b);
  }

  // Weighted cost of maintaining the chosen indexes of `table` (core/advisor/write_cost).
  double WriteCost(ObjectId table_id, const IdSet& set) {
    auto w = workload_.writes.find(table_id);
    if (w == workload_.writes.end()) return 0;
    const TableWrites& writes = w->second;
    TableIndexes indexes;
    std::set<std::string> columns;
    for (std::size_t id : set) {
      const Candidate& c = pool_[id];
      if (c.table_id != table_id) continue;
      if (c.replaces != 0)
        ++indexes.replacing;
      else
        ++indexes.added;
      indexes.added_pages += ExtraBytes(id) / 8192.0;
      for (const std::string& column : c.Columns()) columns.insert(column);
    }
    if (indexes.added == 0 && indexes.replacing == 0) return 0;
    for (const Index* index : catalog_.IndexesOf(table_id))
      if (index->valid) {
        ++indexes.existing;
        indexes.existing_pages += index->pages;
      }
    if (const Table* table = catalog_.FindTable(table_id)) indexes.table_rows = table->rows;
    for (const std::string& column : columns) {
      auto u = writes.updated_columns.find(column);
      if (u != writes.updated_columns.end())
        indexes.lost_hot_updates = std::max(indexes.lost_hot_updates, u->second);
    }
    return options_.write_weight * IndexMaintenanceCost(writes, indexes, options_.write_cost);
  }

  State Empty() {
    State s;
    s.query_cost.resize(workload_.queries.size());
    for (std::size_t q = 0; q < workload_.queries.size(); ++q) {
      s.query_cost[q] = QueryCost(q, IdSet{});
      s.query_total += workload_.queries[q].calls * s.query_cost[q];
    }
    return s;
  }

  Score Evaluate(const State& base, const IdSet& set) {
    ++evaluations;
    Score score;
    const std::vector<ObjectId> changed = ChangedList(base.set, set);
    // Only the chosen indexes on tables the re-costed queries read matter (a large set is
    // filtered once, not once per query), grouped by table for the queries' lookups.
    const LocalSet local = Local(set, changed);
    double query_total = base.query_total;
    const unsigned stamp = NextStamp();
    for (ObjectId table : changed)
      for (std::size_t q : QueriesOf(table))
        if (Mark(q, stamp))
          query_total += workload_.queries[q].calls * (QueryCost(q, local) - base.query_cost[q]);
    double write_total = base.write_total;
    for (ObjectId table : changed) {
      auto old = base.write_cost.find(table);
      write_total += WriteCost(table, local.ids) - (old == base.write_cost.end() ? 0 : old->second);
    }
    score.total = query_total + write_total;
    Measure(set, &score.bytes, &score.count);
    return score;
  }

  State Apply(const State& base, const IdSet& set) {
    State s = base;
    const std::vector<ObjectId> changed = ChangedList(base.set, set);
    const LocalSet local = Local(set, changed);
    s.set = set;
    for (ObjectId table : changed) {
      for (std::size_t q : QueriesOf(table)) {
        const double cost = QueryCost(q, local);
        s.query_total += workload_.queries[q].calls * (cost - s.query_cost[q]);
        s.query_cost[q] = cost;
      }
      const double write = WriteCost(table, local.ids);
      s.write_total += write - s.write_cost[table];
      s.write_cost[table] = write;
    }
    Measure(set, &s.bytes, &s.count);
    return s;
  }

  bool Fits(double bytes, int count) const {
    return (options_.budget_bytes < 0 || bytes <= options_.budget_bytes * (1 + 1e-12)) &&
           (options_.max_indexes < 0 || count <= options_.max_indexes);
  }

  const std::vector<std::size_t>& QueriesOf(ObjectId table) const {
    static const std::vector<std::size_t> kNone;
    auto it = table_queries_.find(table);
    return it == table_queries_.end() ? kNone : it->second;
  }
  bool Reads(std::size_t q, ObjectId table) const {
    return std::find(query_tables_[q].begin(), query_tables_[q].end(), table) !=
           query_tables_[q].end();
  }
  std::size_t pool_size() const { return pool_.size(); }

  std::size_t cost_requests = 0;
  std::size_t size_requests = 0;
  std::size_t evaluations = 0;

 private:
  static constexpr double kUnknown = -std::numeric_limits<double>::infinity();
  // The chosen indexes of a set on the tables an evaluation re-costs: all of them (ascending),
  // and per table (ascending tables; ids ascending within each).
  struct LocalSet {
    IdSet ids;
    std::vector<std::pair<ObjectId, IdSet>> by_table;
  };
  // The tables of the ids in one set and not the other (ascending, distinct).
  std::vector<ObjectId> ChangedList(const IdSet& a, const IdSet& b) const {
    std::vector<ObjectId> changed;
    auto i = a.begin(), j = b.begin();
    while (i != a.end() || j != b.end()) {
      if (j == b.end() || (i != a.end() && *i < *j)) {
        changed.push_back(tables_[*i++]);
      } else if (i == a.end() || *j < *i) {
        changed.push_back(tables_[*j++]);
      } else {
        ++i;
        ++j;
      }
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    return changed;
  }
  // The ids of `set` on the tables of the queries that read a `changed` table.
  LocalSet Local(const IdSet& set, const std::vector<ObjectId>& changed) const {
    std::vector<ObjectId> tables = changed;
    for (ObjectId table : changed)
      for (std::size_t q : QueriesOf(table))
        tables.insert(tables.end(), query_tables_[q].begin(), query_tables_[q].end());
    std::sort(tables.begin(), tables.end());
    tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
    LocalSet local;
    for (ObjectId table : tables) local.by_table.push_back({table, {}});
    for (std::size_t id : set) {
      auto on = std::lower_bound(
          local.by_table.begin(), local.by_table.end(), tables_[id],
          [](const std::pair<ObjectId, IdSet>& entry, ObjectId t) { return entry.first < t; });
      if (on == local.by_table.end() || on->first != tables_[id]) continue;
      local.ids.push_back(id);
      on->second.push_back(id);
    }
    return local;
  }
  // QueryCost over a LocalSet: only the ids on q's own tables are looked at.
  double QueryCost(std::size_t q, const LocalSet& local) {
    IdSet relevant;
    for (ObjectId table : query_tables_[q]) {
      auto on = std::lower_bound(
          local.by_table.begin(), local.by_table.end(), table,
          [](const std::pair<ObjectId, IdSet>& entry, ObjectId t) { return entry.first < t; });
      if (on == local.by_table.end() || on->first != table) continue;
      for (std::size_t id : on->second)
        if (Relevant(q, id)) relevant.push_back(id);
    }
    if (query_tables_[q].size() > 1) std::sort(relevant.begin(), relevant.end());
    return CostOf(q, relevant, nullptr);
  }
  // Marks query q as done for one evaluation (`stamp`); false when it already was.
  unsigned NextStamp() {
    if (marks_.size() < workload_.queries.size()) marks_.resize(workload_.queries.size(), 0);
    return ++stamp_;
  }
  bool Mark(std::size_t q, unsigned stamp) {
    if (marks_[q] == stamp) return false;
    marks_[q] = stamp;
    return true;
  }

  double CostOf(std::size_t q, const IdSet& relevant, IdSet* used_out) {
    double cost = 0;
    if (cache_.Find(q, relevant, &cost, used_out)) return cost;
    std::vector<std::pair<std::string, std::size_t>> named;
    for (std::size_t id : relevant) named.push_back({ddls_[id], id});
    std::sort(named.begin(), named.end());
    std::vector<std::string> ddls;
    for (const auto& [ddl, id] : named) ddls.push_back(ddl);
    ++cost_requests;
    std::vector<std::size_t> positions;
    cost = oracle_.CostUsing(q, ddls, &positions);
    IdSet used;
    for (std::size_t p : positions)
      if (p < named.size()) used.push_back(named[p].second);
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    cache_.Insert(q, relevant, used, cost);
    if (used_out != nullptr) cache_.Find(q, relevant, &cost, used_out);
    return cost;
  }
  std::vector<char>& Flags(std::size_t q, std::size_t id) {
    if (relevance_.size() < workload_.queries.size()) relevance_.resize(workload_.queries.size());
    std::vector<char>& flags = relevance_[q];
    if (flags.size() <= id) flags.resize(std::max(pool_.size(), id + 1), 0);
    return flags;
  }
  void Measure(const IdSet& set, double* bytes, int* count) {
    *bytes = 0;
    *count = static_cast<int>(set.size());
    for (std::size_t id : set) *bytes += ExtraBytes(id);
  }

  const Catalog& catalog_;
  const Workload& workload_;
  CostOracle& oracle_;
  const SelectionOptions& options_;
  std::vector<std::vector<ObjectId>> query_tables_;
  std::map<ObjectId, std::vector<std::size_t>> table_queries_;
  std::map<ObjectId, std::vector<std::size_t>> table_ids_;  // candidates per table
  std::vector<Candidate> pool_;
  std::vector<ObjectId> tables_;  // per id: its candidate's table
  std::vector<std::string> ddls_;
  std::vector<double> sizes_;
  std::vector<double> extra_;    // per id: ExtraBytes, kUnknown until asked
  std::vector<unsigned> marks_;  // per query: the last evaluation that re-costed it
  std::map<ObjectId, std::vector<ObjectId>> related_;  // Related: tables read with a table
  unsigned stamp_ = 0;
  std::map<std::string, std::size_t> ids_;
  CostCache cache_;
  static constexpr double kFloorMargin = 0.98;
  std::vector<double> floor_;  // per query (SetFloors); empty: no bounds
  std::size_t bounded_ = 0;    // candidates below this id have floors
  bool filter_ = false;
  std::vector<std::vector<char>> relevance_;  // per query and id: 0 unknown, 1 yes, 2 no
};

// The smallest objective reduction worth a step.
double MinGain(const State& empty, const SelectionOptions& options) {
  return std::max(1e-9, options.min_benefit_fraction * empty.Total());
}

// `wider` starts with all of `narrow`'s keys (same table, btree, no predicate).
bool Extends(const Candidate& wider, const Candidate& narrow) {
  if (wider.table_id != narrow.table_id || wider.access_method != "btree" ||
      narrow.access_method != "btree" || !wider.predicate.empty() || !narrow.predicate.empty() ||
      wider.keys.size() < narrow.keys.size())
    return false;
  for (std::size_t k = 0; k < narrow.keys.size(); ++k)
    if (!(wider.keys[k] == narrow.keys[k])) return false;
  return wider.keys.size() > narrow.keys.size() || wider.include.size() > narrow.include.size();
}

enum class GreedyScore { kPerByte, kAbsolute, kPenalized };

// The best next step from `s` among the sets offered: it must fit the limits and lower the
// objective by at least min_gain; its value is the reduction per extra byte, the reduction
// itself, or the reduction less `lambda` per extra byte (a price on storage).
class MovePicker {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  MovePicker(Evaluator& ev, const State& s, GreedyScore mode, double min_gain, double lambda)
      : ev_(ev), s_(s), mode_(mode), min_gain_(min_gain), lambda_(lambda) {}
  // Ties go to the add of the smallest id (the pool's order), whatever order steps come in.
  bool Better(const Score& score, std::size_t add = kNone) {
    if (!ev_.Fits(score.bytes, score.count)) return false;
    const double gain = s_.Total() - score.total;
    if (gain < min_gain_) return false;
    const double value = Value(gain, score.bytes - s_.bytes);
    if (found_ &&
        (value < best_value_ ||
         (value == best_value_ && !(add != kNone && best_add_ != kNone && add < best_add_))))
      return false;
    found_ = true;
    best_value_ = value;
    return true;
  }
  // The step's value for a gain and the storage it adds.
  double Value(double gain, double extra) const {
    return mode_ == GreedyScore::kAbsolute    ? gain
           : mode_ == GreedyScore::kPenalized ? gain - lambda_ * extra
           : extra <= 1                       ? gain * 1e9
                                              : gain / extra;
  }
  // An upper bound of the value of adding `added` (`removed` kNone) or of replacing `removed` by
  // it (GainBound); -infinity when the step cannot
  // be taken whatever its gain (over the limits, or a bound below min_gain), +infinity when
  // unknown.
  double MoveBound(std::size_t removed, std::size_t added) {
    const bool add = removed == kNone;
    const double extra = ev_.ExtraBytes(added) - (add ? 0 : ev_.ExtraBytes(removed));
    if (!ev_.Fits(s_.bytes + extra, s_.count + (add ? 1 : 0))) return -kInfinity;
    // The chosen indexes on the table after the move (all the write cost depends on).
    if (chosen_on_.empty() && !s_.set.empty())
      for (std::size_t id : s_.set) chosen_on_[ev_.Get(id).table_id].push_back(id);
    auto on = chosen_on_.find(ev_.Get(added).table_id);
    IdSet local = on == chosen_on_.end() ? IdSet{} : on->second;
    if (!add) local = Without(std::move(local), removed);
    const double gain = ev_.GainBound(s_, added, With(std::move(local), added));
    if (gain == kInfinity) return kInfinity;
    if (gain < min_gain_) return -kInfinity;
    return Value(gain, extra);
  }
  // Adding `id` to the state, whose score is known.
  void ConsiderAdd(std::size_t id, const Score& score) {
    if (Better(score, id)) best_add_ = id;
  }
  void Consider(const IdSet& set) { ConsiderScored(set, ev_.Evaluate(s_, set)); }
  void ConsiderScored(const IdSet& set, const Score& score) {
    if (Better(score)) {
      best_ = set;
      best_add_ = kNone;
    }
  }
  bool found() const { return found_ && (mode_ != GreedyScore::kPenalized || best_value_ > 0); }
  IdSet best() const { return best_add_ != kNone ? With(s_.set, best_add_) : best_; }

 private:
  Evaluator& ev_;
  const State& s_;
  GreedyScore mode_;
  double min_gain_, lambda_;
  static constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::map<ObjectId, IdSet> chosen_on_;  // the state's indexes per table (for bounds)
  bool found_ = false;
  double best_value_ = 0;
  IdSet best_;
  std::size_t best_add_ = kNone;
};

// The effects of greedy moves from the current state, kept from step to step: adding `added`
// (kAdd), or replacing the chosen `removed` by `added` on the same table, changes the objective
// by `total` and the storage by `bytes`, until a step changes a table that one of the queries
// reading `added`'s table also reads (it cannot have changed otherwise).
class MoveMemo {
 public:
  static constexpr std::size_t kAdd = MovePicker::kNone;
  // The score of the move from `s`, evaluated unless known.
  Score Get(Evaluator& ev, const State& s, std::size_t removed, std::size_t added) {
    auto it = known_.find({removed, added});
    if (it == known_.end()) {
      const IdSet set = removed == kAdd ? With(s.set, added) : With(Without(s.set, removed), added);
      const Score score = ev.Evaluate(s, set);
      it = known_
               .emplace(std::make_pair(removed, added),
                        Delta{score.total - s.Total(), score.bytes - s.bytes})
               .first;
    }
    return Score{s.Total() + it->second.total, s.bytes + it->second.bytes,
                 s.count + (removed == kAdd ? 1 : 0)};
  }
  bool Known(std::size_t removed, std::size_t added) const {
    return known_.count({removed, added}) > 0;
  }
  // After the step from `before` to `after`.
  void Step(const Evaluator& ev, const IdSet& before, const IdSet& after) {
    const std::set<ObjectId> affected = ev.Affected(ev.ChangedTables(before, after));
    for (auto it = known_.begin(); it != known_.end();)
      it = affected.count(ev.Get(it->first.second).table_id) > 0 ? known_.erase(it) : std::next(it);
  }

 private:
  struct Delta {
    double total, bytes;
  };
  std::map<std::pair<std::size_t, std::size_t>, Delta> known_;
};

// Greedy steps over moves (adding a candidate, or replacing a chosen index by a wider
// candidate on its table), the best step first by MovePicker's rules, while a step lowers the
// objective; with `budget`, stops (keeping the steps taken) once it is exhausted. `adds`: the
// candidates that may be added; swaps(chosen): those that may replace a chosen index.
// Lazy (as CELF): a priority queue holds, per move, an upper bound of its value (GainBound) or
// its exact value (an evaluation, valid until a step changes a table that one of the queries
// reading the move's table reads); the top move is evaluated until the top is exact, and a
// step re-bounds only the moves on the tables it affected. A large pool thus costs a few
// evaluations per step, not one per candidate.
template <typename Swaps>
State LazyGreedy(Evaluator& ev, const std::vector<std::size_t>& adds, Swaps swaps, State s,
                 GreedyScore mode, double min_gain, double lambda, const CallBudget* budget) {
  struct Entry {
    double value;
    bool exact;
    std::size_t removed, added;
    unsigned version;
  };
  // Highest value first; among equal values exact ones, then the smallest ids (pool order).
  auto lower = [](const Entry& a, const Entry& b) {
    if (a.value != b.value) return a.value < b.value;
    if (a.exact != b.exact) return !a.exact;
    if (a.added != b.added) return a.added > b.added;
    return a.removed > b.removed;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(lower)> queue(lower);
  std::map<std::pair<std::size_t, std::size_t>, unsigned> versions;
  std::map<ObjectId, std::vector<std::size_t>> adds_on;  // per table
  for (std::size_t id : adds) adds_on[ev.Get(id).table_id].push_back(id);
  MoveMemo memo;
  constexpr double kNoStep = -std::numeric_limits<double>::infinity();
  // A fresh bound for every move on `tables` (on all when null); older entries of those moves
  // are left behind (their version is stale).
  auto rebound = [&](const std::set<ObjectId>* tables) {
    MovePicker picker(ev, s, mode, min_gain, lambda);
    auto push = [&](std::size_t removed, std::size_t added) {
      const unsigned version = ++versions[{removed, added}];
      const double bound = picker.MoveBound(removed, added);
      if (bound == kNoStep || (mode == GreedyScore::kPenalized && bound <= 0)) return;
      queue.push(Entry{bound, false, removed, added, version});
    };
    for (const auto& [table, ids] : adds_on) {
      if (tables != nullptr && tables->count(table) == 0) continue;
      for (std::size_t id : ids)
        if (!Contains(s.set, id)) push(MoveMemo::kAdd, id);
    }
    for (std::size_t chosen : s.set) {
      if (tables != nullptr && tables->count(ev.Get(chosen).table_id) == 0) continue;
      for (std::size_t id : swaps(chosen))
        if (!Contains(s.set, id)) push(chosen, id);
    }
  };
  rebound(nullptr);
  for (;;) {
    if (budget != nullptr && budget->Exhausted(ev.cost_requests, ev.evaluations)) return s;
    MovePicker picker(ev, s, mode, min_gain, lambda);
    bool found = false;
    Entry best{};
    while (!queue.empty()) {
      const Entry top = queue.top();
      queue.pop();
      auto version = versions.find({top.removed, top.added});
      if (version == versions.end() || version->second != top.version) continue;
      if (Contains(s.set, top.added) ||
          (top.removed != MoveMemo::kAdd && !Contains(s.set, top.removed)))
        continue;
      // Evaluated (or known): its value now; the limits are checked again when it comes back
      // to the top (the storage used grows).
      const Score score = memo.Get(ev, s, top.removed, top.added);
      const double gain = s.Total() - score.total;
      if (!ev.Fits(score.bytes, score.count) || gain < min_gain) continue;
      const double value = picker.Value(gain, score.bytes - s.bytes);
      if (mode == GreedyScore::kPenalized && value <= 0) continue;
      if (!top.exact) {
        queue.push(Entry{value, true, top.removed, top.added, top.version});
        continue;
      }
      best = top;
      found = true;
      break;
    }
    if (!found) return s;
    const IdSet next = best.removed == MoveMemo::kAdd
                           ? With(s.set, best.added)
                           : With(Without(s.set, best.removed), best.added);
    const double bytes_before = s.bytes;
    const std::set<ObjectId> affected = ev.Affected(ev.ChangedTables(s.set, next));
    memo.Step(ev, s.set, next);
    s = ev.Apply(s, next);
    // Less storage used (a widening gave some back): moves over the limit may fit again.
    rebound(s.bytes < bytes_before ? nullptr : &affected);
  }
}

// Adds (or upgrades a chosen index to a wider candidate that starts with its keys) one index
// at a time, the best step first (LazyGreedy).
State Greedy(Evaluator& ev, const std::vector<std::size_t>& pool, State s, GreedyScore mode,
             double min_gain, double lambda = 0, const CallBudget* budget = nullptr) {
  std::map<ObjectId, std::vector<std::size_t>> pool_on;  // per table
  for (std::size_t id : pool) pool_on[ev.Get(id).table_id].push_back(id);
  std::map<std::size_t, std::vector<std::size_t>> wider;  // chosen -> candidates extending it
  auto swaps = [&](std::size_t chosen) -> const std::vector<std::size_t>& {
    auto found = wider.find(chosen);
    if (found != wider.end()) return found->second;
    std::vector<std::size_t>& out = wider[chosen];
    for (std::size_t id : pool_on[ev.Get(chosen).table_id])
      if (Extends(ev.Get(id), ev.Get(chosen))) out.push_back(id);
    return out;
  };
  return LazyGreedy(ev, pool, swaps, std::move(s), mode, min_gain, lambda, budget);
}

// Effects of local search moves from the current state (the objective's and the storage's
// change), kept from round to round: dropping `removed` (added kNone), adding `added` (removed
// kNone) or replacing one by the other stays valid until a step changes a table that one of
// the queries of the move's tables reads.
class DeltaMemo {
 public:
  static constexpr std::size_t kNone = MovePicker::kNone;
  struct Delta {
    double total = 0, bytes = 0;
  };
  Delta Get(Evaluator& ev, const State& s, std::size_t removed, std::size_t added) {
    auto it = known_.find({removed, added});
    if (it != known_.end()) return it->second;
    IdSet set = s.set;
    if (removed != kNone) set = Without(std::move(set), removed);
    if (added != kNone) set = With(std::move(set), added);
    const Score score = ev.Evaluate(s, set);
    const Delta delta{score.total - s.Total(), score.bytes - s.bytes};
    known_.emplace(std::make_pair(removed, added), delta);
    return delta;
  }
  // After the step from `before` to `after`.
  void Step(Evaluator& ev, const IdSet& before, const IdSet& after) {
    const std::set<ObjectId> affected = ev.Affected(ev.ChangedTables(before, after));
    auto touched = [&](std::size_t id) {
      return id != kNone && affected.count(ev.TableOf(id)) > 0;
    };
    for (auto it = known_.begin(); it != known_.end();)
      it = touched(it->first.first) || touched(it->first.second) ? known_.erase(it) : std::next(it);
  }

 private:
  std::map<std::pair<std::size_t, std::size_t>, Delta> known_;
};

// Best-improvement local search: drop one, add one, or swap one chosen index for another.
// A move's effect is remembered until a step touches its tables (DeltaMemo), and a swap of
// indexes on tables no query reads together is exactly the drop plus the add (their queries
// and write costs are apart): it is scored from those two. Each move scored counts as one
// evaluation (remembered or not) for the budget.
// `converged` (optional): set when it stopped because no move improves the result (not for
// the budget or the round limit).
State LocalSearch(Evaluator& ev, const std::vector<std::size_t>& pool, State s, double min_gain,
                  const CallBudget& budget, bool* converged = nullptr) {
  constexpr std::size_t kNone = DeltaMemo::kNone;
  if (converged != nullptr) *converged = false;
  DeltaMemo memo;
  const std::size_t max_rounds = 4 * pool.size() + 8;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    if (budget.Exhausted(ev.cost_requests, ev.evaluations)) break;
    double best_total = s.Total() - min_gain;
    std::size_t best_removed = kNone, best_added = kNone;
    bool found = false;
    auto consider = [&](std::size_t removed, std::size_t added) {
      if (budget.Exhausted(ev.cost_requests, ev.evaluations)) return;
      const std::size_t evaluations = ev.evaluations;
      DeltaMemo::Delta delta;
      if (removed != kNone && added != kNone &&
          !ev.Related(ev.TableOf(removed), ev.TableOf(added))) {
        const DeltaMemo::Delta drop = memo.Get(ev, s, removed, kNone);
        const DeltaMemo::Delta add = memo.Get(ev, s, kNone, added);
        delta = {drop.total + add.total, drop.bytes + add.bytes};
      } else {
        delta = memo.Get(ev, s, removed, added);
      }
      ev.evaluations = evaluations + 1;
      const double total = s.Total() + delta.total;
      const int count = s.count + (removed == kNone ? 1 : 0) - (added == kNone ? 1 : 0);
      if (!ev.Fits(s.bytes + delta.bytes, count) || total >= best_total) return;
      best_total = total;
      best_removed = removed;
      best_added = added;
      found = true;
    };
    // Bounds (Evaluator::GainBound) skip moves that cannot beat the best found: dropping an
    // index saves at most its table's write cost (the queries cannot get cheaper); adding one
    // lowers the queries down to their floors at most; a swap at most both. Moves over the
    // limits are skipped unevaluated.
    std::map<ObjectId, IdSet> chosen_on;
    for (std::size_t chosen : s.set) chosen_on[ev.TableOf(chosen)].push_back(chosen);
    auto saving = [&](std::size_t chosen) {
      return std::max(0.0, Evaluator::WriteCostOf(s, ev.TableOf(chosen)));
    };
    double max_saving = 0;
    for (std::size_t chosen : s.set) {
      max_saving = std::max(max_saving, saving(chosen));
      if (s.Total() - saving(chosen) < best_total) consider(chosen, kNone);
    }
    struct Bounds {
      double key, add, swap_same_table;  // key: the largest, by which they are sorted
      std::size_t id;
    };
    std::vector<Bounds> order;
    for (std::size_t id : pool) {
      if (Contains(s.set, id)) continue;
      const ObjectId table = ev.TableOf(id);
      const double add = ev.GainBound(s, id, With(chosen_on[table], id));
      const double same = ev.QueryGainBound(s, id) + Evaluator::WriteCostOf(s, table);
      order.push_back({std::max(add, same), add, same, id});
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const Bounds& a, const Bounds& b) { return a.key > b.key; });
    for (const Bounds& b : order) {
      // Every move with b.id gains at most b.key plus what a drop saves.
      if (s.Total() - b.key - max_saving >= best_total) break;
      const std::size_t id = b.id;
      const ObjectId table = ev.TableOf(id);
      const double add_bound = b.add;
      const double extra = ev.ExtraBytes(id);
      if (s.Total() - add_bound < best_total && ev.Fits(s.bytes + extra, s.count + 1))
        consider(kNone, id);
      for (std::size_t chosen : s.set) {
        const double bound =
            ev.TableOf(chosen) == table ? b.swap_same_table : add_bound + saving(chosen);
        if (s.Total() - bound < best_total &&
            ev.Fits(s.bytes + extra - ev.ExtraBytes(chosen), s.count))
          consider(chosen, id);
      }
    }
    if (!found) {
      if (converged != nullptr) *converged = !budget.Exhausted(ev.cost_requests, ev.evaluations);
      break;
    }
    IdSet next = s.set;
    if (best_removed != kNone) next = Without(std::move(next), best_removed);
    if (best_added != kNone) next = With(std::move(next), best_added);
    memo.Step(ev, s.set, next);
    s = ev.Apply(s, next);
  }
  return s;
}

// Drops one chosen index and refills the freed budget greedily (by benefit per byte, the
// dropped index excluded), then polishes with local search: escapes what one-for-one swaps
// cannot (one large index for two smaller ones).
// `converged`: `s` is a local optimum (LocalSearch's). Without a storage or count limit, the
// refill after dropping an index can then only take moves on tables that some query reads
// together with the dropped index's table: any other move changes the objective as it would
// from `s`, where none helps (and none was kept out for lack of room). Only those are offered.
State Refill(Evaluator& ev, const std::vector<std::size_t>& pool, State s, double min_gain,
             const CallBudget& budget, bool converged, const SelectionOptions& options) {
  const bool unlimited = options.budget_bytes < 0 && options.max_indexes < 0;
  for (int round = 0; round < 16; ++round) {
    bool improved = false;
    for (std::size_t chosen : s.set) {
      if (budget.Exhausted(ev.cost_requests, ev.evaluations)) return s;
      const bool related_only = unlimited && converged;
      std::vector<std::size_t> others;
      for (std::size_t id : pool)
        if (id != chosen && (!related_only || ev.Related(ev.TableOf(chosen), ev.TableOf(id))))
          others.push_back(id);
      State t = Greedy(ev, others, ev.Apply(s, Without(s.set, chosen)), GreedyScore::kPerByte,
                       min_gain, 0, &budget);
      if (t.Total() < s.Total() - min_gain) {
        s = LocalSearch(ev, pool, t, min_gain, budget, &converged);
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return s;
}

State Extend(Evaluator& ev, const Catalog& catalog, const Workload& workload,
             const SelectionOptions& options, double min_gain, const State& empty) {
  std::vector<std::size_t> singles;
  for (const Candidate& c : SingleColumnCandidates(catalog, workload))
    singles.push_back(ev.Intern(c));
  // Attributes that co-occur with a column in some query on its table.
  std::map<std::pair<ObjectId, std::string>, std::vector<std::string>> co_occurring;
  for (const Query& query : workload.queries)
    for (const TableUse& use : query.tables) {
      const std::vector<std::string> columns = IndexableColumns(use);
      for (const std::string& a : columns)
        for (const std::string& b : columns) {
          std::vector<std::string>& list = co_occurring[{use.table_id, a}];
          if (a != b && std::find(list.begin(), list.end(), b) == list.end()) list.push_back(b);
        }
    }
  // Moves: add a single column, or append a co-occurring column to a chosen index.
  std::map<std::size_t, std::vector<std::size_t>> wider_of;  // chosen -> its widenings
  auto widenings = [&](std::size_t chosen) -> const std::vector<std::size_t>& {
    auto found = wider_of.find(chosen);
    if (found != wider_of.end()) return found->second;
    std::vector<std::size_t>& out = wider_of[chosen];
    const Candidate index = ev.Get(chosen);
    if (index.keys.size() >= options.max_columns || index.keys.empty() ||
        index.access_method != "btree")
      return out;
    const Table* table = catalog.FindTable(index.table_id);
    if (table == nullptr) return out;
    std::vector<std::string> columns;
    for (const IndexKey& k : index.keys) columns.push_back(k.column);
    auto list = co_occurring.find({index.table_id, index.keys[0].column});
    if (list == co_occurring.end()) return out;
    for (const std::string& attribute : list->second) {
      if (std::find(columns.begin(), columns.end(), attribute) != columns.end()) continue;
      std::vector<std::string> wider = columns;
      wider.push_back(attribute);
      Candidate candidate = BtreeCandidate(*table, wider);
      const std::vector<const Index*>& existing = catalog.IndexesOf(table->id);
      if (std::any_of(existing.begin(), existing.end(), [&](const Index* index) {
            return ExistingCovers(catalog, *index, candidate);
          }))
        continue;
      out.push_back(ev.Intern(candidate));
    }
    return out;
  };
  return LazyGreedy(ev, singles, widenings, empty, GreedyScore::kPerByte, min_gain, 0, nullptr);
}

void Exhaustive(Evaluator& ev, const std::vector<std::size_t>& pool, std::size_t next,
                const State& s, double negative_room, State* best) {
  if (s.Total() < best->Total() - 1e-9 && ev.Fits(s.bytes, s.count)) *best = s;
  for (std::size_t i = next; i < pool.size(); ++i) {
    const std::size_t id = pool[i];
    const double extra = ev.ExtraBytes(id);
    const IdSet set = With(s.set, id);
    const Score score = ev.Evaluate(s, set);
    // Bytes only grow except for widenings (negative_room: what the rest could give back).
    const double room = negative_room - std::min(0.0, extra);
    if (!ev.Fits(score.bytes + room, score.count)) continue;
    Exhaustive(ev, pool, i + 1, ev.Apply(s, set), room, best);
  }
}

// The benefit floor's price of storage, in objective units per extra byte: min_benefit_per_size
// × the cost before / the heap bytes of the tables the workload reads (0: no floor).
double FloorPrice(const Catalog& catalog, const Workload& workload, const State& empty,
                  const SelectionOptions& options) {
  if (options.min_benefit_per_size <= 0 || empty.Total() <= 0) return 0;
  std::set<ObjectId> tables;
  for (const Query& query : workload.queries)
    for (const TableUse& use : query.tables) tables.insert(use.table_id);
  double bytes = 0;
  for (ObjectId id : tables)
    if (const Table* table = catalog.FindTable(id)) bytes += std::max(0.0, table->pages) * 8192.0;
  return bytes > 0 ? options.min_benefit_per_size * empty.Total() / bytes : 0;
}

// The candidates of `pool` whose benefit alone pays the floor's price for their extra bytes;
// `below` counts those left out that would lower the objective by min_gain at least.
std::vector<std::size_t> AboveFloor(Evaluator& ev, const State& empty,
                                    const std::vector<std::size_t>& pool, double price,
                                    double min_gain, std::size_t* below) {
  if (price <= 0) return pool;
  std::vector<std::size_t> kept;
  for (std::size_t id : pool) {
    const double extra = ev.ExtraBytes(id);
    const double gain = extra <= 0 ? 0 : empty.Total() - ev.Evaluate(empty, With({}, id)).total;
    if (extra <= 0 || gain >= price * extra)
      kept.push_back(id);
    else if (gain >= min_gain)
      ++*below;
  }
  return kept;
}

// Drops from `s`, one at a time and the furthest below first, the indexes whose benefit
// within the set (the objective's rise without them) is below the floor's price for their
// extra bytes; `dropped` counts them.
State DropBelowFloor(Evaluator& ev, State s, double price, std::size_t* dropped) {
  if (price <= 0) return s;
  for (;;) {
    double worst = 1;
    std::size_t drop = 0;
    bool found = false;
    for (std::size_t id : s.set) {
      const double extra = ev.ExtraBytes(id);
      if (extra <= 0) continue;
      const double ratio = (ev.Evaluate(s, Without(s.set, id)).total - s.Total()) / (price * extra);
      if (ratio < worst) {
        worst = ratio;
        drop = id;
        found = true;
      }
    }
    if (!found) return s;
    s = ev.Apply(s, Without(s.set, drop));
    ++*dropped;
  }
}

// Plans every query with all candidates of its tables (the best it can get: its floor for the
// greedy bounds; the candidates that plan uses count for it), then peels the others that may
// serve it (Evaluator::Peel). Keeps the candidates some query counts, and widenings.
std::vector<std::size_t> Prune(Evaluator& ev, const Workload& workload,
                               const std::vector<std::size_t>& pool, bool bounds) {
  IdSet all = pool;
  std::sort(all.begin(), all.end());
  std::vector<bool> used_any(ev.pool_size()), keep(ev.pool_size());
  std::vector<double> floor(workload.queries.size(), 0);
  for (std::size_t q = 0; q < workload.queries.size(); ++q) {
    for (std::size_t id : ev.UsedBy(q, all, &floor[q])) ev.SetRelevant(q, id, true);
    ev.Peel(q);
    for (std::size_t id : all)
      if (ev.Reads(q, ev.Get(id).table_id) && ev.KnownRelevant(q, id)) used_any[id] = true;
  }
  for (std::size_t id : pool)
    if (ev.Get(id).replaces != 0) keep[id] = true;
  if (bounds) ev.SetFloors(floor);
  return PruneCandidates(pool, used_any, {}, keep);
}

}  // namespace

Selection SelectIndexes(const Catalog& catalog, const Workload& workload,
                        const std::vector<Candidate>& candidates, CostOracle& oracle,
                        const SelectionOptions& options) {
  Evaluator ev(catalog, workload, oracle, options);
  std::vector<std::size_t> pool;
  for (const Candidate& c : candidates)
    if (c.keys.size() <= options.max_columns || c.access_method != "btree") {
      const std::size_t id = ev.Intern(c);
      if (std::find(pool.begin(), pool.end(), id) == pool.end()) pool.push_back(id);
    }
  Selection result;
  result.algorithm = options.algorithm;
  result.candidates = pool.size();
  auto phase_start = std::chrono::steady_clock::now();
  std::size_t phase_calls = 0, phase_evaluations = 0;
  auto mark = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    result.phases.push_back(
        SelectionPhase{name, ev.cost_requests - phase_calls, ev.evaluations - phase_evaluations,
                       std::chrono::duration<double, std::milli>(now - phase_start).count()});
    phase_start = now;
    phase_calls = ev.cost_requests;
    phase_evaluations = ev.evaluations;
  };
  const State empty = ev.Empty();
  const double min_gain = MinGain(empty, options);
  const double floor_price = FloorPrice(catalog, workload, empty, options);
  mark("empty");

  State best = empty;
  switch (options.algorithm) {
    case Algorithm::kExtend:
      best = Extend(ev, catalog, workload, options, min_gain, empty);
      result.candidates = ev.pool_size();
      break;
    case Algorithm::kExhaustive: {
      if (pool.size() > options.exhaustive_limit)
        throw std::invalid_argument("too many candidates for an exhaustive search (" +
                                    std::to_string(pool.size()) + ", at most " +
                                    std::to_string(options.exhaustive_limit) + ")");
      double negative = 0;
      for (std::size_t id : pool) negative += std::min(0.0, ev.ExtraBytes(id));
      Exhaustive(ev, pool, 0, empty, negative, &best);
      break;
    }
    case Algorithm::kDbopt: {
      // Planner calls for the optional parts, counted from here (what the first start costs
      // included: it scales with the workload too).
      const CallBudget budget{
          CallBudget::Scaled(options.call_budget_base, options.call_budget_per_query,
                             options.call_budget_per_candidate, workload.queries.size(),
                             pool.size()),
          options.evaluation_budget};
      std::vector<std::size_t> search = pool;
      if (options.prune_candidates) {
        search = Prune(ev, workload, pool, options.lazy_bounds);
        ev.FilterByUse(true);
      }
      search = AboveFloor(ev, empty, search, floor_price, min_gain, &result.below_floor);
      mark("prune");
      result.searched_candidates = search.size();
      const State extend = Extend(ev, catalog, workload, options, min_gain, empty);
      mark("extend start");
      for (std::size_t id : extend.set)
        if (std::find(search.begin(), search.end(), id) == search.end()) search.push_back(id);
      // Starts: greedy by benefit per byte from the empty set and from each of the most
      // beneficial single candidates (a knapsack greedy that starts from its best item avoids
      // filling the budget with small items first), greedy by benefit, and Extend.
      std::vector<State> starts = {extend,
                                   Greedy(ev, search, empty, GreedyScore::kPerByte, min_gain)};
      mark("first greedy");
      auto optional_start = [&](const State& from, GreedyScore mode, double lambda) {
        if (budget.Exhausted(ev.cost_requests, ev.evaluations)) return;
        starts.push_back(Greedy(ev, search, from, mode, min_gain, lambda, &budget));
      };
      optional_start(empty, GreedyScore::kAbsolute, 0);
      // Each candidate alone (for the seeds and the price range), while the budget lasts.
      std::vector<std::pair<double, std::size_t>> alone;
      for (std::size_t id : search) {
        if (budget.Exhausted(ev.cost_requests, ev.evaluations)) break;
        const Score score = ev.Evaluate(empty, With({}, id));
        if (ev.Fits(score.bytes, score.count) && empty.Total() - score.total >= min_gain)
          alone.push_back({empty.Total() - score.total, id});
      }
      std::sort(alone.begin(), alone.end(), std::greater<>());
      const std::size_t seeds = std::min(alone.size(), options.seed_starts);
      for (std::size_t i = 0; i < seeds; ++i)
        optional_start(ev.Apply(empty, With({}, alone[i].second)), GreedyScore::kPerByte, 0);
      // A sweep of storage prices between the candidates' own benefit-per-byte ratios: each
      // price favours a different mix of large and small indexes.
      std::vector<double> ratios;
      for (const auto& [gain, id] : alone)
        ratios.push_back(gain / std::max(1.0, ev.ExtraBytes(id)));
      std::sort(ratios.begin(), ratios.end());
      if (!ratios.empty()) {
        const double low = std::max(1e-12, ratios.front() * 0.25), high = ratios.back();
        const std::size_t steps = options.price_steps;
        for (std::size_t i = 0; i < steps; ++i) {
          const double lambda = low * std::pow(high / low, static_cast<double>(i) /
                                                               std::max<std::size_t>(1, steps - 1));
          optional_start(empty, GreedyScore::kPenalized, lambda);
        }
      }
      mark("optional starts");
      std::stable_sort(starts.begin(), starts.end(),
                       [](const State& a, const State& b) { return a.Total() < b.Total(); });
      best = starts.front();
      if (starts.size() > options.refined_starts) starts.resize(options.refined_starts);
      for (const State& start : starts) {
        bool converged = false;
        State local = LocalSearch(ev, search, start, min_gain, budget, &converged);
        mark("local search");
        State improved = Refill(ev, search, local, min_gain, budget, converged, options);
        mark("refill");
        if (improved.Total() < best.Total() - 1e-9 ||
            (improved.Total() <= best.Total() + 1e-9 && improved.bytes < best.bytes))
          best = improved;
      }
      result.call_budget_exhausted = budget.Exhausted(ev.cost_requests, ev.evaluations);
      result.call_budget = budget.limit;
      result.evaluation_budget = budget.evaluation_limit;
      // Few candidates per table: every subset is cheap to cost (2^n per table, times the
      // queries reading it), so the exact optimum settles it.
      double subsets = 0;
      std::map<ObjectId, int> per_table;
      for (std::size_t id : search) ++per_table[ev.Get(id).table_id];
      for (const auto& [table, n] : per_table)
        subsets += std::pow(2.0, n) * static_cast<double>(ev.QueriesOf(table).size());
      if (search.size() <= options.exhaustive_limit && subsets <= options.exact_cost_limit) {
        double negative = 0;
        for (std::size_t id : search) negative += std::min(0.0, ev.ExtraBytes(id));
        State exact = empty;
        Exhaustive(ev, search, 0, empty, negative, &exact);
        if (exact.Total() < best.Total() - min_gain) best = exact;
        mark("exact");
      }
      // The search counted for each query only the candidates its plans use: cost the result
      // again with every candidate on the queries' tables (and Extend's, which it must beat).
      if (options.prune_candidates) {
        ev.FilterByUse(false);
        best = ev.Apply(empty, best.set);
        const State extend_again = ev.Apply(empty, extend.set);
        if (extend_again.Total() < best.Total() - 1e-9) best = extend_again;
        mark("recost");
      }
      break;
    }
  }

  if (options.algorithm != Algorithm::kDbopt) {
    result.searched_candidates = result.candidates;
    mark("search");
  }
  best = DropBelowFloor(ev, best, floor_price, &result.below_floor);
  // Drop what no longer pays for itself within the final set (a later index may have taken
  // over an earlier one's queries).
  // Passes in order until one drops nothing: a drop re-plans only the queries of its table,
  // and each pass costs one evaluation per chosen index.
  if (options.algorithm != Algorithm::kExhaustive) {
    for (bool dropped = true; dropped;) {
      dropped = false;
      const IdSet chosen = best.set;
      for (std::size_t id : chosen) {
        const Score without = ev.Evaluate(best, Without(best.set, id));
        if (without.total <= best.Total() + min_gain * 1e-3) {
          best = ev.Apply(best, Without(best.set, id));
          dropped = true;
        }
      }
    }
    mark("drop pass");
  }

  result.cost_before = empty.Total();
  result.cost_after = best.Total();
  result.query_cost_after = best.query_total;
  result.write_cost_after = best.write_total;
  result.bytes_used = best.bytes;
  for (std::size_t id : best.set) {
    Recommendation r;
    r.index = ev.Get(id);
    r.size_bytes = ev.Size(id);
    r.replaces = ev.Replaced(id);
    const IdSet without = Without(best.set, id);
    r.write_cost =
        ev.WriteCost(r.index.table_id, best.set) - ev.WriteCost(r.index.table_id, without);
    const State less = ev.Apply(best, without);
    r.benefit = less.Total() - best.Total();
    std::vector<QueryEffect> fallback;
    for (std::size_t q : ev.QueriesOf(r.index.table_id)) {
      QueryEffect effect{q, workload.queries[q].calls, empty.query_cost[q], best.query_cost[q]};
      const double tolerance = 1e-9 * std::max(1.0, std::fabs(effect.cost_after));
      if (less.query_cost[q] > effect.cost_after + tolerance)
        r.queries.push_back(effect);
      else if (effect.cost_before > effect.cost_after + tolerance)
        fallback.push_back(effect);
    }
    if (r.queries.empty()) r.queries = fallback;
    std::sort(r.queries.begin(), r.queries.end(), [](const QueryEffect& a, const QueryEffect& b) {
      return a.calls * (a.cost_before - a.cost_after) > b.calls * (b.cost_before - b.cost_after);
    });
    result.recommendations.push_back(std::move(r));
  }
  std::sort(result.recommendations.begin(), result.recommendations.end(),
            [](const Recommendation& a, const Recommendation& b) {
              return a.benefit != b.benefit ? a.benefit > b.benefit : a.index.Ddl() < b.index.Ddl();
            });
  mark("recommendations");
  result.cost_requests = ev.cost_requests;
  result.interval_hits = ev.cache().interval_hits();
  result.size_requests = ev.size_requests;
  result.evaluations = ev.evaluations;
  return result;
}

}  // namespace dbopt::advisor
