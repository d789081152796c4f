// DDL for re-creating existing indexes (the revert of the index_duplicate, index_redundant and
// index_unused findings, whose remediation is index_ddl.hpp's DropIndexStatement) and for
// repairing invalid partitioned indexes.
//
// Definitions come from Catalog::IndexDefinition (pg_get_indexdef), which prints
//   CREATE [UNIQUE ]INDEX <name> ON [ONLY ]<schema>.<table> USING <method and columns...>
// The part after " USING " does not name the table, so it is reused to re-create the index
// CONCURRENTLY, on ONLY a partitioned parent, or on a partition.
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

#include "core/model/catalog.hpp"

namespace dbopt {

// The text after " USING " of the index's definition ("btree (a) WHERE (b > 0)"); empty when
// the definition is unknown or does not start as pg_get_indexdef prints it.
std::string IndexDefinitionTail(const Catalog& catalog, const Index& index);
// The same for a definition already fetched (deparsing is the expensive part).
std::string IndexDefinitionTail(const Catalog& catalog, const Index& index,
                                const std::string& definition);

// The predicate of a partial index's definition as SQL, the text after its top-level
// " WHERE " ("(b > 0)"); empty when there is none.
std::string IndexPredicateSql(const std::string& definition);

// Statements that re-create the index as it is now, each runnable on its own: for an index on
// a plain table `CREATE INDEX CONCURRENTLY`; for a partitioned index the recipe
// `CREATE INDEX ... ON ONLY` the parent, the attached partition indexes (recursively, leaves
// CONCURRENTLY) and `ALTER INDEX ... ATTACH PARTITION`. Empty when a definition cannot be
// parsed.
// `definition`, when given, receives the index's own definition (for evidence).
std::vector<std::string> RecreateIndexStatements(const Catalog& catalog, const Index& index,
                                                 std::string* definition = nullptr);

// The same statement for `index` on another table of the same partition tree (same column
// names), named `name`: used to build a missing partition index from its parent's definition.
std::string CreateIndexOnTable(const Catalog& catalog, const Index& index, const Table& table,
                               const std::string& name);

// Indexes attached to a partitioned index (pg_inherits), ordered by name.
std::vector<const Index*> AttachedIndexes(const Catalog& catalog, const Index& parent);

// True when `a` and `b` index the same thing the same way: access method, key columns or
// expressions in order with their operator classes, collations and DESC/NULLS options,
// INCLUDE columns (as a set), predicate, uniqueness and NULLS NOT DISTINCT. The tables may
// differ (used for partitions).
bool SameIndexDefinition(const Index& a, const Index& b);
bool SameIndexKey(const IndexColumn& a, const IndexColumn& b);

}  // namespace dbopt
