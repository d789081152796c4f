// CREATE INDEX / DROP INDEX statements for remediation and revert arrays (DESIGN.md, "The
// SQL contract"): one autocommit-runnable statement per element, every index named
// explicitly, CONCURRENTLY wherever PostgreSQL allows it, and the partitioned-table recipe
// (CREATE INDEX ... ON ONLY the parent, CREATE INDEX CONCURRENTLY on each leaf, ALTER INDEX
// ... ATTACH PARTITION) because CONCURRENTLY is refused on a partitioned table.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model/catalog.hpp"

namespace dbopt {

// What to create: plain key columns with their default operator classes and collations.
struct NewIndex {
  std::vector<std::string> columns;  // raw column names, in index order
  std::string access_method = "btree";
  std::vector<std::string> include;  // INCLUDE columns
  std::string predicate;             // WHERE clause text, empty for none
  bool unique = false;
};

// Hands out index names: "<table>_<col>_<col>_idx" (core/common/sql_text IndexName, at most
// 63 bytes), never one already taken in the schema by a table or index of the catalog or by
// another proposal of this namer (then "..._idx1", "..._idx2", ...). The same table and
// columns always get the same name from one namer, so two findings proposing the same index
// propose it under one name.
class IndexNamer {
 public:
  // Cheap: the catalog's names are collected on the first NameFor call.
  explicit IndexNamer(const Catalog& catalog) : catalog_(catalog) {}
  IndexNamer(const IndexNamer&) = delete;  // taken_ views its own proposed_
  IndexNamer& operator=(const IndexNamer&) = delete;
  std::string NameFor(const Table& table, const std::vector<std::string>& columns);

 private:
  // Taken names: the catalog's relations and this namer's proposals, in an open-addressing
  // table (no node per name, no string built per relation of a large catalog). A slot holds
  // 0 (empty) or the name's hash in its upper 32 bits and its position in names_ + 1 below.
  struct Named {
    const std::string* schema;
    const std::string* name;
  };
  void Load();
  void Insert(const std::string& schema, const std::string& name);
  bool Taken(const std::string& schema, const std::string& name) const;
  const Catalog& catalog_;
  bool loaded_ = false;
  std::vector<Named> names_;
  std::vector<std::uint64_t> slots_;  // size a power of two, at most 60% full
  // Stable storage for the proposals' (schema, name): the tables named need not outlive us.
  std::deque<std::pair<std::string, std::string>> proposed_;
  std::unordered_map<std::string, std::string> assigned_;  // table + columns -> name
};

struct IndexDdl {
  std::string index;                     // qualified name of the (top-level) index created
  std::vector<std::string> remediation;  // in order
  std::vector<std::string> revert;       // in order; undoes remediation, also a partial run
};

// The statement that creates `spec` on `table` under `name` (in the table's schema).
// only = ON ONLY (partitioned parents); concurrently and only exclude each other.
std::string CreateIndexStatement(const Table& table, const std::string& name, const NewIndex& spec,
                                 bool concurrently, bool only);
// DROP INDEX CONCURRENTLY IF EXISTS, or plain DROP INDEX IF EXISTS for a partitioned index
// (PostgreSQL cannot drop those concurrently; dropping one drops its attached partitions).
std::string DropIndexStatement(const std::string& schema, const std::string& name,
                               bool partitioned);
std::string DropIndexStatement(const Index& index, const Catalog& catalog);

// Creates `spec` on `table`: CREATE INDEX CONCURRENTLY on a plain table; on a partitioned one
// the recipe: ON ONLY the table and each partitioned descendant (attached to its parent's new
// index), CREATE INDEX CONCURRENTLY on every leaf, then ATTACH it. When every statement has
// run, the parent index is valid and future partitions get the index automatically.
// Revert: drop the parent index (that drops what is attached), then each leaf index
// concurrently (a no-op unless a partial run left it unattached).
IndexDdl BuildCreateIndex(const Catalog& catalog, const Table& table, const NewIndex& spec,
                          IndexNamer& namer);

// The same recipe for an index whose statements the caller writes: create(table, name,
// concurrently, only) returns the CREATE INDEX [CONCURRENTLY] IF NOT EXISTS <name> ON
// [ONLY] <table> ... statement of the index on `table` (the parent or any partition below
// it). Names come from `namer` with `name_parts`.
// With `existing`, a leaf partition for which it returns an index (valid, unattached, defined
// exactly as the new one) gets that index attached instead of a new one built; the revert
// creates it again (CONCURRENTLY IF NOT EXISTS, its own definition) after the parent index is
// dropped, since dropping the parent drops every attached index.
using CreateIndexText = std::function<std::string(const Table& table, const std::string& name,
                                                  bool concurrently, bool only)>;
using ExistingLeafIndex = std::function<const Index*(const Table& leaf)>;
IndexDdl BuildCreateIndex(const Catalog& catalog, const Table& table,
                          const std::vector<std::string>& name_parts, const CreateIndexText& create,
                          IndexNamer& namer, const ExistingLeafIndex& existing = nullptr);

// CREATE INDEX CONCURRENTLY on each of `tables` separately (no parent index), e.g. for the
// leaves of a partitioned table whose other leaves are already indexed some other way.
IndexDdl BuildCreateIndexOnEach(const std::vector<const Table*>& tables, const NewIndex& spec,
                                IndexNamer& namer);

// Completes the partitioned index `parent` (qualified name `parent_name`) below `table`:
// every partition gets an index matching `parent`'s definition attached to it. A matching,
// valid, unattached index of the partition is attached as it is; otherwise one is created
// (ON ONLY, then recursively, for a sub-partitioned partition; CONCURRENTLY on a leaf) and
// attached. only_missing skips partitions that already have an index attached to `parent`.
// Appends the statements to `out`. Used by the invalid-index check and by FK coverage (an
// invalid parent index that would cover a foreign key), so both propose the same statements.
void AttachMissingPartitionIndexes(const Catalog& catalog, const Index& parent,
                                   const std::string& parent_name, const Table& table,
                                   bool only_missing, IndexNamer& namer,
                                   std::vector<std::string>& out);

}  // namespace dbopt
