// See internal_statement.hpp. State: one backend-local depth and a fixed stack of the depths
// that subtransactions started while it was above 0 (started at depth 0, a subtransaction is
// not recorded: its abort restores 0).
#include "pg/internal_statement.hpp"

extern "C" {
#include "access/xact.h"
}

namespace dbopt::pg {
namespace {

int depth = 0;

struct SavedDepth {
  SubTransactionId subxact;
  int depth;
};
// dbopt nests few subtransactions of its own (one isolated planning call at a time); deeper
// ones are not recorded, and their abort restores 0 (capture resumes early, never late).
constexpr int kMaxSaved = 64;
SavedDepth saved[kMaxSaved];
int saved_count = 0;

void OnXactEvent(XactEvent, void*) {
  // No dbopt function runs across the end of a top-level transaction.
  depth = 0;
  saved_count = 0;
}

void OnSubXactEvent(SubXactEvent event, SubTransactionId subxact, SubTransactionId, void*) {
  switch (event) {
    case SUBXACT_EVENT_START_SUB:
      if (depth > 0 && saved_count < kMaxSaved) saved[saved_count++] = SavedDepth{subxact, depth};
      break;
    case SUBXACT_EVENT_COMMIT_SUB:
    case SUBXACT_EVENT_ABORT_SUB: {
      // Subtransactions end innermost first; entries of deeper ones are gone already.
      int restored = 0;
      while (saved_count > 0 && saved[saved_count - 1].subxact >= subxact) {
        --saved_count;
        if (saved[saved_count].subxact == subxact) restored = saved[saved_count].depth;
      }
      if (event == SUBXACT_EVENT_ABORT_SUB) depth = restored;
      break;
    }
    default:
      break;
  }
}

}  // namespace

bool RunningInternalStatement() {
  return depth > 0;
}

void EnterInternalStatement() noexcept {
  ++depth;
}

void LeaveInternalStatement() noexcept {
  if (depth > 0) --depth;
}

int InternalStatementDepth() noexcept {
  return depth;
}

void RegisterInternalStatementCallbacks() {
  RegisterXactCallback(OnXactEvent, nullptr);
  RegisterSubXactCallback(OnSubXactEvent, nullptr);
}

}  // namespace dbopt::pg
