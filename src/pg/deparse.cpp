#include "pg/deparse.hpp"

#include "core/common/sql_text.hpp"
#include "core/model/index_definition.hpp"
#include "pg/postgres.hpp"

extern "C" {
#include "catalog/pg_collation.h"
#include "catalog/pg_opclass.h"
#include "storage/lmgr.h"
#include "utils/syscache.h"
#include "utils/lsyscache.h"
#include "utils/fmgrprotos.h"
}

#include "pg/guard.hpp"

namespace dbopt::pg {
namespace {

// Calls a text-returning SQL function with `table_id` conditionally locked; nullopt when the
// lock is not free right now or the function returns NULL (the object vanished).
std::optional<std::string> CallUnlocked(ObjectId table_id, PGFunction function, Datum argument) {
  char* result = nullptr;
  bool locked = false;
  CallPg([&] {
    if (!ConditionalLockRelationOid(table_id, AccessShareLock)) return;
    locked = true;
    LOCAL_FCINFO(call, 1);
    InitFunctionCallInfoData(*call, nullptr, 1, InvalidOid, nullptr, nullptr);
    call->args[0].value = argument;
    call->args[0].isnull = false;
    Datum value = function(call);
    if (!call->isnull) result = text_to_cstring(DatumGetTextPP(value));
    UnlockRelationOid(table_id, AccessShareLock);
  });
  if (!locked || result == nullptr) return std::nullopt;
  std::string text(result);
  pfree(result);
  return text;
}

}  // namespace

std::optional<std::string> DeparseIndexDefinition(ObjectId table_id, ObjectId index_id) {
  return CallUnlocked(table_id, pg_get_indexdef, ObjectIdGetDatum(index_id));
}

namespace {

// A catalog object's name as pg_get_indexdef prints it under dbopt's search_path
// (pg_catalog): bare for pg_catalog's objects, schema-qualified otherwise; "" when gone.
std::string QualifiedCatalogName(const char* schema, const char* name) {
  if (schema == nullptr || name == nullptr) return "";
  if (std::string(schema) == "pg_catalog") return QuoteIdent(name);
  return QuoteIdent(schema) + "." + QuoteIdent(name);
}

std::string OpclassNameUnlessDefault(ObjectId opclass) {
  char* schema = nullptr;
  char* name = nullptr;
  bool is_default = true;
  CallPg([&] {
    HeapTuple tuple = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
    if (!HeapTupleIsValid(tuple)) return;
    Form_pg_opclass form = reinterpret_cast<Form_pg_opclass>(GETSTRUCT(tuple));
    is_default = form->opcdefault;
    if (!is_default) {
      name = pstrdup(NameStr(form->opcname));
      schema = get_namespace_name(form->opcnamespace);
    }
    ReleaseSysCache(tuple);
  });
  return is_default ? "" : QualifiedCatalogName(schema, name);
}

std::string CollationName(ObjectId collation) {
  char* schema = nullptr;
  char* name = nullptr;
  CallPg([&] {
    HeapTuple tuple = SearchSysCache1(COLLOID, ObjectIdGetDatum(collation));
    if (!HeapTupleIsValid(tuple)) return;
    Form_pg_collation form = reinterpret_cast<Form_pg_collation>(GETSTRUCT(tuple));
    name = pstrdup(NameStr(form->collname));
    schema = get_namespace_name(form->collnamespace);
    ReleaseSysCache(tuple);
  });
  return QualifiedCatalogName(schema, name);
}

// The statement written from the model, "" when the index needs the deparser.
std::string DefinitionFromModel(const Catalog& catalog, const Index& index) {
  const Table* table = catalog.FindTable(index.table_id);
  if (table == nullptr || index.Partial()) return "";
  std::vector<KeyDecoration> decorations;
  for (const IndexColumn& key : index.keys) {
    if (key.IsExpression()) return "";
    const Column* column = table->FindColumn(key.column);
    if (column == nullptr) return "";
    KeyDecoration decoration;
    if (key.collation != 0 && key.collation != column->collation)
      decoration.collation = CollationName(key.collation);
    decoration.opclass = OpclassNameUnlessDefault(key.opclass);
    decorations.push_back(std::move(decoration));
  }
  return PlainIndexDefinition(*table, index, decorations);
}

std::string LockedNote(const Index& index) {
  std::string note = "definition of index " + QualifiedName(index) +
                     " unavailable: its table is locked by another transaction; run the "
                     "check again";
  // A quoted name may contain "*/"; keep the comment a comment.
  for (size_t at = note.find("*/"); at != std::string::npos; at = note.find("*/", at))
    note.replace(at, 2, "* /");
  return "/* " + note + " */";
}

}  // namespace

std::string ServerDefinitionSource::IndexDefinition(const Catalog& catalog,
                                                    const Index& index) const {
  auto cached = cache_.find(index.id);
  if (cached != cache_.end()) return cached->second;
  std::string definition = DefinitionFromModel(catalog, index);
  if (definition.empty())
    definition = DeparseIndexDefinition(index.table_id, index.id).value_or(LockedNote(index));
  cache_.emplace(index.id, definition);
  return definition;
}

}  // namespace dbopt::pg
