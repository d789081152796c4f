// Writes an index's CREATE INDEX statement from the model, as pg_get_indexdef() would, for
// indexes on plain columns without a predicate (nearly all of them). The server only has to
// deparse the rest, and deparsing opens the table (see pg/deparse.hpp), so on catalogs with
// thousands of findings this keeps dbopt_health() fast and lock-free.
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

#include "core/model/catalog.hpp"

namespace dbopt {

// What pg_get_indexdef prints beside a key column's name, resolved by the caller.
struct KeyDecoration {
  std::string collation;  // qualified, quoted collation name; empty when it is the column's
  std::string opclass;    // qualified, quoted operator class; empty when it is the default
};

// The statement, or "" when the index has expressions or a predicate (or decorations do not
// match its keys). Storage options come from Index::reloptions.
std::string PlainIndexDefinition(const Table& table, const Index& index,
                                 const std::vector<KeyDecoration>& decorations);

}  // namespace dbopt
