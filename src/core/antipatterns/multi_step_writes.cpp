// Multi-step writes without a transaction: the detector over one backend's events and the
// finding (the model: multi_step_writes.hpp).
#include "core/antipatterns/multi_step_writes.hpp"

#include <cstring>

#include "core/antipatterns/finding_text.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::antipatterns {

void ResetState(MultiWriteState* state) {
  std::memset(state, 0, sizeof(*state));
}

void FeedWriteSlow(MultiWriteState* state, const StatementEvent& event,
                   const MultiWriteConfig& config, WritePairSink sink, void* context) {
  bool toplevel = event.level == 0;
  if (!state->open || event.session != state->session ||
      event.start_ns - state->last_end_ns >= config.max_gap_ns) {
    ResetState(state);  // a new session, or a pause: a new run
    state->open = true;
    state->session = event.session;
  }
  int mine = -1;
  int free_shape = -1;
  int oldest = 0;
  for (int i = 0; i < kMaxWriteShapes; ++i) {
    const WriteShape& shape = state->shapes[i];
    if (shape.queryid == 0) {
      if (free_shape < 0) free_shape = i;
      continue;
    }
    if (shape.queryid == event.queryid && shape.toplevel == toplevel &&
        shape.userid == event.userid)
      mine = i;
    if (shape.end_ns < state->shapes[oldest].end_ns || state->shapes[oldest].queryid == 0)
      oldest = i;
  }
  bool fresh = mine < 0;
  if (fresh) mine = free_shape >= 0 ? free_shape : oldest;  // full: the least recent goes
  std::uint32_t order = fresh ? state->next_order : state->shapes[mine].order;
  std::uint8_t bit = static_cast<std::uint8_t>(1u << mine);
  for (int i = 0; i < kMaxWriteShapes; ++i) {
    WriteShape& earlier = state->shapes[i];
    if (i == mine || earlier.queryid == 0) continue;
    if (fresh) earlier.paired &= static_cast<std::uint8_t>(~bit);  // slot `mine` is a new shape
    if (earlier.order >= order || earlier.relid == event.relid || earlier.xact == event.xact ||
        earlier.userid != event.userid || (earlier.paired & bit) != 0 ||
        event.start_ns - earlier.end_ns >= config.max_gap_ns)
      continue;
    earlier.paired |= bit;
    WritePairFound pair;
    pair.dbid = event.dbid;
    pair.userid = event.userid;
    pair.first_queryid = earlier.queryid;
    pair.first_toplevel = earlier.toplevel;
    pair.first_relid = earlier.relid;
    pair.second_queryid = event.queryid;
    pair.second_toplevel = toplevel;
    pair.second_relid = event.relid;
    std::int64_t gap = event.start_ns - earlier.end_ns;
    pair.gap_ns = gap > 0 ? gap : 0;
    sink(context, pair);
  }
  WriteShape& shape = state->shapes[mine];
  if (fresh) {
    shape.queryid = event.queryid;
    shape.userid = event.userid;
    shape.toplevel = toplevel;
    shape.order = state->next_order++;
  }
  shape.relid = event.relid;
  shape.xact = event.xact;
  shape.end_ns = event.end_ns;
  shape.paired = 0;  // a new execution: the shapes after it pair with it again
  if (event.end_ns > state->last_end_ns) state->last_end_ns = event.end_ns;
}

const NamedForeignKey* RelatingConstraint(const std::vector<NamedForeignKey>& keys,
                                          std::uint32_t first_relid, std::uint32_t second_relid) {
  if (first_relid == second_relid) return nullptr;
  const NamedForeignKey* best = nullptr;
  for (const NamedForeignKey& key : keys) {
    bool relates = (key.edge.from == first_relid && key.edge.to == second_relid) ||
                   (key.edge.from == second_relid && key.edge.to == first_relid);
    if (relates && (best == nullptr || key.name < best->name)) best = &key;
  }
  return best;
}

Finding MultiStepWriteFinding(const WritePairSummary& pair) {
  Finding finding;
  finding.check_id = "unsafe_multi_step_write";
  // Half-written data is a correctness problem, however rare.
  finding.severity = Severity::kWarning;
  finding.object_type = "query";
  finding.object_name = std::to_string(static_cast<std::int64_t>(pair.first_queryid));
  finding.message =
      QueryLabel(pair.first_queryid, pair.first_toplevel) + " (writing " + pair.first_table +
      ") and " + QueryLabel(pair.second_queryid, pair.second_toplevel) + " (writing " +
      pair.second_table + "), related by foreign key " + pair.constraint_name + " on " +
      pair.referencing_table + ", ran in separate transactions " +
      std::to_string(pair.occurrences) + (pair.occurrences == 1 ? " time" : " times") + " (" +
      OneDecimal(pair.mean_gap_ms) + " ms apart on average, at most " +
      OneDecimal(pair.max_gap_ms) +
      " ms): a client that fails between them leaves the first committed without "
      "the second; run both in one transaction (BEGIN ... COMMIT) or in one "
      "statement (a data-modifying WITH)";
  if (!pair.first_text.empty() && !pair.second_text.empty())
    finding.remediation = {"BEGIN", pair.first_text, pair.second_text, "COMMIT"};
  JsonWriter json;
  json.BeginObject();
  json.Field("first_queryid", static_cast<std::int64_t>(pair.first_queryid));
  json.Field("first_toplevel", pair.first_toplevel);
  json.Field("first_table", pair.first_table);
  json.Field("second_queryid", static_cast<std::int64_t>(pair.second_queryid));
  json.Field("second_toplevel", pair.second_toplevel);
  json.Field("second_table", pair.second_table);
  json.Field("constraint", pair.constraint_name);
  json.Field("constraint_table", pair.referencing_table);
  json.Field("occurrences", pair.occurrences);
  json.Field("mean_gap_ms", pair.mean_gap_ms);
  json.Field("max_gap_ms", pair.max_gap_ms);
  json.EndObject();
  finding.detail_json = json.str();
  return finding;
}

}  // namespace dbopt::antipatterns
