// Running a piece of C++ server glue in an internal subtransaction, so that one statement
// that fails (a relation dropped since it was captured, a normalized text that does not
// parse) can be skipped without aborting the caller's transaction.
#pragma once
#include <functional>

#include "pg/postgres.hpp"

namespace dbopt::pg {

// Runs `body` in an internal subtransaction, in the caller's memory context (what it
// allocates survives). Returns true and releases the subtransaction (locks and all go to the
// parent) when `body` returns; returns false and rolls it back when `body` throws a PgError
// or SqlError. A cancel (ERRCODE_QUERY_CANCELED) is rethrown after the rollback, as is any
// other exception.
bool RunIsolated(const std::function<void()>& body);

}  // namespace dbopt::pg
