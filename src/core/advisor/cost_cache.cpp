#include "core/advisor/cost_cache.hpp"

#include <algorithm>
#include <cmath>

namespace dbopt::advisor {

namespace {
bool Includes(const IdSet& outer, const IdSet& inner) {
  return std::includes(outer.begin(), outer.end(), inner.begin(), inner.end());
}
}  // namespace

bool CostCache::Find(std::size_t query, const IdSet& set, double* cost, IdSet* used) {
  PerQuery& q = queries_[query];
  auto exact = q.exact.find(set);
  if (exact != q.exact.end()) {
    ++exact_hits_;
    *cost = exact->second.first;
    if (used != nullptr) *used = exact->second.second;
    return true;
  }
  for (const Plan& plan : q.plans) {
    if (!Includes(set, plan.used)) continue;
    for (const IdSet& planned : plan.planned)
      if (Includes(planned, set)) {
        ++interval_hits_;
        q.exact.emplace(set, std::make_pair(plan.cost, plan.used));
        *cost = plan.cost;
        if (used != nullptr) *used = plan.used;
        return true;
      }
  }
  return false;
}

void CostCache::Insert(std::size_t query, const IdSet& set, const IdSet& used, double cost) {
  ++plans_;
  PerQuery& q = queries_[query];
  IdSet kept;
  std::set_intersection(used.begin(), used.end(), set.begin(), set.end(), std::back_inserter(kept));
  q.exact[set] = {cost, kept};
  // The same indexes used give the same plan; a cost that differs (planner fuzz) is kept apart.
  Plan* plan = nullptr;
  for (Plan& p : q.plans)
    if (p.used == kept && std::fabs(p.cost - cost) <= 1e-9 * std::max(1.0, std::fabs(cost))) {
      plan = &p;
      break;
    }
  if (plan == nullptr) {
    q.plans.push_back(Plan{kept, cost, {}});
    plan = &q.plans.back();
  }
  for (const IdSet& planned : plan->planned)
    if (Includes(planned, set)) return;
  plan->planned.erase(std::remove_if(plan->planned.begin(), plan->planned.end(),
                                     [&](const IdSet& planned) { return Includes(set, planned); }),
                      plan->planned.end());
  plan->planned.push_back(set);
}

std::size_t CallBudget::Scaled(double base, double per_query, double per_candidate,
                               std::size_t queries, std::size_t candidates) {
  const double limit = base + per_query * static_cast<double>(queries) +
                       per_candidate * static_cast<double>(candidates);
  return limit <= 0 ? 0 : static_cast<std::size_t>(std::ceil(limit));
}

std::vector<std::size_t> PruneCandidates(const std::vector<std::size_t>& pool,
                                         const std::vector<bool>& used_alone,
                                         const std::vector<bool>& used_together,
                                         const std::vector<bool>& keep) {
  auto flag = [](const std::vector<bool>& flags, std::size_t id) {
    return id < flags.size() && flags[id];
  };
  std::vector<std::size_t> out;
  for (std::size_t id : pool)
    if (flag(used_alone, id) || flag(used_together, id) || flag(keep, id)) out.push_back(id);
  return out;
}

}  // namespace dbopt::advisor
