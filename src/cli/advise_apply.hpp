// `dbopt advise --apply`: builds the recommended indexes one at a time, each with its own
// remediation statements in autocommit (CREATE INDEX CONCURRENTLY cannot run in a
// transaction block), checks that the index is valid, and records it with the baseline of
// the queries it should help in applied_index and applied_index_baseline.
//
// One recommendation is applied as one unit (ApplyRecommendation): when a statement fails,
// Ctrl-C cancels it, or the index ends up invalid (a failed concurrent build leaves one
// behind), the indexes its statements created are dropped again and the run stops. Once
// `dbopt migrate` exists, that unit becomes one recorded migration (history row and
// applied_index row written together); its steps stay the same.
#pragma once
#include <libpq-fe.h>

#include <functional>
#include <string>

#include "cli/advise_query.hpp"
#include "cli/advise_report.hpp"

namespace dbopt::cli {

// progress receives one line (no newline) per step, for stderr.
using ProgressSink = std::function<void(const std::string&)>;

// Applies report->indexes in rank order and fills their outcomes; stops after the first
// that does not end kCreated, and when Ctrl-C was pressed (report->interrupted). Needs a
// CancelOnInterrupt installed on connection. Throws CliError only when the connection
// itself fails.
void ApplyAdvice(PGconn* connection, const AdviseSession& session, AdviseReport* report,
                 const ProgressSink& progress);

}  // namespace dbopt::cli
