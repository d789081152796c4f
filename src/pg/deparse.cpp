#include "pg/deparse.hpp"

#include "pg/postgres.hpp"

extern "C" {
#include "catalog/index.h"
#include "storage/lmgr.h"
#include "utils/lsyscache.h"
#include "utils/fmgrprotos.h"
}

#include "core/common/sql_text.hpp"
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

std::string ServerDefinitionSource::IndexDefinition(ObjectId index_id) const {
  ObjectId table_id = InvalidOid;
  char* index_name = nullptr;
  CallPg([&] {
    table_id = IndexGetRelation(index_id, true);
    index_name = get_rel_name(index_id);
  });
  if (table_id == InvalidOid || index_name == nullptr) return "";
  if (std::optional<std::string> definition = DeparseIndexDefinition(table_id, index_id))
    return *definition;
  std::string note = "definition of index " + QuoteIdent(index_name) +
                     " unavailable: its table is locked by another transaction; run the "
                     "check again";
  // A quoted name may contain "*/"; keep the comment a comment.
  for (size_t at = note.find("*/"); at != std::string::npos; at = note.find("*/", at))
    note.replace(at, 2, "* /");
  return "/* " + note + " */";
}

}  // namespace dbopt::pg
