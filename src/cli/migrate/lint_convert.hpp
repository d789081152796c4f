// libpg_query's parse tree -> the lint engine's statement facts (core/migrate). The CLI's
// half of offline `dbopt migrate lint`: parsing happens here, every decision in the core.
#pragma once
#include <string>
#include <vector>

#include "core/migrate/statement_facts.hpp"

namespace dbopt::cli {

struct ConvertedSql {
  std::vector<dbopt::migrate::StatementFacts> statements;  // in source order
  bool ok = true;
  int error_line = 0;  // when !ok: the line of the syntax error (in the file's numbering)
  std::string error_message;
};

// Parses sql (one section of a file, or a whole file) with libpg_query and converts every
// statement, numbered from 1 in sql. first_line is the file's line number of the first line
// of sql, so that facts and errors carry the file's numbering.
ConvertedSql ConvertSqlToFacts(const std::string& sql, int first_line = 1);

}  // namespace dbopt::cli
