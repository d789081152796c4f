// `dbopt advise`: the index advisor's recommendations for the captured workload, and with
// --apply the indexes built (see advise_apply.hpp).
#pragma once
#include "cli/args.hpp"

namespace dbopt::cli {

// Exit status: 0 nothing to recommend, or everything applied; 1 recommendations shown (not
// applied); 3 server error, or an index that could not be applied (or Ctrl-C during --apply).
int RunAdvise(const AdviseOptions& options);

}  // namespace dbopt::cli
