// Planner costs of workload queries per set of hypothetical indexes, reused beyond the exact
// set that was planned. When the planner, offered the candidate indexes S for a query, picks a
// plan that uses only U ⊆ S, that plan is also the cheapest for every S' with U ⊆ S' ⊆ S: S'
// allows a subset of S's plans and still allows the chosen one. One planner call therefore
// answers a whole interval of sets, and the answer depends on U alone. (The planner prunes
// paths with a 1% fuzz factor, so an answer can be off by that much for a set in between.)
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstddef>
#include <unordered_map>
#include <vector>

namespace dbopt::advisor {

using IdSet = std::vector<std::size_t>;  // sorted, distinct candidate ids

class CostCache {
 public:
  explicit CostCache(std::size_t queries) : queries_(queries) {}

  // The cost of query `query` with the hypothetical indexes `set` when an earlier answer covers
  // it (the same set, or an interval [used, planned] around it), with the indexes its plan uses
  // when `used` is given.
  bool Find(std::size_t query, const IdSet& set, double* cost, IdSet* used = nullptr);
  // Planning `query` with `set` gave `cost` with a plan that uses `used` (ids of `set`; ids
  // outside `set` are ignored).
  void Insert(std::size_t query, const IdSet& set, const IdSet& used, double cost);

  std::size_t exact_hits() const { return exact_hits_; }
  std::size_t interval_hits() const { return interval_hits_; }
  std::size_t plans() const { return plans_; }

 private:
  struct Plan {
    IdSet used;
    double cost = 0;
    std::vector<IdSet> planned;  // the largest sets it was chosen from (none contains another)
  };
  struct SetHash {
    std::size_t operator()(const IdSet& set) const noexcept {
      std::size_t h = set.size();
      for (std::size_t id : set) h = (h ^ id) * 1099511628211ULL + 0x9e3779b97f4a7c15ULL;
      return h;
    }
  };
  struct PerQuery {
    std::unordered_map<IdSet, std::pair<double, IdSet>, SetHash> exact;  // set -> cost, used
    std::vector<Plan> plans;
  };
  std::vector<PerQuery> queries_;
  std::size_t exact_hits_ = 0, interval_hits_ = 0, plans_ = 0;
};

// A budget of planner calls (and of evaluated sets, the search's own CPU time) for the
// optional parts of a search (extra greedy starts, local search, refills): scaled to the
// workload, so that a large workload is not searched as thoroughly as a small one, and
// deterministic (counted, not timed).
struct CallBudget {
  // `base` + `per_query` × queries + `per_candidate` × candidates; 0 or less means unlimited.
  static std::size_t Scaled(double base, double per_query, double per_candidate,
                            std::size_t queries, std::size_t candidates);
  std::size_t limit = 0;             // planner calls; 0: unlimited
  std::size_t evaluation_limit = 0;  // evaluated sets; 0: unlimited
  bool Exhausted(std::size_t calls_so_far, std::size_t evaluations_so_far = 0) const {
    return (limit > 0 && calls_so_far >= limit) ||
           (evaluation_limit > 0 && evaluations_so_far >= evaluation_limit);
  }
};

// Candidates worth a search: those a query's plan uses when the candidate is its only
// hypothetical index (`used_alone[id]`), or among all candidates of the query's tables
// (`used_together[id]`), and those `keep` marks (widenings of existing indexes). An index
// the planner never picks, alone or with every other candidate around, is very unlikely to
// help any set in between. Keeps the order of `pool`.
std::vector<std::size_t> PruneCandidates(const std::vector<std::size_t>& pool,
                                         const std::vector<bool>& used_alone,
                                         const std::vector<bool>& used_together,
                                         const std::vector<bool>& keep);

}  // namespace dbopt::advisor
