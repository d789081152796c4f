// Index definitions (pg_get_indexdef's text) without ever waiting for a lock.
// pg_get_indexdef() and pg_get_expr() open the table (its relcache entry, under
// AccessShareLock) to name its columns, so a plain call queues behind any ACCESS EXCLUSIVE lock
// (a running migration), and in a new backend each call also builds the table's relcache
// entry. So definitions are written from the catalog rows the loader read: the model for the
// index's shape, and ruleutils' expression deparser for the stored expression and predicate
// trees (pg_index.indexprs, indpred) against a deparse context that names the columns from
// the model instead of opening the table. Only the rare definitions that context cannot print
// exactly as pg_get_indexdef does (CASE expressions, which it lays out on several lines;
// per-column operator class options) still go through pg_get_indexdef, with the table's lock
// tried without waiting: when another session holds a conflicting lock, a comment says so.
// Need a transaction.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/model/catalog.hpp"
#include "core/model/index_definition.hpp"

namespace dbopt::pg {

// pg_get_indexdef(index) with the table locked only if that needs no wait; nullopt otherwise.
std::optional<std::string> DeparseIndexDefinition(ObjectId table_id, ObjectId index_id);

// The stored trees of the loaded indexes that have any (nodeToString text, locations kept),
// and the indexes with per-column operator class options (pg_attribute.attoptions).
struct IndexTrees {
  struct Trees {
    std::string expressions;  // pg_index.indexprs, "" when none
    std::string predicate;    // pg_index.indpred, "" when none
  };
  std::unordered_map<ObjectId, Trees> by_index;
  std::unordered_set<ObjectId> column_options;
};

// Catalog::definitions for the server (LoadCatalog installs one per catalog): definitions of
// the indexes findings name, each computed once (see the top of this file).
class ServerDefinitionSource : public DefinitionSource {
 public:
  explicit ServerDefinitionSource(std::shared_ptr<const IndexTrees> trees)
      : trees_(std::move(trees)) {}
  const std::string& IndexDefinition(const Catalog& catalog, const Index& index) const override;
  // The trees the catalog's loader kept (nullptr for a catalog not loaded by the server).
  static const IndexTrees* TreesOf(const Catalog& catalog);

 private:
  // The SQL of an index's expression keys (by key position, "" for column keys) and
  // predicate, with each expression's type and collation.
  struct Deparsed {
    bool complete = true;  // false when the trees do not match the keys
    std::vector<std::string> expressions;
    std::vector<std::pair<ObjectId, ObjectId>> types;  // (type, collation) by key position
    std::string predicate;
  };
  std::string DefinitionFromCatalog(const Catalog& catalog, const Index& index) const;
  Deparsed Deparse(const Table& table, const Index& index, const IndexTrees::Trees& trees) const;
  // pg_get_indexdef's operator class rule: the name unless the class is the default one of its
  // access method for the key's type. Cached by (operator class, type).
  bool DefaultOpclass(ObjectId opclass, ObjectId type) const;

  std::shared_ptr<const IndexTrees> trees_;
  mutable std::unordered_map<ObjectId, std::string> cache_;
  mutable std::unordered_map<std::string, Deparsed> deparsed_;  // by DeparseKey
  mutable std::vector<KeyDecoration> decorations_;              // DefinitionFromCatalog's
  mutable std::unordered_map<ObjectId, ObjectId> opclass_method_;
  mutable std::unordered_map<std::uint64_t, ObjectId> default_opclass_;  // (type, method)
};

}  // namespace dbopt::pg
