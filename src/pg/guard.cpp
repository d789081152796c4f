// The only place that catches C++ exceptions and reports them to PostgreSQL.
#include "pg/guard.hpp"

#include "pg/internal_statement.hpp"

#include <cstring>
#include <new>

namespace dbopt::pg {
namespace {

// Copies text into the current memory context without ever raising (palloc's no-OOM mode),
// so nothing inside a catch block can longjmp.
char* CopyNoThrow(const char* text) {
  if (text == nullptr) return nullptr;
  size_t length = std::strlen(text);
  char* copy = static_cast<char*>(
      MemoryContextAllocExtended(CurrentMemoryContext, length + 1, MCXT_ALLOC_NO_OOM));
  if (copy != nullptr) std::memcpy(copy, text, length + 1);
  return copy;
}

}  // namespace

void ThrowPgError(MemoryContext caller_context) {
  // Leave ErrorContext before copying, as PostgreSQL's own PG_CATCH users do.
  MemoryContextSwitchTo(caller_context);
  ErrorData* data = CopyErrorData();
  FlushErrorState();
  throw PgError(data);
}

void Fail(int sqlstate, const std::string& message, const std::string& hint) {
  throw SqlError(sqlstate, message, hint);
}

Datum RunGuarded(FunctionCallInfo fcinfo, Datum (*body)(FunctionCallInfo)) {
  ErrorData* pg_error = nullptr;
  int sqlstate = ERRCODE_INTERNAL_ERROR;
  char* message = nullptr;
  char* hint = nullptr;
  char* detail = nullptr;
  bool internal = false;
  try {
    // Statements the body runs are dbopt's own, not workload (internal_statement.hpp).
    InternalStatementScope internal;
    return body(fcinfo);
  } catch (const PgError& e) {
    pg_error = e.data();
  } catch (const SqlError& e) {
    sqlstate = e.sqlstate();
    message = CopyNoThrow(e.what());
    hint = e.hint().empty() ? nullptr : CopyNoThrow(e.hint().c_str());
    detail = e.detail().empty() ? nullptr : CopyNoThrow(e.detail().c_str());
  } catch (const std::bad_alloc&) {
    sqlstate = ERRCODE_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    internal = true;
    message = CopyNoThrow(e.what());
  } catch (...) {
    internal = true;
  }
  // Outside every catch block: now PostgreSQL may longjmp.
  if (pg_error != nullptr) ReThrowError(pg_error);
  if (sqlstate == ERRCODE_OUT_OF_MEMORY)
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                    errdetail("dbopt could not allocate memory.")));
  if (internal)
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                    errmsg("dbopt internal error: %s", message ? message : "unknown exception")));
  ereport(ERROR, (errcode(sqlstate), errmsg_internal("%s", message ? message : "dbopt error"),
                  detail ? errdetail_internal("%s", detail) : 0, hint ? errhint("%s", hint) : 0));
  pg_unreachable();
}

void RunHookGuarded(const char* hook, void (*body)(void*), void* arg) {
  ErrorData* pg_error = nullptr;
  char* message = nullptr;
  bool failed = false;
  try {
    body(arg);
    return;
  } catch (const PgError& e) {
    pg_error = e.data();
  } catch (const std::bad_alloc&) {
    failed = true;
  } catch (const std::exception& e) {
    failed = true;
    message = CopyNoThrow(e.what());
  } catch (...) {
    failed = true;
    message = CopyNoThrow("unknown exception");
  }
  // Outside every catch block: now PostgreSQL may longjmp.
  if (pg_error != nullptr) ReThrowError(pg_error);
  if (failed)
    ereport(WARNING, (errcode(ERRCODE_INTERNAL_ERROR),
                      errmsg("dbopt: %s hook skipped capturing this statement: %s", hook,
                             message ? message : "out of memory")));
}

}  // namespace dbopt::pg
