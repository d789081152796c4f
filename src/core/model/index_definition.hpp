// Writes an index's CREATE INDEX statement from the model, as pg_get_indexdef() would. The
// server resolves only what the model does not hold (names of non-default operator classes and
// collations; the SQL of expression keys and of the predicate, deparsed from the stored trees
// without opening the table: see pg/deparse.hpp), so on catalogs with thousands of findings
// dbopt_health() stays fast and lock-free.
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

#include "core/model/catalog.hpp"

namespace dbopt {

// What pg_get_indexdef prints for a key beyond the model, resolved by the caller.
struct KeyDecoration {
  // An expression key's SQL as pg_get_indexdef prints it (in parentheses unless it reads as a
  // function call); empty for a column key.
  std::string expression;
  std::string collation;  // qualified, quoted collation name; empty when it is the key's own
  std::string opclass;    // qualified, quoted operator class; empty when it is the default
};

// The statement, or "" when decorations do not match the keys (one per key, an expression's
// SQL exactly for the expression keys) or the index is partial and `predicate` is empty.
// `predicate`: the deparsed WHERE condition of a partial index. Storage options come from
// Index::reloptions.
std::string IndexDefinition(const Table& table, const Index& index,
                            const std::vector<KeyDecoration>& decorations,
                            const std::string& predicate);

// The same for indexes on plain columns without a predicate (nearly all of them): "" for the
// others.
std::string PlainIndexDefinition(const Table& table, const Index& index,
                                 const std::vector<KeyDecoration>& decorations);

}  // namespace dbopt
