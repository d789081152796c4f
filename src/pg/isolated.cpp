#include "pg/isolated.hpp"

#include "pg/guard.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/resowner.h"
}

#include <exception>

namespace dbopt::pg {

bool RunIsolated(const std::function<void()>& body) {
  MemoryContext context = CurrentMemoryContext;
  ResourceOwner owner = CurrentResourceOwner;
  CallPg([&] {
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(context);
  });
  bool failed = false;
  bool rethrow = false;
  std::exception_ptr failure;
  try {
    body();
  } catch (const PgError& e) {
    failed = true;
    rethrow = e.data()->sqlerrcode == ERRCODE_QUERY_CANCELED;
    failure = std::current_exception();
  } catch (const SqlError&) {
    failed = true;
  } catch (...) {
    failed = true;
    rethrow = true;
    failure = std::current_exception();
  }
  CallPg([&] {
    if (failed)
      RollbackAndReleaseCurrentSubTransaction();
    else
      ReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(context);
    CurrentResourceOwner = owner;
  });
  if (rethrow) std::rethrow_exception(failure);
  return !failed;
}

}  // namespace dbopt::pg
