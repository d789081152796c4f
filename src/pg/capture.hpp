// Query capture: the GUCs and the hooks that feed the capture store (capture_store.hpp).
#pragma once

namespace dbopt::pg::capture {

// Registers dbopt.track, dbopt.sample_rate, dbopt.max_queries, dbopt.text_memory, dbopt.save
// (before MarkGUCPrefixReserved, so postgresql.conf settings are kept).
void DefineGucs();
// Installs the parse and executor hooks (preload only) and turns on query ids.
void InstallHooks();

}  // namespace dbopt::pg::capture
