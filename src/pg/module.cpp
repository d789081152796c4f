// _PG_init, GUCs and the shared state. Lock rules: SharedState is written once, in
// shmem_startup_hook under AddinShmemInitLock, and read without a lock afterwards.
#include "pg/loops.hpp"  // first: includes core headers
#include "pg/capture.hpp"
#include "pg/capture_store.hpp"
#include "pg/module.hpp"
#include "pg/write_pairs.hpp"

extern "C" {
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
}

#include <type_traits>

#include "pg/guard.hpp"
#include "pg/internal_statement.hpp"

extern "C" {
PG_MODULE_MAGIC;
PGDLLEXPORT void _PG_init(void);
}

namespace dbopt::pg {
namespace {

struct SharedState {
  TimestampTz since;
};
static_assert(std::is_trivially_copyable_v<SharedState> && std::is_standard_layout_v<SharedState>,
              "shared memory holds plain structs only");

bool preloaded = false;
// dbopt.data_sample_rows: rows read per data-check probe (dbopt_health(include_data => true)).
int data_sample_rows = 10000;
SharedState* shared_state = nullptr;
shmem_request_hook_type prev_shmem_request_hook = nullptr;
shmem_startup_hook_type prev_shmem_startup_hook = nullptr;

void dbopt_shmem_request() {
  if (prev_shmem_request_hook) prev_shmem_request_hook();
  RequestAddinShmemSpace(MAXALIGN(sizeof(SharedState)));
  capture::StoreRequest();
  loops::Request();
  write_pairs::Request();
}

void dbopt_shmem_startup() {
  if (prev_shmem_startup_hook) prev_shmem_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  shared_state = static_cast<SharedState*>(ShmemInitStruct("dbopt", sizeof(SharedState), &found));
  if (!found) shared_state->since = GetCurrentTimestamp();
  LWLockRelease(AddinShmemInitLock);
  capture::StoreStartup();
  loops::Startup();
  write_pairs::Startup();
}

}  // namespace

bool Preloaded() {
  return preloaded && shared_state != nullptr;
}

void RequirePreload(const char* function_name) {
  if (Preloaded()) return;
  throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                 "dbopt must be loaded via shared_preload_libraries",
                 std::string("Add dbopt to shared_preload_libraries in postgresql.conf and restart "
                             "the server to use ") +
                     function_name + "().");
}

int DataSampleRows() {
  return data_sample_rows;
}

TimestampTz SharedStateSince() {
  return Preloaded() ? shared_state->since : 0;
}

}  // namespace dbopt::pg

// Runs in the postmaster (preload) or a backend (CREATE EXTENSION / first call); plain C
// only: nothing here may throw.
void _PG_init(void) {
  using namespace dbopt::pg;
  DefineCustomIntVariable(
      "dbopt.data_sample_rows", "Rows read per table by each data check of dbopt_health().",
      "Larger tables are sampled with TABLESAMPLE SYSTEM as well.", &data_sample_rows, 10000, 1,
      100000000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  capture::DefineGucs();  // before reserving the prefix, so configured values are kept
  loops::DefineGucs();
  write_pairs::DefineGucs();
  MarkGUCPrefixReserved("dbopt");
  RegisterInternalStatementCallbacks();
  if (!process_shared_preload_libraries_in_progress) return;
  preloaded = true;
  capture::InstallHooks();
  prev_shmem_request_hook = shmem_request_hook;
  shmem_request_hook = dbopt_shmem_request;
  prev_shmem_startup_hook = shmem_startup_hook;
  shmem_startup_hook = dbopt_shmem_startup;
}
