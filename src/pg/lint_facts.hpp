// Raw parse trees (raw_parser's RawStmt list) -> the linter's statement facts
// (core/migrate/statement_facts.hpp). Reads node fields only: never calls a PostgreSQL
// function that can raise, never looks anything up in the catalogs.
#pragma once
#include <string>

#include "core/migrate/statement_facts.hpp"
#include "pg/postgres.hpp"

extern "C" {
#include "nodes/parsenodes.h"
}

namespace dbopt::pg {

// The facts of one statement of `script`; `number` is its 1-based position.
migrate::StatementFacts LintFacts(const RawStmt* raw, const std::string& script, int number);

}  // namespace dbopt::pg
