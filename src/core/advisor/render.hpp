// A recommendation as the SQL contract wants it (DESIGN.md): the index named explicitly,
// one autocommit-runnable statement per array element, CONCURRENTLY, and a revert that
// undoes it (also after a partial run).
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

#include "core/advisor/selection.hpp"
#include "core/health/index_ddl.hpp"
#include "core/model/catalog.hpp"

namespace dbopt::advisor {

// CREATE INDEX CONCURRENTLY IF NOT EXISTS <name> ON ...; for a widening, then DROP INDEX
// CONCURRENTLY IF EXISTS the index it replaces. Revert: the replaced index created again
// (its definition, CONCURRENTLY IF NOT EXISTS) before the new one is dropped. On a
// partitioned table, the partitioned recipe of BuildCreateIndex: CREATE INDEX IF NOT EXISTS
// <name> ON ONLY the table, then per partition CREATE INDEX CONCURRENTLY IF NOT EXISTS (ON
// ONLY for a sub-partitioned one) and ALTER INDEX <name> ATTACH PARTITION; revert: DROP
// INDEX IF EXISTS <name> (not CONCURRENTLY: PostgreSQL refuses it for a partitioned index;
// it drops the attached partition indexes), then each leaf's index CONCURRENTLY IF EXISTS
// (left over by a partial run only). A leaf that already has exactly this index
// (ExistingMatches) gets it attached instead, and the revert creates it again at the end.
IndexDdl RenderRecommendation(const Catalog& catalog, const Recommendation& recommendation,
                              IndexNamer& namer);

}  // namespace dbopt::advisor
