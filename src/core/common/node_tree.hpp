// PostgreSQL's stored expression trees (nodeToString text, as in pg_index.indexprs and
// indpred), handled as opaque text. Comparing trees instead of deparsed SQL needs no catalog
// lookups and no locks, and is exact: two expressions are the same when their trees are,
// once the parse locations (offsets into the creating statement) are removed.
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

namespace dbopt {

// The tree without its ":location N" fields.
std::string StripNodeLocations(const std::string& tree);

// The elements of a stored list "({...} {...})" (pg_index.indexprs), in order. A tree that is
// not a list comes back as its only element.
std::vector<std::string> SplitNodeList(const std::string& tree);

}  // namespace dbopt
