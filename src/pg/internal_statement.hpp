// dbopt's own statements (catalog reads of its SQL functions, the what-if engine's parsing,
// planning and sampling) are not workload: capture skips every statement that runs while a
// dbopt SQL function body runs. One mechanism, one depth: the SQL-function guard
// (RunGuarded, pg/guard.cpp) is the only place that enters and leaves it.
//
// Correct across errors: the guard leaves it on every C++ exit (a C++ scope object), and the
// depth is also restored where PostgreSQL unwinds without returning through the guard: a
// subtransaction abort (an internal subtransaction of the what-if engine, a PL/pgSQL
// EXCEPTION block around a dbopt call) puts back the depth its start saw, and the end of the
// top-level transaction resets it to 0. So an error inside a what-if planning call, caught
// anywhere, never leaves capture disabled for the session. (The former second mechanism,
// `dbopt.track = none` set at the function's GUC nest level by the advisor, is gone: it
// covered the advisor only, and the what-if depth counter relied on each PG_CATCH.)
#pragma once
#include "pg/postgres.hpp"

namespace dbopt::pg {

// True while a dbopt SQL function runs in this backend (its nested statements are dbopt's).
bool RunningInternalStatement();

// Enters/leaves (the guard's scope object); noexcept, no PostgreSQL call.
void EnterInternalStatement() noexcept;
void LeaveInternalStatement() noexcept;

// The current depth (for tests: dbopt_selftest).
int InternalStatementDepth() noexcept;

// Registers the transaction and subtransaction callbacks (once, from _PG_init).
void RegisterInternalStatementCallbacks();

class InternalStatementScope {
 public:
  InternalStatementScope() noexcept { EnterInternalStatement(); }
  ~InternalStatementScope() noexcept { LeaveInternalStatement(); }
  InternalStatementScope(const InternalStatementScope&) = delete;
  InternalStatementScope& operator=(const InternalStatementScope&) = delete;
};

}  // namespace dbopt::pg
