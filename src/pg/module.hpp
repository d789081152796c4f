// Module-wide state: whether dbopt was preloaded, and the shared state it set up.
#pragma once
#include "pg/postgres.hpp"

namespace dbopt::pg {

// True when dbopt was loaded through shared_preload_libraries (hooks and shared memory exist).
bool Preloaded();
// Raises ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE unless preloaded (for functions that read the
// shared store).
void RequirePreload(const char* function_name);
// dbopt.data_sample_rows: at most this many rows are read per data-check probe.
int DataSampleRows();
// When the shared state was created (server start), 0 when not preloaded.
TimestampTz SharedStateSince();

}  // namespace dbopt::pg
