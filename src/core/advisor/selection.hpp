// Workload-wide index selection. The objective is the frequency-weighted workload cost
//   sum over queries of calls × planner cost (with the chosen hypothetical indexes)
//   + write_weight × the cost of maintaining the chosen indexes on their tables,
// minimised under a storage budget and/or a maximum number of new indexes. Costs come from a
// CostOracle (the what-if engine in the server, a synthetic model in unit tests); a set of
// indexes is always re-evaluated as a whole for each query (two indexes that help one query
// are not added up). Costs are cached per (query, chosen indexes on the query's tables), so a
// change on one table re-plans only the queries that read that table, and one plan answers
// every set between the indexes it uses and the set it was planned with (CostCache).
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/advisor/candidates.hpp"
#include "core/advisor/cost_cache.hpp"
#include "core/advisor/workload_input.hpp"
#include "core/advisor/write_cost.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::advisor {

class CostOracle {
 public:
  virtual ~CostOracle() = default;
  // The planner's total cost of workload query `query` (an index into Workload::queries)
  // with the hypothetical indexes `index_ddls` (Candidate::Ddl texts, only indexes on tables
  // the query reads, sorted) in addition to the real ones.
  virtual double Cost(std::size_t query, const std::vector<std::string>& index_ddls) = 0;
  // As Cost, and which of `index_ddls` the plan uses (positions into index_ddls): the answer
  // then also holds for every set between those and index_ddls (see CostCache). The default
  // reports all of them used (the answer holds for this very set only).
  virtual double CostUsing(std::size_t query, const std::vector<std::string>& index_ddls,
                           std::vector<std::size_t>* used);
  // The estimated size in bytes of the index `index_ddl` creates.
  virtual double SizeBytes(const std::string& index_ddl) = 0;
};

enum class Algorithm {
  kDbopt,       // greedy starts (benefit per byte, benefit, storage price sweep, best single
                // candidates, Extend's result), refined by add/drop/swap local search and
                // drop-and-refill; exact when the candidates are few
  kExtend,      // Schlosser et al., ICDE 2019
  kExhaustive,  // every subset of the candidates (small instances only)
};
// "dbopt", "extend", "exhaustive"; false for anything else.
bool ParseAlgorithm(const std::string& name, Algorithm* algorithm);
const char* AlgorithmName(Algorithm algorithm);

struct SelectionOptions {
  double budget_bytes = -1;  // < 0: no storage limit
  int max_indexes = -1;      // < 0: no count limit
  std::size_t max_columns = 3;
  Algorithm algorithm = Algorithm::kDbopt;
  // Write cost model, in planner cost units (core/advisor/write_cost.hpp): index entries
  // written, HOT updates lost, dead entries of deletes and non-HOT updates left to VACUUM.
  WriteCostModel write_cost;
  double write_weight = 1.0;
  // A recommendation must lower the objective by at least this fraction of the cost before
  // (filters noise-level gains).
  double min_benefit_fraction = 1e-4;
  // Worthwhile-benefit floor: a recommendation's benefit, as a share of the cost before, must be
  // at least min_benefit_per_size times its extra bytes as a share of the heap of the tables
  // the workload reads (0.1: an index a tenth the size of that data must save at least 1% of
  // the workload's cost). kDbopt searches only candidates that pass it alone; every algorithm
  // then drops, worst first, the chosen indexes that fail it within the final set. 0: none.
  double min_benefit_per_size = 0;
  std::size_t exhaustive_limit = 22;  // candidates at most for kExhaustive
  // kDbopt: greedy starts from the best single candidates, and how many of all starts are
  // refined by local search.
  std::size_t seed_starts = 4;
  std::size_t price_steps = 6;  // greedy starts with a price per byte (geometric sweep)
  // kDbopt also searches exhaustively when that needs at most this many distinct (query,
  // index subset) costs (0: never); the heuristic alone is tested with 0.
  double exact_cost_limit = 1024;
  std::size_t refined_starts = 2;
  // kDbopt: planner calls (cache misses, counted from the start of the selection) after which
  // the optional parts of the search (greedy starts beyond Extend and the first greedy run,
  // local search, refills) stop:
  //   call_budget_base + call_budget_per_query × queries + call_budget_per_candidate ×
  //   candidates; a base of 0 or less: unlimited. The exact search of small instances is
  //   bounded by exact_cost_limit instead.
  double call_budget_base = 1500;
  double call_budget_per_query = 20;
  double call_budget_per_candidate = 4;
  // ... and after this many evaluated sets (cache hits included: the search's own time; 0:
  // unlimited).
  std::size_t evaluation_budget = 300000;
  // kDbopt: plan every query with all candidates of its tables, then peel (with those that may
  // serve it, less the ones plans used, until a plan uses none); search only candidates some
  // of those plans use (widenings always kept), and plan each query during the search with
  // the chosen candidates its plans use; the result is costed again with all of them.
  bool prune_candidates = true;
  // kDbopt with prune_candidates: greedy steps evaluate a candidate only when an upper bound
  // of its benefit (its queries down to their cost with all candidates, less its write cost)
  // could beat the best step found (lazy greedy); the same steps, fewer plans.
  bool lazy_bounds = true;
};

struct QueryEffect {
  std::size_t query = 0;
  double calls = 0;
  double cost_before = 0;  // per call, without any recommended index
  double cost_after = 0;   // per call, with all of them
};

struct Recommendation {
  Candidate index;
  double size_bytes = 0;
  double write_cost = 0;             // the objective's write part this index adds
  double benefit = 0;                // how much higher the objective is without this index
  const Index* replaces = nullptr;   // existing index it makes redundant (widening)
  std::vector<QueryEffect> queries;  // queries it helps (their cost rises without it)
};

// Where a selection spent its planner calls, evaluations and time (for profiling: the SQL
// functions report them at DEBUG1).
struct SelectionPhase {
  std::string name;
  std::size_t cost_requests = 0;
  std::size_t evaluations = 0;
  double ms = 0;
};

struct Selection {
  Algorithm algorithm = Algorithm::kDbopt;
  std::vector<Recommendation> recommendations;
  double cost_before = 0;  // objective without new indexes (queries only: no new writes)
  double cost_after = 0;   // objective with the recommendations (queries + their writes)
  double query_cost_after = 0;
  double write_cost_after = 0;
  double bytes_used = 0;  // new storage, net of the indexes widening replaces
  std::size_t candidates = 0;
  std::size_t searched_candidates = 0;  // kDbopt: after pruning
  std::size_t cost_requests = 0;        // Cost() asked of the oracle (cache misses)
  std::size_t size_requests = 0;
  std::size_t evaluations = 0;         // configurations evaluated (cache hits included)
  std::size_t interval_hits = 0;       // costs answered by a plan of a larger set (CostCache)
  bool call_budget_exhausted = false;  // kDbopt skipped optional search for lack of calls
  std::size_t call_budget = 0;         // kDbopt: the budget's planner calls (0: unlimited)
  std::size_t evaluation_budget = 0;   // ... and evaluated sets (0: unlimited)
  std::vector<SelectionPhase> phases;
  // Candidates that lower the objective but not by enough for their size
  // (min_benefit_per_size): left out of kDbopt's search, or dropped from the result.
  std::size_t below_floor = 0;
};

// Chooses among `candidates` (GenerateCandidates; Extend builds its own from the workload).
// Throws std::invalid_argument when kExhaustive gets more than exhaustive_limit candidates.
Selection SelectIndexes(const Catalog& catalog, const Workload& workload,
                        const std::vector<Candidate>& candidates, CostOracle& oracle,
                        const SelectionOptions& options);

// "100MB", "1.5 GB", "512kB", "1048576" (bytes), units B, kB, MB, GB, TB (1024-based, as
// pg_size_bytes). Throws std::invalid_argument with a message for anything else.
double ParseSizeBytes(const std::string& text);

}  // namespace dbopt::advisor
