// A fixed table of aggregates in shared memory that keeps the most frequent keys: entries fill
// from the start (only a reset empties the table), and when it is full the least frequent
// entry (fewest occurrences, then least recently seen) makes room. Used by the N+1 loop table
// (loops.cpp) and the multi-step write pair table (write_pairs.cpp); the caller holds the
// table's lock exclusively.
#pragma once
#include <cstddef>

namespace dbopt::pg {

enum class SlotState { kFound, kFree, kEvicted };

// The entry matches() accepts (kFound), else the first free one (kFree), else the least
// frequent one (kEvicted: its old contents are the caller's to overwrite). aggregate(entry)
// gives the entry's aggregate, which has occurrences and last_seen. A hint (the entry used
// last, or null) is tried first.
template <typename Entry, std::size_t N, typename Matches, typename AggregateOf>
Entry* FindOrMakeRoom(Entry (&entries)[N], Entry* hint, Matches matches, AggregateOf aggregate,
                      SlotState* state) {
  if (hint != nullptr && hint->used && matches(*hint)) {
    *state = SlotState::kFound;
    return hint;
  }
  Entry* least = nullptr;
  for (Entry& entry : entries) {
    if (!entry.used) {
      *state = SlotState::kFree;
      return &entry;
    }
    if (matches(entry)) {
      *state = SlotState::kFound;
      return &entry;
    }
    const auto& candidate = aggregate(entry);
    if (least == nullptr || candidate.occurrences < aggregate(*least).occurrences ||
        (candidate.occurrences == aggregate(*least).occurrences &&
         candidate.last_seen < aggregate(*least).last_seen))
      least = &entry;
  }
  *state = SlotState::kEvicted;
  return least;
}

}  // namespace dbopt::pg
