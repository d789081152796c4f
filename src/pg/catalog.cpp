#include "pg/catalog.hpp"

#include "pg/postgres.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/tableam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_cast.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_operator.h"
#include "common/shortest_dec.h"
#include "nodes/makefuncs.h"
#include "nodes/nodes.h"
#include "optimizer/optimizer.h"
#include "pgstat.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/common/node_tree.hpp"
#include "pg/deparse.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

// The loader reads pg_class, pg_attribute, pg_index, pg_constraint and the small catalogs it
// needs with direct catalog scans (systable_beginscan + GETSTRUCT/heap_getattr), not SQL:
// on 60,000 relations the executor's joins and the text conversion of every value cost more
// than the checks themselves. Locks: AccessShareLock on each catalog while it is scanned,
// never on a user table (sql/02_lock_free.sql). Snapshot: the statement's active snapshot,
// the one the SQL queries it replaces saw (and the remaining SPI queries see).
namespace dbopt::pg {
namespace {

// A cheap pre-filter for the data checks' set-wise queries (LoadDataCheckColumns).
const char* const kNotSystem =
    "c.relnamespace NOT IN ('pg_catalog'::pg_catalog.regnamespace, "
    "'pg_toast'::pg_catalog.regnamespace)";

Snapshot StatementSnapshot() {
  // NULL makes systable_beginscan register a fresh catalog snapshot itself.
  return ActiveSnapshotSet() ? GetActiveSnapshot() : nullptr;
}

// Calls row(tuple, descriptor) for every row of a system catalog (or, with an index and keys,
// for the rows matching the keys). Runs under CallPg: a C++ exception thrown by `row` is
// carried out of the PG_TRY frame (guard.hpp); `row` must not call PostgreSQL functions that
// can raise while it holds C++ temporaries.
// A whole catalog (no index) is read with heap_getnext, which hands out each row where it
// lies in the page; systable_getnext stores every row in a slot first (a buffer pin and unpin
// per row, then a fetch back out of the slot): on pg_attribute's 300,000 rows of a large
// schema that bookkeeping cost more than the loader's own work on them.
template <typename Row>
void ScanCatalog(Oid catalog_id, Row&& row, Oid index_id = InvalidOid, int key_count = 0,
                 ScanKeyData* keys = nullptr) {
  CallPg([&] {
    Relation relation = table_open(catalog_id, AccessShareLock);
    TupleDesc descriptor = RelationGetDescr(relation);
    HeapTuple tuple;
    // What a row leaves in palloc'd memory (detoasted arrays, node tree text) is copied into
    // the model by `row`: freed after each row instead of piling up for the whole call.
    MemoryContext row_context =
        AllocSetContextCreate(CurrentMemoryContext, "dbopt catalog row", ALLOCSET_DEFAULT_SIZES);
    MemoryContext caller_context = CurrentMemoryContext;
    auto visit = [&](HeapTuple visited) {
      CHECK_FOR_INTERRUPTS();
      MemoryContextSwitchTo(row_context);
      try {
        row(visited, descriptor);
      } catch (...) {
        MemoryContextSwitchTo(caller_context);
        throw;
      }
      MemoryContextSwitchTo(caller_context);
      MemoryContextReset(row_context);
    };
    if (!OidIsValid(index_id) && key_count == 0) {
      Snapshot snapshot = StatementSnapshot();
      const bool own_snapshot = snapshot == nullptr;
      if (own_snapshot) snapshot = RegisterSnapshot(GetCatalogSnapshot(catalog_id));
      TableScanDesc scan = table_beginscan(relation, snapshot, 0, nullptr);
      while ((tuple = heap_getnext(scan, ForwardScanDirection)) != nullptr) visit(tuple);
      table_endscan(scan);
      if (own_snapshot) UnregisterSnapshot(snapshot);
    } else {
      SysScanDesc scan = systable_beginscan(relation, index_id, OidIsValid(index_id),
                                            StatementSnapshot(), key_count, keys);
      while ((tuple = systable_getnext(scan)) != nullptr) visit(tuple);
      systable_endscan(scan);
    }
    MemoryContextDelete(row_context);
    table_close(relation, AccessShareLock);
  });
}

// float4 as the SQL queries returned it (shortest exact decimal text, then strtod), so the
// figures match what psql shows for pg_class.reltuples.
double Float4AsText(float value) {
  char buffer[FLOAT_SHORTEST_DECIMAL_LEN];
  float_to_shortest_decimal_buf(value, buffer);
  return std::strtod(buffer, nullptr);
}

// What pgstat says about a relation (the pg_stat_get_* functions' source).
struct RelationStats {
  std::int64_t scans = 0;
  std::int64_t inserts = 0;
  std::int64_t updates = 0;
  std::int64_t deletes = 0;
  std::int64_t hot_updates = 0;
};
// pgstat_fetch_stat_tabentry() looks in the database's entries, then, when there is none,
// in the shared relations' ones: two lookups (and two cached misses) for every relation
// without statistics. The relation's relisshared says which one holds it.
RelationStats StatsOf(Oid relation_id, bool shared) {
  RelationStats stats;
  if (PgStat_StatTabEntry* entry = pgstat_fetch_stat_tabentry_ext(shared, relation_id)) {
    stats.scans = entry->numscans;
    stats.inserts = entry->tuples_inserted;
    stats.updates = entry->tuples_updated;
    stats.deletes = entry->tuples_deleted;
    stats.hot_updates = entry->tuples_hot_updated;
  }
  return stats;
}

// pg_class facts of an index, kept from the pg_class scan until pg_index is read.
struct IndexClass {
  Oid namespace_id = InvalidOid;
  Oid access_method = InvalidOid;
  NameData name;
  double pages = 0;
  bool is_partition = false;
  bool is_shared = false;
  std::vector<std::string> reloptions;
};

// Rows the loader keeps between its catalog scans.
struct LoadState {
  std::unordered_map<Oid, std::string> namespaces;
  std::unordered_map<Oid, Oid> partition_parent;  // pg_inherits of partitions
  // Flat id-keyed containers (core/model/object_map.hpp): one allocation per chunk of rows,
  // not one hash node per row. The catalog's own tables are found with Catalog::tables.
  ObjectMap<IndexClass> index_classes;
  // conindid -> (PK/UNIQUE/EXCLUDE constraint, its conrelid)
  ObjectMap<std::pair<Oid, Oid>> index_constraint;
  ObjectIndex foreign_key_indexes;  // conindid of every FK row
  ObjectIndex nulls_not_distinct;
  std::shared_ptr<IndexTrees> index_trees = std::make_shared<IndexTrees>();
};

// The text of a text[] (reloptions) as a vector.
std::vector<std::string> TextArray(Datum datum) {
  std::vector<std::string> values;
  Datum* elements = nullptr;
  bool* nulls = nullptr;
  int count = 0;
  deconstruct_array(DatumGetArrayTypeP(datum), TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls,
                    &count);
  for (int i = 0; i < count; ++i) {
    if (nulls[i]) {
      values.emplace_back();
      continue;
    }
    text* element = DatumGetTextPP(elements[i]);
    values.emplace_back(VARDATA_ANY(element), VARSIZE_ANY_EXHDR(element));
  }
  return values;
}

void LoadTables(Catalog& catalog, LoadState& state) {
  // The tables dbopt reports on: ordinary and partitioned tables outside the system schemas
  // and other sessions' temporary schemas, not owned by an extension.
  std::unordered_set<Oid> excluded_namespaces;
  ScanCatalog(NamespaceRelationId, [&](HeapTuple tuple, TupleDesc) {
    const Form_pg_namespace form = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tuple));
    const char* name = NameStr(form->nspname);
    state.namespaces.emplace(form->oid, name);
    if (strcmp(name, "pg_catalog") == 0 || strcmp(name, "information_schema") == 0 ||
        strncmp(name, "pg_toast", 8) == 0 ||
        (strncmp(name, "pg_temp_", 8) == 0 && !isTempNamespace(form->oid)))
      excluded_namespaces.insert(form->oid);
  });
  // Extension members: pg_depend rows of deptype 'e' (they always reference pg_extension).
  std::unordered_set<Oid> extension_members;
  ScanKeyData key;
  ScanKeyInit(&key, Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
              ObjectIdGetDatum(ExtensionRelationId));
  ScanCatalog(
      DependRelationId,
      [&](HeapTuple tuple, TupleDesc) {
        const Form_pg_depend form = reinterpret_cast<Form_pg_depend>(GETSTRUCT(tuple));
        if (form->classid == RelationRelationId && form->deptype == DEPENDENCY_EXTENSION)
          extension_members.insert(form->objid);
      },
      DependReferenceIndexId, 1, &key);
  ScanCatalog(InheritsRelationId, [&](HeapTuple tuple, TupleDesc) {
    const Form_pg_inherits form = reinterpret_cast<Form_pg_inherits>(GETSTRUCT(tuple));
    state.partition_parent[form->inhrelid] = form->inhparent;
  });
  auto parent_of = [&state](Oid relation_id, bool is_partition) -> ObjectId {
    if (!is_partition) return 0;
    auto parent = state.partition_parent.find(relation_id);
    return parent == state.partition_parent.end() ? 0 : parent->second;
  };

  ScanCatalog(RelationRelationId, [&](HeapTuple tuple, TupleDesc descriptor) {
    const Form_pg_class form = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple));
    if (form->relkind == RELKIND_INDEX || form->relkind == RELKIND_PARTITIONED_INDEX) {
      if (form->relnamespace == PG_CATALOG_NAMESPACE || form->relnamespace == PG_TOAST_NAMESPACE)
        return;
      IndexClass& index = *state.index_classes.Emplace(form->oid).first;
      index.namespace_id = form->relnamespace;
      index.access_method = form->relam;
      index.name = form->relname;
      index.pages = form->relpages;
      index.is_partition = form->relispartition;
      index.is_shared = form->relisshared;
      bool is_null = false;
      Datum options = heap_getattr(tuple, Anum_pg_class_reloptions, descriptor, &is_null);
      if (!is_null) index.reloptions = TextArray(options);
      return;
    }
    if (form->relkind != RELKIND_RELATION && form->relkind != RELKIND_PARTITIONED_TABLE) return;
    if (excluded_namespaces.count(form->relnamespace) != 0 ||
        extension_members.count(form->oid) != 0)
      return;
    auto schema = state.namespaces.find(form->relnamespace);
    if (schema == state.namespaces.end()) return;  // the inner join of the SQL it replaces
    Table table;
    table.id = form->oid;
    table.schema = schema->second;
    table.name = NameStr(form->relname);
    table.kind = form->relkind;
    table.parent_id = parent_of(form->oid, form->relispartition);
    table.rows = Float4AsText(form->reltuples);
    table.pages = form->relpages;
    table.columns.reserve(static_cast<size_t>(std::max<int>(form->relnatts, 0)));
    const RelationStats stats = StatsOf(form->oid, form->relisshared);
    table.seq_scans = stats.scans;
    table.updates = stats.updates;
    table.deletes = stats.deletes;
    table.inserts = stats.inserts;
    table.hot_updates = stats.hot_updates;
    catalog.tables.Emplace(table.id, std::move(table));
  });
}

void LoadColumns(Catalog& catalog, LoadState& state) {
  std::map<std::pair<Oid, int32>, std::string> type_names;  // format_type(), computed once
  // A relation's rows come one after the other: its table (or none) is looked up once per
  // run of them, not for each of pg_attribute's 300,000 rows of a large schema.
  Oid last_relation = InvalidOid;
  Table* last_table = nullptr;
  const std::string* last_type_name = nullptr;
  Oid last_type = InvalidOid;
  int32 last_typmod = 0;
  ScanCatalog(AttributeRelationId, [&](HeapTuple tuple, TupleDesc descriptor) {
    const Form_pg_attribute form = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tuple));
    if (form->attnum <= 0 || form->attisdropped) return;
    if (form->attrelid != last_relation || last_relation == InvalidOid) {
      last_relation = form->attrelid;
      last_table = catalog.tables.Get(form->attrelid);
    }
    if (last_table == nullptr) {
      // Per-column operator class options of an index (rare; written by pg_get_indexdef).
      if (!heap_attisnull(tuple, Anum_pg_attribute_attoptions, descriptor) &&
          state.index_classes.contains(form->attrelid))
        state.index_trees->column_options.insert(form->attrelid);
      return;
    }
    if (last_type_name == nullptr || form->atttypid != last_type ||
        form->atttypmod != last_typmod) {
      auto type_name = type_names.find({form->atttypid, form->atttypmod});
      if (type_name == type_names.end()) {
        // As format_type(atttypid, atttypmod) prints it.
        char* text = format_type_extended(form->atttypid, form->atttypmod,
                                          FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID);
        type_name = type_names.emplace(std::make_pair(form->atttypid, form->atttypmod), text).first;
        pfree(text);
      }
      last_type_name = &type_name->second;  // std::map: stays where it is
      last_type = form->atttypid;
      last_typmod = form->atttypmod;
    }
    Column& column = last_table->columns.emplace_back();
    column.attnum = form->attnum;
    column.name = NameStr(form->attname);
    column.type_id = form->atttypid;
    column.typmod = form->atttypmod;
    column.type_name = *last_type_name;
    column.collation = form->attcollation;
    column.not_null = form->attnotnull;
  });
  // pg_attribute rows usually come in attnum order already: sort only the tables they did not.
  auto by_attnum = [](const Column& a, const Column& b) { return a.attnum < b.attnum; };
  for (auto& [id, table] : catalog.tables)
    if (!std::is_sorted(table.columns.begin(), table.columns.end(), by_attnum))
      std::sort(table.columns.begin(), table.columns.end(), by_attnum);
}

// The elements of a one-dimensional int2[] or oid[] without NULLs (conkey, conpfeqop), read in
// place (valid until the row context is reset); none otherwise.
template <typename Element>
std::pair<const Element*, int> ArrayElements(Datum datum) {
  ArrayType* array = DatumGetArrayTypeP(datum);
  if (ARR_NDIM(array) != 1 || ARR_HASNULL(array)) return {nullptr, 0};
  return {reinterpret_cast<const Element*>(ARR_DATA_PTR(array)), ARR_DIMS(array)[0]};
}

// Catalog::foreign_keys (one per logical FK: clones on partitions and the per-partition rows of
// FKs that reference partitioned tables have conparentid set and are skipped) and
// Catalog::constraints, in constraint OID order, straight from pg_constraint's rows; and, for
// LoadIndexes, which index backs which constraint. Needs the tables' columns (LoadColumns).
void ScanConstraints(Catalog& catalog, LoadState& state) {
  auto column_name = [](const Table* t, std::int64_t attnum) -> std::string {
    if (t == nullptr) return "";
    for (const Column& c : t->columns)
      if (c.attnum == attnum) return c.name;
    return "";
  };
  ScanCatalog(ConstraintRelationId, [&](HeapTuple tuple, TupleDesc descriptor) {
    const Form_pg_constraint form = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tuple));
    if (form->contype == CONSTRAINT_FOREIGN && form->conindid != InvalidOid)
      state.foreign_key_indexes.Insert(form->conindid, 0);
    if (form->contype == CONSTRAINT_PRIMARY || form->contype == CONSTRAINT_UNIQUE ||
        form->contype == CONSTRAINT_EXCLUSION) {
      state.index_constraint[form->conindid] = {form->oid, form->conrelid};
    }
    if (form->conparentid != InvalidOid || form->conrelid == InvalidOid) return;
    const Table* table = catalog.tables.Get(form->conrelid);
    if (table == nullptr) return;
    CheckConstraintInfo& info = catalog.constraints.emplace_back();
    info.id = form->oid;
    info.name = NameStr(form->conname);
    info.table_id = form->conrelid;
    info.type = form->contype;
    info.validated = form->convalidated;
    // Details only where they matter (deferrable, or NOT VALID: the checks' inputs).
    if (form->condeferrable || !form->convalidated) {
      info.deferrable = form->condeferrable;
      info.deferred = form->condeferred;
      info.local = form->conislocal;
    }
    if (form->contype != CONSTRAINT_FOREIGN) return;
    ForeignKey& fk = catalog.foreign_keys.emplace_back();
    fk.id = form->oid;
    fk.name = info.name;
    fk.table_id = form->conrelid;
    fk.referenced_table_id = form->confrelid;
    fk.validated = form->convalidated;
    fk.on_update = form->confupdtype;
    fk.on_delete = form->confdeltype;
    Datum values[Natts_pg_constraint];
    bool nulls[Natts_pg_constraint];
    heap_deform_tuple(tuple, descriptor, values, nulls);
    if (!nulls[Anum_pg_constraint_conkey - 1]) {
      auto [attnums, count] = ArrayElements<int16>(values[Anum_pg_constraint_conkey - 1]);
      fk.columns.reserve(count);
      for (int i = 0; i < count; ++i) fk.columns.push_back(column_name(table, attnums[i]));
    }
    if (!nulls[Anum_pg_constraint_confkey - 1]) {
      const Table* referenced = catalog.tables.Get(fk.referenced_table_id);
      auto [attnums, count] = ArrayElements<int16>(values[Anum_pg_constraint_confkey - 1]);
      fk.referenced_columns.reserve(count);
      for (int i = 0; i < count; ++i)
        fk.referenced_columns.push_back(column_name(referenced, attnums[i]));
    }
    if (!nulls[Anum_pg_constraint_conpfeqop - 1]) {
      auto [operators, count] = ArrayElements<Oid>(values[Anum_pg_constraint_conpfeqop - 1]);
      fk.equality_operators.assign(operators, operators + count);
    }
  });
  // pg_constraint's rows usually come in OID order already.
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  if (!std::is_sorted(catalog.foreign_keys.begin(), catalog.foreign_keys.end(), by_id))
    std::sort(catalog.foreign_keys.begin(), catalog.foreign_keys.end(), by_id);
  if (!std::is_sorted(catalog.constraints.begin(), catalog.constraints.end(), by_id))
    std::sort(catalog.constraints.begin(), catalog.constraints.end(), by_id);

  // pg_get_constraintdef() of the NOT VALID ones (rare).
  for (CheckConstraintInfo& constraint : catalog.constraints) {
    if (constraint.validated) continue;
    char* definition = nullptr;
    const Oid id = constraint.id;
    CallPg([&] {
      LOCAL_FCINFO(call, 1);
      InitFunctionCallInfoData(*call, nullptr, 1, InvalidOid, nullptr, nullptr);
      call->args[0].value = ObjectIdGetDatum(id);
      call->args[0].isnull = false;
      Datum value = pg_get_constraintdef(call);
      if (!call->isnull) definition = text_to_cstring(DatumGetTextPP(value));
    });
    if (definition != nullptr) {
      constraint.definition = definition;
      pfree(definition);
    }
  }
}

// pg_index's indcollation, indclass and indoption, found from indkey (the last attribute
// GETSTRUCT reaches) as heap_deform_tuple would find them: each follows the previous one at the
// next 4-byte boundary (int2vector and oidvector are never null, never stored with a short
// header or toasted: typstorage 'p', alignment 'i'). heap_deform_tuple walked all ten
// variable-length and nullable attributes of each of 50,000 rows for these three. Leaves the
// pointers null when a vector would not lie within the row.
void IndexVectors(HeapTuple tuple, Form_pg_index form, const oidvector** collations,
                  const oidvector** classes, const int2vector** options) {
  const char* const end = reinterpret_cast<const char*>(tuple->t_data) + tuple->t_len;
  const char* at = reinterpret_cast<const char*>(&form->indkey);
  const char* found[3];
  for (const char*& vector : found) {
    if (at + VARHDRSZ > end || VARATT_IS_SHORT(at) || at + VARSIZE(at) > end) return;
    at = reinterpret_cast<const char*>(TYPEALIGN(ALIGNOF_INT, at + VARSIZE(at)));
    if (at + VARHDRSZ > end || VARATT_IS_SHORT(at) || at + VARSIZE(at) > end) return;
    vector = at;
  }
  *collations = reinterpret_cast<const oidvector*>(found[0]);
  *classes = reinterpret_cast<const oidvector*>(found[1]);
  *options = reinterpret_cast<const int2vector*>(found[2]);
}

void LoadIndexes(Catalog& catalog, LoadState& state) {
  std::unordered_map<ObjectId, ObjectId> opclass_family;
  std::unordered_set<ObjectId> default_opclasses;
  ScanCatalog(OperatorClassRelationId, [&](HeapTuple tuple, TupleDesc) {
    const Form_pg_opclass form = reinterpret_cast<Form_pg_opclass>(GETSTRUCT(tuple));
    opclass_family[form->oid] = form->opcfamily;
    if (form->opcdefault) default_opclasses.insert(form->oid);
  });
  std::unordered_map<Oid, std::string> access_methods;
  ScanCatalog(AccessMethodRelationId, [&](HeapTuple tuple, TupleDesc) {
    const Form_pg_am form = reinterpret_cast<Form_pg_am>(GETSTRUCT(tuple));
    access_methods.emplace(form->oid, NameStr(form->amname));
  });

  ScanCatalog(IndexRelationId, [&](HeapTuple tuple, TupleDesc descriptor) {
    const Form_pg_index form = reinterpret_cast<Form_pg_index>(GETSTRUCT(tuple));
    const Table* table = catalog.tables.Get(form->indrelid);
    if (table == nullptr) return;  // not a user table
    IndexClass* index_class = state.index_classes.Get(form->indexrelid);
    if (index_class == nullptr) return;
    auto schema = state.namespaces.find(index_class->namespace_id);
    auto method = access_methods.find(index_class->access_method);
    if (schema == state.namespaces.end() || method == access_methods.end()) return;
    if (form->indnullsnotdistinct) state.nulls_not_distinct.Insert(form->indexrelid, 0);

    // Built in place in the catalog's map (an Index is large: no temporary to move).
    Index& index = catalog.indexes[form->indexrelid];
    index.id = form->indexrelid;
    index.table_id = form->indrelid;
    index.schema = schema->second;
    index.name = NameStr(index_class->name);
    index.access_method = method->second;
    const int key_count = form->indnkeyatts;
    const int16* attnums = form->indkey.values;
    const size_t column_count = static_cast<size_t>(form->indkey.dim1);
    // The vectors are read where they are (the row is in a pinned buffer until the next row).
    const oidvector* collations = nullptr;
    const oidvector* classes = nullptr;
    const int2vector* options = nullptr;
    IndexVectors(tuple, form, &collations, &classes, &options);
    if (collations == nullptr) {  // not laid out as expected: let PostgreSQL find them
      Datum values[Natts_pg_index];
      bool nulls[Natts_pg_index];
      heap_deform_tuple(tuple, descriptor, values, nulls);
      classes =
          reinterpret_cast<const oidvector*>(DatumGetPointer(values[Anum_pg_index_indclass - 1]));
      collations = reinterpret_cast<const oidvector*>(
          DatumGetPointer(values[Anum_pg_index_indcollation - 1]));
      options =
          reinterpret_cast<const int2vector*>(DatumGetPointer(values[Anum_pg_index_indoption - 1]));
    }
    // The stored trees (rare: expression and partial indexes) by attribute: only these rows
    // pay for the walk to them.
    bool predicate_null = heap_attisnull(tuple, Anum_pg_index_indpred, descriptor);
    bool expressions_null = heap_attisnull(tuple, Anum_pg_index_indexprs, descriptor);
    const Datum predicate_datum =
        predicate_null ? 0
                       : heap_getattr(tuple, Anum_pg_index_indpred, descriptor, &predicate_null);
    const Datum expressions_datum = expressions_null ? 0
                                                     : heap_getattr(tuple, Anum_pg_index_indexprs,
                                                                    descriptor, &expressions_null);
    index.unique = form->indisunique;
    index.primary = form->indisprimary;
    index.exclusion = form->indisexclusion;
    index.valid = form->indisvalid;
    index.ready = form->indisready;
    index.replica_identity = form->indisreplident;
    const std::pair<Oid, Oid>* constraint = state.index_constraint.Get(form->indexrelid);
    if (constraint != nullptr && constraint->second == form->indrelid)
      index.constraint_id = constraint->first;
    if (index_class->is_partition) {
      auto parent = state.partition_parent.find(form->indexrelid);
      if (parent != state.partition_parent.end()) index.parent_index_id = parent->second;
    }
    index.pages = index_class->pages;
    index.scans = StatsOf(form->indexrelid, index_class->is_shared).scans;
    // Stored trees, not deparsed SQL: deparsing opens (locks) the table. See node_tree.hpp.
    // As stored, they are kept for the definitions (pg/deparse.hpp) and predicate proofs.
    std::vector<std::string> expressions;
    if (!predicate_null || !expressions_null) {
      IndexTrees::Trees& trees = state.index_trees->by_index[index.id];
      if (!predicate_null) {
        trees.predicate = TextDatumGetCString(predicate_datum);
        index.predicate = StripNodeLocations(trees.predicate);
      }
      if (!expressions_null) {
        trees.expressions = TextDatumGetCString(expressions_datum);
        expressions = SplitNodeList(StripNodeLocations(trees.expressions));
      }
    }
    index.reloptions = std::move(index_class->reloptions);  // read once, not needed after
    size_t next_expression = 0;

    index.keys.reserve(static_cast<size_t>(key_count));
    if (column_count > static_cast<size_t>(key_count))
      index.include.reserve(column_count - static_cast<size_t>(key_count));
    for (size_t k = 0; k < column_count; ++k) {
      IndexColumn column;
      if (attnums[k] == 0) {
        column.expression =
            next_expression < expressions.size() ? expressions[next_expression++] : "?";
      } else {
        for (const Column& c : table->columns)
          if (c.attnum == attnums[k]) column.column = c.name;
      }
      const bool is_key = static_cast<int>(k) < key_count;
      if (is_key) {
        column.opclass = k < static_cast<size_t>(classes->dim1) ? classes->values[k] : 0;
        auto family = opclass_family.find(column.opclass);
        column.opfamily = family == opclass_family.end() ? 0 : family->second;
        if (default_opclasses.count(column.opclass) == 0) index.default_opclasses = false;
        column.collation = k < static_cast<size_t>(collations->dim1) ? collations->values[k] : 0;
        column.option = k < static_cast<size_t>(options->dim1) ? options->values[k] : 0;
        index.keys.push_back(std::move(column));
      } else {
        index.include.push_back(std::move(column));
      }
    }
  });
}

// (operator family, equality operator) pairs of btree (strategy 3) and hash (strategy 1).
void LoadEqualityMembers(Catalog& catalog) {
  QueryResult members = SpiQuery(R"SQL(
  SELECT ao.amopfamily, ao.amopopr
    FROM pg_catalog.pg_amop ao
    JOIN pg_catalog.pg_am am ON am.oid = ao.amopmethod
   WHERE (am.amname = 'btree' AND ao.amopstrategy = 3)
      OR (am.amname = 'hash' AND ao.amopstrategy = 1))SQL");
  for (size_t r = 0; r < members.rows(); ++r)
    catalog.equality_members.emplace(static_cast<ObjectId>(members.Int(r, 0)),
                                     static_cast<ObjectId>(members.Int(r, 1)));
}

// How the RI lookup of each FK compares (FK coverage), from one read of the FKs' operators:
// ForeignKey::lookup_operators, each conpfeqop's commutator (0 if none), and
// ForeignKey::lookup_casts. ri_triggers.c builds `$n OPERATOR(pfeqop) fk_col` and casts fk_col
// to the operator's right-hand type when the column's type differs. The cast is invisible to
// indexes when it is binary (varchar to text, a domain to its base type) or to a pseudo-type
// (anyarray); any other cast (int4 to numeric) hides the column from every index.
void LoadForeignKeyOperators(Catalog& catalog) {
  if (catalog.foreign_keys.empty()) return;
  std::unordered_map<ObjectId, ObjectId> commutator;
  std::unordered_map<ObjectId, ObjectId> right_type;  // operator -> oprright, 0 if pseudo
  std::set<ObjectId> operators;
  for (const ForeignKey& fk : catalog.foreign_keys)
    operators.insert(fk.equality_operators.begin(), fk.equality_operators.end());
  for (ObjectId op : operators) {
    bool found = false;
    Oid com = InvalidOid;
    Oid right = InvalidOid;
    CallPg([&] {
      HeapTuple tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(op));
      if (!HeapTupleIsValid(tuple)) return;
      const Form_pg_operator form = reinterpret_cast<Form_pg_operator>(GETSTRUCT(tuple));
      com = form->oprcom;
      right = form->oprright;
      ReleaseSysCache(tuple);
      const char type_type = OidIsValid(right) ? get_typtype(right) : '\0';
      found = type_type != '\0';  // the operator's right type exists
      if (type_type == TYPTYPE_PSEUDO) right = InvalidOid;
    });
    if (!found) continue;
    commutator[op] = com;
    right_type[op] = right;
  }
  std::unordered_map<ObjectId, ObjectId> domain_base;
  ScanCatalog(TypeRelationId, [&](HeapTuple tuple, TupleDesc) {
    const Form_pg_type form = reinterpret_cast<Form_pg_type>(GETSTRUCT(tuple));
    if (form->typtype == TYPTYPE_DOMAIN) domain_base[form->oid] = form->typbasetype;
  });
  std::set<std::pair<ObjectId, ObjectId>> binary_casts;
  ScanCatalog(CastRelationId, [&](HeapTuple tuple, TupleDesc) {
    const Form_pg_cast form = reinterpret_cast<Form_pg_cast>(GETSTRUCT(tuple));
    if (form->castmethod == COERCION_METHOD_BINARY)
      binary_casts.emplace(form->castsource, form->casttarget);
  });
  for (ForeignKey& fk : catalog.foreign_keys) {
    for (ObjectId op : fk.equality_operators) {
      auto found = commutator.find(op);
      fk.lookup_operators.push_back(found == commutator.end() ? 0 : found->second);
    }
    const Table* table = catalog.FindTable(fk.table_id);
    if (table == nullptr) continue;
    fk.lookup_casts.assign(fk.columns.size(), false);
    for (size_t i = 0; i < fk.columns.size() && i < fk.equality_operators.size(); ++i) {
      const Column* column = table->FindColumn(fk.columns[i]);
      auto right = right_type.find(fk.equality_operators[i]);
      if (column == nullptr || right == right_type.end() || right->second == 0) continue;
      ObjectId type = column->type_id;
      for (int depth = 0; depth < 32 && type != right->second; ++depth) {
        auto base = domain_base.find(type);
        if (base == domain_base.end()) break;
        type = base->second;
      }
      fk.lookup_casts[i] = type != right->second && binary_casts.count({type, right->second}) == 0;
    }
  }
}

// Index and constraint details used by the redundant/unused/invalid index and NOT VALID checks
// (core/health/schema_checks.hpp). Each part returns only the rare non-default rows, so it
// stays cheap on large catalogs; rows for objects the catalog did not load are ignored.
void LoadIndexAndConstraintDetails(Catalog& catalog, const LoadState& state) {
  for (auto& [id, index] : catalog.indexes) {
    index.nulls_not_distinct = state.nulls_not_distinct.Find(id) != ObjectIndex::kNone;
    index.referenced_by_foreign_key = state.foreign_key_indexes.Find(id) != ObjectIndex::kNone;
  }
  QueryResult rows = SpiQuery(
      "SELECT index_relid FROM pg_catalog.pg_stat_progress_create_index WHERE index_relid <> 0");
  for (size_t r = 0; r < rows.rows(); ++r) {
    auto index = catalog.indexes.find(static_cast<ObjectId>(rows.Int(r, 0)));
    if (index != catalog.indexes.end()) index->second.build_in_progress = true;
  }
}

void LoadStatsAge(Catalog& catalog) {
  QueryResult rows = SpiQuery(R"SQL(
  SELECT stats_reset::text,
         EXTRACT(epoch FROM pg_catalog.now() - COALESCE(stats_reset, pg_catalog.pg_postmaster_start_time()))
    FROM pg_catalog.pg_stat_database WHERE datname = pg_catalog.current_database())SQL");
  if (rows.rows() == 0) return;
  if (!rows.IsNull(0, 0)) catalog.stats_reset = rows.Text(0, 0);
  catalog.stats_age_seconds = rows.Double(0, 1);
}

}  // namespace

void RequireSchema(const std::string& schema) {
  QueryResult rows = SpiQuery(
      "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1::pg_catalog.name", {schema});
  if (rows.rows() == 0)
    throw SqlError(ERRCODE_UNDEFINED_SCHEMA, "schema \"" + schema + "\" does not exist",
                   "Pass an existing schema name, or NULL for every schema.");
}

// Relation statistics read from one snapshot of the shared statistics while the catalog loads
// (stats_fetch_consistency = snapshot, restored after). Under the default (cache) every
// pgstat_fetch_stat_tabentry_ext looks the relation up in the shared hash under a partition
// lock and adds an entry -- an empty one when the relation has no statistics -- to the
// transaction's cache: 60,000 probes and a 60,000-entry table on a large schema. A snapshot
// copies the database's existing entries in one pass over the shared hash, and each relation
// is then one local lookup. Changing the setting drops any statistics this transaction had
// cached (PostgreSQL's own rule for that setting), as a function's SET clause would.
class StatisticsSnapshot {
 public:
  StatisticsSnapshot() {
    CallPg([&] {
      level_ = NewGUCNestLevel();
      (void)set_config_option("stats_fetch_consistency", "snapshot", PGC_USERSET, PGC_S_SESSION,
                              GUC_ACTION_SAVE, true, 0, false);
    });
  }
  // Restores the setting; on an error the transaction's abort does it.
  void End() {
    if (level_ > 0) CallPg([&] { AtEOXact_GUC(true, level_); });
    level_ = 0;
  }

 private:
  int level_ = 0;
};

Catalog LoadCatalog(const std::optional<std::string>& schema) {
  Catalog catalog;
  if (schema) {
    RequireSchema(*schema);
    catalog.scope_schema = *schema;
  }
  StatisticsSnapshot statistics;
  LoadState state;
  LoadTables(catalog, state);
  LoadColumns(catalog, state);
  ScanConstraints(catalog, state);
  LoadIndexes(catalog, state);
  // Scratch freed as soon as it is used up, so that what is allocated next (the constraints,
  // the links, the findings) reuses its memory instead of touching new pages.
  state.index_classes.clear();
  LoadEqualityMembers(catalog);
  LoadForeignKeyOperators(catalog);
  LoadIndexAndConstraintDetails(catalog, state);
  LoadStatsAge(catalog);
  statistics.End();
  catalog.Link();
  catalog.definitions = std::make_shared<ServerDefinitionSource>(std::move(state.index_trees));
  return catalog;
}

// Data checks only: generated and composite-typed columns, and pg_stats.null_frac. pg_stats
// shows only the columns the current role may read; the others keep null_fraction = -1.
// Partitioned tables have only inherited statistics.
void LoadDataCheckColumns(Catalog& catalog) {
  std::map<std::pair<ObjectId, int>, Column*> by_attnum;
  for (auto& [id, table] : catalog.tables) {
    if (!catalog.InScope(table)) continue;
    for (Column& column : table.columns) by_attnum[{id, column.attnum}] = &column;
  }
  auto column_at = [&by_attnum](const QueryResult& rows, size_t r) -> Column* {
    auto it =
        by_attnum.find({static_cast<ObjectId>(rows.Int(r, 0)), static_cast<int>(rows.Int(r, 1))});
    return it == by_attnum.end() ? nullptr : it->second;
  };
  QueryResult kinds = SpiQuery((R"SQL(
  SELECT a.attrelid, a.attnum, a.attgenerated <> '', composite
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype,
         LATERAL (SELECT t.typtype = 'c' OR COALESCE(b.typtype = 'c', false) AS composite) k
   WHERE c.relkind IN ('r', 'p') AND )SQL" +
                                std::string(kNotSystem) + R"SQL(
     AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull
     AND (a.attgenerated <> '' OR composite))SQL")
                                   .c_str());
  for (size_t r = 0; r < kinds.rows(); ++r) {
    if (Column* column = column_at(kinds, r)) {
      column->generated = kinds.Bool(r, 2);
      column->composite = kinds.Bool(r, 3);
    }
  }
  QueryResult stats =
      SpiQuery((R"SQL(
  SELECT c.oid, a.attnum, s.null_frac
    FROM pg_catalog.pg_stats s
    JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname
   WHERE c.relkind IN ('r', 'p') AND s.inherited = (c.relkind = 'p')
     AND a.attnum > 0 AND NOT a.attnotnull AND )SQL" +
                std::string(kNotSystem) + R"SQL(
     AND ($1::pg_catalog.text IS NULL OR n.nspname = $1::pg_catalog.name))SQL")
                   .c_str(),
               {catalog.scope_schema.empty() ? std::nullopt
                                             : std::optional<std::string>(catalog.scope_schema)});
  for (size_t r = 0; r < stats.rows(); ++r)
    if (Column* column = column_at(stats, r)) column->null_fraction = stats.Double(r, 2);
}

ServerPredicateOracle::ServerPredicateOracle(const Catalog& catalog)
    : catalog_(catalog), trees_(ServerDefinitionSource::TreesOf(catalog)) {}

bool ServerPredicateOracle::ImpliedByNotNull(const Index& index,
                                             const std::vector<std::string>& columns) const {
  if (!index.Partial()) return true;
  // The index id's bytes, then each column name and a NUL (names have none).
  std::string key(reinterpret_cast<const char*>(&index.id), sizeof index.id);
  for (const std::string& column : columns) key.append(column).push_back('\0');
  auto known = answers_.find(key);
  if (known != answers_.end()) return known->second;
  const bool implied = Prove(index, columns);
  answers_.emplace(std::move(key), implied);
  return implied;
}

bool ServerPredicateOracle::Prove(const Index& index,
                                  const std::vector<std::string>& columns) const {
  if (trees_ == nullptr) return false;
  auto tree = trees_->by_index.find(index.id);
  const Table* table = catalog_.FindTable(index.table_id);
  if (tree == trees_->by_index.end() || tree->second.predicate.empty() || table == nullptr)
    return false;
  std::vector<const Column*> not_null;
  for (const std::string& name : columns) {
    const Column* column = table->FindColumn(name);
    if (column == nullptr) return false;
    not_null.push_back(column);
  }
  const char* tree_text = tree->second.predicate.c_str();
  bool implied = false;
  MemoryContext proof_context = nullptr;
  MemoryContext caller_context = CurrentMemoryContext;
  CallPg([&] {
    // The trees the proof builds are garbage once it answers.
    proof_context = AllocSetContextCreate(CurrentMemoryContext, "dbopt predicate proof",
                                          ALLOCSET_DEFAULT_SIZES);
    MemoryContextSwitchTo(proof_context);
    Node* predicate = static_cast<Node*>(stringToNode(tree_text));
    predicate = eval_const_expressions(nullptr, predicate);
    Expr* canonical = canonicalize_qual(reinterpret_cast<Expr*>(predicate), false);
    List* predicate_list = make_ands_implicit(canonical);
    List* known = NIL;
    for (const Column* column : not_null) {
      NullTest* test = makeNode(NullTest);
      test->arg =
          reinterpret_cast<Expr*>(makeVar(1, static_cast<AttrNumber>(column->attnum),
                                          column->type_id, column->typmod, column->collation, 0));
      test->nulltesttype = IS_NOT_NULL;
      test->argisrow = false;
      test->location = -1;
      known = lappend(known, test);
    }
    implied = predicate_implied_by(predicate_list, known, false);
  });
  MemoryContextSwitchTo(caller_context);
  if (proof_context != nullptr) MemoryContextDelete(proof_context);
  return implied;
}

}  // namespace dbopt::pg
