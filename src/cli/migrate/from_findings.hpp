// `dbopt migrate from-findings`, the pure part: which findings become the migration, in which
// order, and the file's text. The server side is migrate_from_findings.cpp.
#pragma once
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/health/finding.hpp"

namespace dbopt::cli::migrate {

// One fix: a finding (check_id, severity, object) or an advisor recommendation
// (check_id "advisor_index", severity info) with its remediation and revert statements.
using Fix = Finding;

// The health findings the options select: at or above --min-severity, of the --checks ids
// (all when none given), with at least one remediation statement.
std::vector<Fix> SelectFixes(const std::vector<Finding>& findings, const MigrateOptions& options);

// The fixes in the order their statements run: what builds or validates first, drops last
// (a redundant index goes only after what replaces it exists), each group in the given order;
// a fix whose every remediation statement an earlier fix already has is left out.
std::vector<Fix> OrderFixes(std::vector<Fix> fixes);

// The migration file: a header comment listing the fixes, the up section with every
// remediation statement in order, the down section with every revert statement in reverse
// order (a fix without revert is named there in a comment). database: for the header.
std::string RenderFixesMigration(const std::vector<Fix>& fixes, const std::string& name,
                                 const std::string& database);

}  // namespace dbopt::cli::migrate
