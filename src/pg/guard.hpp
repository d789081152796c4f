// The C/C++ boundary (DESIGN.md). Two error regimes meet here and neither may cross the other:
//  * RunGuarded: every SQL-callable function body runs inside it. It catches every C++
//    exception, leaves the catch block, and only then raises ereport(ERROR) with a SQLSTATE.
//  * CallPg: C++ code calls PostgreSQL functions that may ereport through it. The call runs
//    in PG_TRY; a PostgreSQL error becomes a PgError exception that keeps the ErrorData, and
//    RunGuarded re-raises it with its original SQLSTATE.
// Rule for CallPg callables: no local with a non-trivial destructor (a longjmp out of them
// would skip it); write results into variables owned by the caller.
#pragma once
#include "pg/postgres.hpp"

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

namespace dbopt::pg {

// A user-facing error raised from C++ code: ends up as ereport(ERROR) with this SQLSTATE.
class SqlError : public std::runtime_error {
 public:
  SqlError(int sqlstate, const std::string& message, std::string hint = "", std::string detail = "")
      : std::runtime_error(message),
        sqlstate_(sqlstate),
        hint_(std::move(hint)),
        detail_(std::move(detail)) {}
  int sqlstate() const { return sqlstate_; }
  const std::string& hint() const { return hint_; }
  const std::string& detail() const { return detail_; }

 private:
  int sqlstate_;
  std::string hint_;
  std::string detail_;
};

// A PostgreSQL error caught under C++; owns nothing (the ErrorData lives in a memory context
// that the transaction cleans up).
class PgError : public std::exception {
 public:
  explicit PgError(ErrorData* data) : data_(data) {}
  const char* what() const noexcept override { return data_->message ? data_->message : "error"; }
  ErrorData* data() const { return data_; }

 private:
  ErrorData* data_;
};

[[noreturn]] void ThrowPgError(MemoryContext caller_context);

// Runs f() (which may ereport) and turns an ereport into a PgError. A C++ exception thrown by
// f() is carried past PG_END_TRY and rethrown there, never through the PG_TRY frame.
template <typename F>
void CallPg(F&& f) {
  MemoryContext volatile caller_context = CurrentMemoryContext;
  volatile bool pg_failed = false;
  std::exception_ptr cxx_failure;
  PG_TRY();
  {
    try {
      f();
    } catch (...) {
      cxx_failure = std::current_exception();
    }
  }
  PG_CATCH();
  { pg_failed = true; }
  PG_END_TRY();
  if (pg_failed) ThrowPgError(caller_context);
  if (cxx_failure) std::rethrow_exception(cxx_failure);
}

// Runs body(fcinfo) behind the guard. Never returns on error.
Datum RunGuarded(FunctionCallInfo fcinfo, Datum (*body)(FunctionCallInfo));

// Runs body(arg) for a hook behind the guard. A PostgreSQL error raised through CallPg is
// re-raised as it was (the statement fails as it would without dbopt); a C++ exception only
// costs the capture of this statement: it is reported as a WARNING and the statement goes on.
void RunHookGuarded(const char* hook, void (*body)(void*), void* arg);

// Raises a SqlError (for argument validation and the like).
[[noreturn]] void Fail(int sqlstate, const std::string& message, const std::string& hint = "");

}  // namespace dbopt::pg

// Declares an SQL-callable function `name` whose body (written after the macro) runs behind
// the guard:  DBOPT_FUNCTION(dbopt_health) { ... return (Datum) 0; }
#define DBOPT_FUNCTION(name)                             \
  static Datum name##_body(FunctionCallInfo fcinfo);     \
  extern "C" {                                           \
  PG_FUNCTION_INFO_V1(name);                             \
  PGDLLEXPORT Datum name(PG_FUNCTION_ARGS) {             \
    return ::dbopt::pg::RunGuarded(fcinfo, name##_body); \
  }                                                      \
  }                                                      \
  static Datum name##_body(FunctionCallInfo fcinfo)
