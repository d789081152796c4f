// Deparsing index definitions without ever waiting for a lock.
// pg_get_indexdef() and pg_get_expr() briefly take AccessShareLock on the table, so a plain
// call queues behind any ACCESS EXCLUSIVE lock (a running migration) and dbopt_health() would
// hang with it. These helpers try the lock without waiting; when another session holds
// a conflicting lock they return nothing and the caller falls back. At most one such lock is
// held at a time, and only for the duration of the deparse. Need a transaction.
#pragma once
#include <optional>
#include <string>
#include <unordered_map>

#include "core/model/catalog.hpp"

namespace dbopt::pg {

// pg_get_indexdef(index): the CREATE INDEX statement.
std::optional<std::string> DeparseIndexDefinition(ObjectId table_id, ObjectId index_id);

// Catalog::definitions for the server (LoadCatalog installs one per catalog): definitions of
// the indexes findings name, each computed once. Plain-column indexes are written from the
// model (core/model/index_definition.hpp) with names from the syscache; the others are
// deparsed; when their table is locked, a comment says so.
class ServerDefinitionSource : public DefinitionSource {
 public:
  std::string IndexDefinition(const Catalog& catalog, const Index& index) const override;

 private:
  mutable std::unordered_map<ObjectId, std::string> cache_;
};

}  // namespace dbopt::pg
