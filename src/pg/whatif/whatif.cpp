// See whatif.hpp. Memory and state rules:
//  * Parsed specs live in C++ memory (a session cache owned through a plain pointer); what the
//    planner needs (expressions, predicate) is kept as nodeToString text and rebuilt in the
//    planner's memory context by the hook.
//  * The hook is armed through `armed` (a plain pointer to a C array of specs) only inside
//    Plan(), between PG_TRY and PG_FINALLY; a transaction callback disarms it too. The hook
//    body is C-style code: no C++ object with a destructor lives in its frame.
//  * Each planning call runs in its own memory context, deleted on every path.
#include "core/common/sql_text.hpp"
#include "core/whatif/size_model.hpp"
#include "pg/whatif/whatif.hpp"

extern "C" {
#include "access/amapi.h"
#include "access/gin.h"
#include "access/nbtree.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_statistic.h"
#include "commands/defrem.h"
#include "commands/explain.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/readfuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/plancat.h"
#include "parser/parse_utilcmd.h"
#include "parser/parser.h"
#include "pgstat.h"
#include "rewrite/rewriteHandler.h"
#include "rewrite/rewriteManip.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/selfuncs.h"
#include "catalog/pg_statistic_d.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <memory>
#include <unordered_map>

#include "pg/guard.hpp"
#include "pg/replan.hpp"

namespace dbopt::pg::whatif {

// One column of a hypothetical index, resolved.
struct ColumnSpec {
  AttrNumber attno = 0;  // 0 for an expression
  Oid type = InvalidOid;
  int32 typmod = -1;
  Oid collation = InvalidOid;
  Oid opclass = InvalidOid;  // InvalidOid for INCLUDE columns
  Oid opfamily = InvalidOid;
  Oid opcintype = InvalidOid;
  bool descending = false;
  bool nulls_first = false;
  Oid stats_attno_source = 0;  // the column whose statistics stand in for an expression
};

struct Spec {
  IndexInfo info;
  Oid am = InvalidOid;
  int nkeys = 0;
  std::vector<ColumnSpec> columns;  // keys, then INCLUDE columns
  std::string expressions;          // nodeToString of the planner-ready expression list
  std::string predicate;            // nodeToString of the implicit-AND predicate list
  std::string predicate_sql;        // for estimating the predicate's selectivity
  int fillfactor = 0;               // 0: the access method's default
  bool deduplicate_items = true;
  // A real B-tree like this one lets the planner read the leading column's actual extremes
  // (get_actual_variable_range); the hypothetical one gets them once per session instead.
  bool endpoint_probe = false;
  // On a partitioned table: the same index on every leaf partition below it (all levels),
  // each resolved against its leaf (its own attribute numbers, name and fake OID), as the
  // partition indexes of a real partitioned index. The parent's own spec has no storage and
  // is never injected: the planner opens leaves (after partition pruning).
  std::vector<Spec> partitions;
  bool partitioned = false;
};

struct Scope::Entry {
  Spec spec;
  std::string cache_key;  // of spec_cache, where the size is kept for the session too
  bool sized = false;
  IndexSize size;
  double predicate_share = 1;  // partial indexes: the predicate's estimated selectivity
  std::vector<std::unique_ptr<Entry>> leaves;  // one per spec.partitions, same order
  int position = -1;                           // in its Scope (a leaf: its partitioned index's)
};

// A computed size, kept beside the parsed form in the session cache.
struct CachedSize {
  IndexSize size;
  double predicate_share = 1;
};

namespace {

// ---- session state ------------------------------------------------------------------------

std::unordered_map<std::string, Spec>* spec_cache = nullptr;        // never freed: session lifetime
std::unordered_map<std::string, CachedSize>* size_cache = nullptr;  // same keys, same lifetime
// Actual extremes of columns that armed B-trees lead with, as text: (table, column) -> values.
struct Extremes {
  bool have = false;
  std::string low, high;
};
std::map<std::pair<Oid, AttrNumber>, Extremes>* extremes_cache = nullptr;
get_relation_stats_hook_type prev_get_relation_stats = nullptr;
// Tables larger than this are not scanned for their extremes (the histogram's are used).
constexpr BlockNumber kExtremesMaxPages = 32768;
bool callbacks_installed = false;
get_relation_info_hook_type prev_get_relation_info = nullptr;
explain_get_index_name_hook_type prev_explain_get_index_name = nullptr;
// Armed only while Plan() runs: the specs to inject.
Scope::Entry* const* armed = nullptr;
int armed_count = 0;
Oid next_fake_oid = 0;

// Runs an SPI query of the engine's own (CallPg; may ereport). Not captured: every caller runs
// under a dbopt SQL function (pg/internal_statement.hpp).
int ExecuteInternal(const char* sql) {
  return SPI_execute(sql, true, 0);
}

constexpr Oid kFirstFakeOid = 0xFFFFFF00u;

void Disarm() {
  armed = nullptr;
  armed_count = 0;
}

// The size cache key of a partitioned index's partition index on `leaf`.
std::string LeafCacheKey(const std::string& parent_key, Oid leaf) {
  return parent_key + "\npartition " + std::to_string(leaf);
}

void InvalidateSpecs(Datum, Oid relid) {
  if (extremes_cache != nullptr) {
    for (auto it = extremes_cache->begin(); it != extremes_cache->end();) {
      if (relid == InvalidOid || it->first.first == relid)
        it = extremes_cache->erase(it);
      else
        ++it;
    }
  }
  if (spec_cache == nullptr) return;
  for (auto it = spec_cache->begin(); it != spec_cache->end();) {
    // A partitioned table's spec depends on its partitions too (ATTACH/DETACH invalidates
    // the parent, ANALYZE of a leaf the leaf).
    bool stale = relid == InvalidOid || it->second.info.table == relid;
    for (const Spec& leaf : it->second.partitions) stale = stale || leaf.info.table == relid;
    if (stale) {
      if (size_cache != nullptr) {
        size_cache->erase(it->first);
        for (const Spec& leaf : it->second.partitions)
          size_cache->erase(LeafCacheKey(it->first, leaf.info.table));
      }
      it = spec_cache->erase(it);
    } else {
      ++it;
    }
  }
}

void OnXactEnd(XactEvent, void*) {
  Disarm();
}

// The IndexOptInfo of one hypothetical index, built like plancat.c builds a real one.
// C-style: runs inside the planner, may ereport.
IndexOptInfo* BuildIndexOptInfo(PlannerInfo* root, RelOptInfo* rel, const Scope::Entry* entry) {
  const Spec& spec = entry->spec;
  int ncolumns = static_cast<int>(spec.columns.size());
  int nkeys = spec.nkeys;
  IndexAmRoutine* am = GetIndexAmRoutineByAmId(spec.am, false);
  IndexOptInfo* info = makeNode(IndexOptInfo);
  info->indexoid = spec.info.fake_oid;
  info->reltablespace = rel->reltablespace;
  info->rel = rel;
  info->ncolumns = ncolumns;
  info->nkeycolumns = nkeys;
  info->indexkeys = static_cast<int*>(palloc0(sizeof(int) * ncolumns));
  info->indexcollations = static_cast<Oid*>(palloc0(sizeof(Oid) * nkeys));
  info->opfamily = static_cast<Oid*>(palloc0(sizeof(Oid) * nkeys));
  info->opcintype = static_cast<Oid*>(palloc0(sizeof(Oid) * nkeys));
  info->canreturn = static_cast<bool*>(palloc0(sizeof(bool) * ncolumns));
  info->opclassoptions = static_cast<bytea**>(palloc0(sizeof(bytea*) * ncolumns));
  for (int i = 0; i < ncolumns; ++i) {
    const ColumnSpec& column = spec.columns[i];
    info->indexkeys[i] = column.attno;
    info->canreturn[i] = am->amcanreturn != nullptr;
    if (i < nkeys) {
      info->indexcollations[i] = column.collation;
      info->opfamily[i] = column.opfamily;
      info->opcintype[i] = column.opcintype;
    }
  }
  info->relam = spec.am;
  info->amcostestimate = reinterpret_cast<void (*)()>(am->amcostestimate);
  info->amcanorderbyop = am->amcanorderbyop;
  info->amoptionalkey = am->amoptionalkey;
  info->amsearcharray = am->amsearcharray;
  info->amsearchnulls = am->amsearchnulls;
  info->amcanparallel = am->amcanparallel;
  info->amhasgettuple = am->amgettuple != nullptr;
  info->amhasgetbitmap = am->amgetbitmap != nullptr && rel->rel_parallel_workers >= -1;
  info->amcanmarkpos = am->ammarkpos != nullptr && am->amrestrpos != nullptr;
  if (am->amcanorder) {
    // Only B-tree among the supported methods: its opfamilies are the sort opfamilies.
    info->sortopfamily = info->opfamily;
    info->reverse_sort = static_cast<bool*>(palloc0(sizeof(bool) * nkeys));
    info->nulls_first = static_cast<bool*>(palloc0(sizeof(bool) * nkeys));
    for (int i = 0; i < nkeys; ++i) {
      info->reverse_sort[i] = spec.columns[i].descending;
      info->nulls_first[i] = spec.columns[i].nulls_first;
    }
  }
  Index varno = rel->relid;
  if (!spec.expressions.empty()) {
    List* expressions = static_cast<List*>(stringToNode(spec.expressions.c_str()));
    if (varno != 1) ChangeVarNodes(reinterpret_cast<Node*>(expressions), 1, varno, 0);
    info->indexprs = expressions;
  }
  if (!spec.predicate.empty()) {
    List* predicate = static_cast<List*>(stringToNode(spec.predicate.c_str()));
    if (varno != 1) ChangeVarNodes(reinterpret_cast<Node*>(predicate), 1, varno, 0);
    info->indpred = predicate;
  }
  // The index's target list, as build_index_tlist() makes it.
  List* tlist = NIL;
  ListCell* next_expression = list_head(info->indexprs);
  for (int i = 0; i < ncolumns; ++i) {
    const ColumnSpec& column = spec.columns[i];
    Expr* expression;
    if (column.attno != 0) {
      expression = reinterpret_cast<Expr*>(
          makeVar(varno, column.attno, column.type, column.typmod, column.collation, 0));
    } else {
      if (next_expression == nullptr) elog(ERROR, "dbopt: hypothetical index expressions ran out");
      expression = static_cast<Expr*>(lfirst(next_expression));
      next_expression = lnext(info->indexprs, next_expression);
    }
    tlist = lappend(tlist, makeTargetEntry(expression, i + 1, nullptr, false));
  }
  info->indextlist = tlist;
  info->predOK = false;
  info->unique = spec.info.unique;
  info->immediate = true;
  info->hypothetical = true;
  // Size: the model's pages and height; tuples as plancat.c sets them for a real index (the
  // table's count, or the predicate's share of it).
  info->pages = static_cast<BlockNumber>(std::max(1.0, entry->size.pages));
  info->tuples = spec.predicate.empty()
                     ? rel->tuples
                     : std::min(rel->tuples, rel->tuples * entry->predicate_share);
  info->tree_height = entry->size.tree_height;
  (void)root;
  return info;
}

void dbopt_get_relation_info(PlannerInfo* root, Oid relid, bool inhparent, RelOptInfo* rel) {
  if (prev_get_relation_info) prev_get_relation_info(root, relid, inhparent, rel);
  if (armed == nullptr || inhparent) return;
  for (int i = 0; i < armed_count; ++i) {
    if (armed[i]->spec.info.table != relid) continue;
    rel->indexlist = lappend(rel->indexlist, BuildIndexOptInfo(root, rel, armed[i]));
  }
}

// The extremes of (table, column) when an armed B-tree leads with that column.
const Extremes* ArmedExtremes(Oid relid, AttrNumber attnum) {
  if (extremes_cache == nullptr) return nullptr;
  for (int i = 0; i < armed_count; ++i) {
    const Spec& spec = armed[i]->spec;
    if (!spec.endpoint_probe || spec.info.table != relid || spec.columns[0].attno != attnum)
      continue;
    auto it = extremes_cache->find(std::make_pair(relid, attnum));
    if (it != extremes_cache->end() && it->second.have) return &it->second;
  }
  return nullptr;
}

// A copy of a pg_statistic tuple whose histogram starts and ends at the actual extremes (what
// the planner's histogram estimates see when a real index can be probed), or NULL.
HeapTuple WidenHistogram(HeapTuple stats, const Extremes* extremes) {
  AttStatsSlot slot;
  if (!get_attstatsslot(&slot, stats, STATISTIC_KIND_HISTOGRAM, InvalidOid, ATTSTATSSLOT_VALUES))
    return nullptr;
  Form_pg_statistic form = reinterpret_cast<Form_pg_statistic>(GETSTRUCT(stats));
  int index = -1;
  for (int k = 0; k < STATISTIC_NUM_SLOTS; ++k)
    if ((&form->stakind1)[k] == STATISTIC_KIND_HISTOGRAM) index = k;
  HeapTuple result = nullptr;
  if (index >= 0 && slot.nvalues >= 2 && OidIsValid(slot.staop)) {
    Oid input, ioparam;
    getTypeInputInfo(slot.valuetype, &input, &ioparam);
    Datum low = OidInputFunctionCall(input, const_cast<char*>(extremes->low.c_str()), ioparam, -1);
    Datum high =
        OidInputFunctionCall(input, const_cast<char*>(extremes->high.c_str()), ioparam, -1);
    RegProcedure less = get_opcode(slot.staop);
    Datum* values = static_cast<Datum*>(palloc(sizeof(Datum) * slot.nvalues));
    memcpy(values, slot.values, sizeof(Datum) * slot.nvalues);
    bool changed = false;
    if (DatumGetBool(OidFunctionCall2Coll(less, slot.stacoll, low, values[0]))) {
      values[0] = low;
      changed = true;
    }
    if (DatumGetBool(OidFunctionCall2Coll(less, slot.stacoll, values[slot.nvalues - 1], high))) {
      values[slot.nvalues - 1] = high;
      changed = true;
    }
    if (changed) {
      int16 typlen;
      bool byval;
      char align;
      get_typlenbyvalalign(slot.valuetype, &typlen, &byval, &align);
      ArrayType* array =
          construct_array(values, slot.nvalues, slot.valuetype, typlen, byval, align);
      Datum replacement[Natts_pg_statistic];
      bool nulls[Natts_pg_statistic];
      bool replace[Natts_pg_statistic];
      memset(nulls, 0, sizeof(nulls));
      memset(replace, 0, sizeof(replace));
      replacement[Anum_pg_statistic_stavalues1 - 1 + index] = PointerGetDatum(array);
      replace[Anum_pg_statistic_stavalues1 - 1 + index] = true;
      Relation catalog = table_open(StatisticRelationId, AccessShareLock);
      result = heap_modify_tuple(stats, RelationGetDescr(catalog), replacement, nulls, replace);
      table_close(catalog, AccessShareLock);
    }
  }
  free_attstatsslot(&slot);
  return result;
}

bool dbopt_get_relation_stats(PlannerInfo* root, RangeTblEntry* rte, AttrNumber attnum,
                              VariableStatData* vardata) {
  if (prev_get_relation_stats && prev_get_relation_stats(root, rte, attnum, vardata)) return true;
  if (armed == nullptr || rte->rtekind != RTE_RELATION || rte->inh) return false;
  const Extremes* extremes = ArmedExtremes(rte->relid, attnum);
  if (extremes == nullptr) return false;
  HeapTuple stats = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(rte->relid),
                                    Int16GetDatum(attnum), BoolGetDatum(false));
  if (!HeapTupleIsValid(stats)) return false;
  HeapTuple widened = WidenHistogram(stats, extremes);
  ReleaseSysCache(stats);
  if (widened == nullptr) return false;
  vardata->statsTuple = widened;
  vardata->freefunc = heap_freetuple;
  Oid user = OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
  vardata->acl_ok = pg_class_aclcheck(rte->relid, user, ACL_SELECT) == ACLCHECK_OK ||
                    pg_attribute_aclcheck(rte->relid, attnum, user, ACL_SELECT) == ACLCHECK_OK;
  return true;
}

const char* dbopt_explain_get_index_name(Oid index) {
  for (int i = 0; armed != nullptr && i < armed_count; ++i)
    if (armed[i]->spec.info.fake_oid == index)
      return psprintf("<hypothetical> %s", armed[i]->spec.info.name.c_str());
  if (prev_explain_get_index_name) return prev_explain_get_index_name(index);
  return nullptr;
}

// Installs the hooks and callbacks once per backend (CallPg).
void InstallOnce() {
  if (callbacks_installed) return;
  prev_get_relation_info = get_relation_info_hook;
  get_relation_info_hook = dbopt_get_relation_info;
  prev_explain_get_index_name = explain_get_index_name_hook;
  explain_get_index_name_hook = dbopt_explain_get_index_name;
  prev_get_relation_stats = get_relation_stats_hook;
  get_relation_stats_hook = dbopt_get_relation_stats;
  CacheRegisterRelcacheCallback(InvalidateSpecs, (Datum)0);
  RegisterXactCallback(OnXactEnd, nullptr);
  callbacks_installed = true;
}

Oid NextFakeOid() {
  if (next_fake_oid == 0) next_fake_oid = kFirstFakeOid;
  while (SearchSysCacheExists1(RELOID, ObjectIdGetDatum(next_fake_oid))) --next_fake_oid;
  return next_fake_oid--;
}

int AlignBytes(char align) {
  switch (align) {
    case TYPALIGN_CHAR:
      return 1;
    case TYPALIGN_SHORT:
      return 2;
    case TYPALIGN_DOUBLE:
      return 8;
    default:
      return 4;
  }
}

// ---- parsing ------------------------------------------------------------------------------

const char* kDdlHint =
    "Pass one CREATE INDEX statement on a schema-qualified table, e.g. CREATE INDEX ON "
    "public.orders (customer_id).";

// Reasons Add() rejects a statement, found under CallPg and raised after it.
struct Rejection {
  int sqlstate = 0;
  std::string message;
  std::string hint;
};

// Resolves one IndexElem; returns false and fills `rejection` when it is not acceptable.
// Runs under CallPg (C-style where it may ereport).
bool ResolveColumn(Relation rel, IndexElem* elem, bool key, Oid am_oid, const char* am_name,
                   bool amcanorder, ColumnSpec* out, List** expressions, Rejection* rejection) {
  Oid relid = RelationGetRelid(rel);
  Node* expr = elem->expr;
  if (expr != nullptr && IsA(expr, Var) && reinterpret_cast<Var*>(expr)->varattno > 0) {
    out->attno = reinterpret_cast<Var*>(expr)->varattno;  // (column) in parentheses
    expr = nullptr;
  }
  if (expr == nullptr && elem->name != nullptr) {
    out->attno = get_attnum(relid, elem->name);
    if (out->attno == InvalidAttrNumber) {
      rejection->sqlstate = ERRCODE_UNDEFINED_COLUMN;
      rejection->message = std::string("column \"") + elem->name + "\" of relation \"" +
                           RelationGetRelationName(rel) + "\" does not exist";
      rejection->hint = "Check the column name; expressions need parentheses: ((lower(email))).";
      return false;
    }
  }
  if (expr == nullptr) {
    if (out->attno < 0) {
      rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
      rejection->message = "hypothetical indexes on system columns are not supported";
      rejection->hint = "Index user columns only.";
      return false;
    }
    get_atttypetypmodcoll(relid, out->attno, &out->type, &out->typmod, &out->collation);
    out->stats_attno_source = out->attno;
  } else {
    if (!key) {
      rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
      rejection->message = "expressions are not supported in included columns";
      rejection->hint = "INCLUDE plain columns only.";
      return false;
    }
    if (contain_mutable_functions(reinterpret_cast<Node*>(expr))) {
      rejection->sqlstate = ERRCODE_INVALID_OBJECT_DEFINITION;
      rejection->message = "functions in index expression must be marked IMMUTABLE";
      rejection->hint = "An index expression may only call immutable functions.";
      return false;
    }
    out->attno = 0;
    out->type = exprType(expr);
    out->typmod = exprTypmod(expr);
    out->collation = exprCollation(expr);
    // Statistics of the single column the expression reads stand in for its own.
    List* vars = pull_var_clause(expr, 0);
    if (list_length(vars) == 1)
      out->stats_attno_source = static_cast<Var*>(linitial(vars))->varattno;
    *expressions = lappend(*expressions, expr);
  }
  if (!key) {
    if (elem->collation != NIL || elem->opclass != NIL || elem->ordering != SORTBY_DEFAULT ||
        elem->nulls_ordering != SORTBY_NULLS_DEFAULT) {
      rejection->sqlstate = ERRCODE_SYNTAX_ERROR;
      rejection->message = "included columns take no collation, operator class or ordering";
      rejection->hint = "Write INCLUDE (column, ...) with plain column names.";
      return false;
    }
    return true;
  }
  if (elem->collation != NIL) {
    Oid collation = get_collation_oid(elem->collation, false);
    if (!type_is_collatable(out->type)) {
      rejection->sqlstate = ERRCODE_DATATYPE_MISMATCH;
      rejection->message =
          std::string("collations are not supported by type ") + format_type_be(out->type);
      rejection->hint = "Remove the COLLATE clause.";
      return false;
    }
    out->collation = collation;
  }
  if (elem->opclassopts != NIL) {
    rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
    rejection->message = "operator class options are not supported for hypothetical indexes";
    rejection->hint = "Remove the options after the operator class.";
    return false;
  }
  out->opclass = ResolveOpClass(elem->opclass, out->type, am_name, am_oid);
  out->opfamily = get_opclass_family(out->opclass);
  out->opcintype = get_opclass_input_type(out->opclass);
  if (elem->ordering != SORTBY_DEFAULT || elem->nulls_ordering != SORTBY_NULLS_DEFAULT) {
    if (!amcanorder) {
      rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
      rejection->message = std::string("access method \"") + am_name +
                           "\" does not support ASC/DESC or NULLS FIRST/LAST options";
      rejection->hint = "Only B-tree indexes have an order.";
      return false;
    }
  }
  out->descending = elem->ordering == SORTBY_DESC;
  out->nulls_first = elem->nulls_ordering == SORTBY_NULLS_DEFAULT
                         ? out->descending
                         : elem->nulls_ordering == SORTBY_NULLS_FIRST;
  return true;
}

std::string ColumnLabel(Relation rel, const ColumnSpec& column, Node* expression) {
  if (column.attno != 0) return get_attname(RelationGetRelid(rel), column.attno, false);
  List* context = deparse_context_for(RelationGetRelationName(rel), RelationGetRelid(rel));
  return deparse_expression(expression, context, false, false);
}

// Resolves and validates the IndexStmt `stmt` of `ddl` on table `relid` (a table, a
// materialized view or a leaf partition; for a partitioned table, its own columns only).
// CallPg; fills `spec` or `rejection`.
void ResolveSpec(const char* ddl, IndexStmt* stmt, Oid relid, Spec* spec, Rejection* rejection) {
  const char* am_name = stmt->accessMethod ? stmt->accessMethod : "btree";
  Oid am_oid = get_index_am_oid(am_name, true);
  if (!OidIsValid(am_oid) ||
      (am_oid != BTREE_AM_OID && am_oid != HASH_AM_OID && am_oid != GIN_AM_OID)) {
    rejection->sqlstate =
        OidIsValid(am_oid) ? ERRCODE_FEATURE_NOT_SUPPORTED : ERRCODE_UNDEFINED_OBJECT;
    rejection->message =
        std::string("access method \"") + am_name +
        (OidIsValid(am_oid) ? "\" is not supported for hypothetical indexes" : "\" does not exist");
    rejection->hint = "Use btree, hash or gin.";
    return;
  }
  IndexAmRoutine* am = GetIndexAmRoutineByAmId(am_oid, false);
  int nkeys = list_length(stmt->indexParams);
  if (nkeys == 0) {
    rejection->sqlstate = ERRCODE_SYNTAX_ERROR;
    rejection->message = "a hypothetical index needs at least one key column";
    rejection->hint = kDdlHint;
    return;
  }
  if (nkeys > 1 && !am->amcanmulticol) {
    rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
    rejection->message =
        std::string("access method \"") + am_name + "\" does not support multicolumn indexes";
    rejection->hint = "Index one column, or use btree.";
    return;
  }
  if (stmt->indexIncludingParams != NIL && !am->amcaninclude) {
    rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
    rejection->message =
        std::string("access method \"") + am_name + "\" does not support included columns";
    rejection->hint = "Only B-tree indexes take INCLUDE columns here.";
    return;
  }
  if (stmt->unique && !am->amcanunique) {
    rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
    rejection->message =
        std::string("access method \"") + am_name + "\" does not support unique indexes";
    rejection->hint = "Drop UNIQUE, or use btree.";
    return;
  }
  if (nkeys + list_length(stmt->indexIncludingParams) > INDEX_MAX_KEYS) {
    rejection->sqlstate = ERRCODE_TOO_MANY_COLUMNS;
    rejection->message = "cannot use more than 32 columns in an index";
    rejection->hint = "Index fewer columns.";
    return;
  }
  // Options: fillfactor and deduplicate_items; nothing else changes size or cost here.
  ListCell* cell;
  foreach (cell, stmt->options) {
    DefElem* option = static_cast<DefElem*>(lfirst(cell));
    if (strcmp(option->defname, "fillfactor") == 0 && am_oid != GIN_AM_OID) {
      spec->fillfactor = defGetInt32(option);
      if (spec->fillfactor < 10 || spec->fillfactor > 100) {
        rejection->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
        rejection->message = "fillfactor must be between 10 and 100";
        rejection->hint = "B-tree's default is 90, hash's 75.";
        return;
      }
    } else if (strcmp(option->defname, "deduplicate_items") == 0 && am_oid == BTREE_AM_OID) {
      spec->deduplicate_items = defGetBoolean(option);
    } else if (strcmp(option->defname, "fastupdate") == 0 && am_oid == GIN_AM_OID) {
      (void)defGetBoolean(option);  // a fresh build has an empty pending list either way
    } else {
      rejection->sqlstate = ERRCODE_INVALID_PARAMETER_VALUE;
      rejection->message = std::string("unrecognized parameter \"") + option->defname +
                           "\" for a hypothetical " + am_name + " index";
      rejection->hint =
          "Supported: fillfactor (btree, hash), deduplicate_items (btree), "
          "fastupdate (gin).";
      return;
    }
  }
  stmt = transformIndexStmt(relid, stmt, ddl);
  Relation rel = relation_open(relid, NoLock);
  List* expressions = NIL;
  std::vector<Node*> column_expressions;
  int position = 0;
  foreach (cell, stmt->indexParams) {
    ColumnSpec column;
    List* before = expressions;
    int before_length = list_length(before);
    if (!ResolveColumn(rel, static_cast<IndexElem*>(lfirst(cell)), true, am_oid, am_name,
                       am->amcanorder, &column, &expressions, rejection)) {
      relation_close(rel, NoLock);
      return;
    }
    Node* expression =
        list_length(expressions) > before_length ? static_cast<Node*>(llast(expressions)) : nullptr;
    spec->columns.push_back(column);
    column_expressions.push_back(expression);
    ++position;
  }
  foreach (cell, stmt->indexIncludingParams) {
    ColumnSpec column;
    if (!ResolveColumn(rel, static_cast<IndexElem*>(lfirst(cell)), false, am_oid, am_name,
                       am->amcanorder, &column, &expressions, rejection)) {
      relation_close(rel, NoLock);
      return;
    }
    spec->columns.push_back(column);
    column_expressions.push_back(nullptr);
  }
  spec->nkeys = nkeys;
  spec->am = am_oid;
  IndexInfo& info = spec->info;
  info.ddl = ddl;
  info.table = relid;
  info.table_name = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
                                               RelationGetRelationName(rel));
  info.access_method = am_name;
  info.unique = stmt->unique;
  std::vector<std::string> name_parts;
  for (size_t i = 0; i < spec->columns.size(); ++i) {
    std::string label = ColumnLabel(rel, spec->columns[i], column_expressions[i]);
    if (static_cast<int>(i) < nkeys) {
      info.key_columns.push_back(label);
      name_parts.push_back(spec->columns[i].attno != 0 ? label : "expr");
    } else {
      info.include_columns.push_back(label);
      name_parts.push_back(label);  // PostgreSQL names an index after its INCLUDE columns too
    }
  }
  info.name = stmt->idxname ? std::string(stmt->idxname)
                            : IndexName(RelationGetRelationName(rel), name_parts);
  if (expressions != NIL) {
    // As RelationGetIndexExpressions prepares them for the planner.
    Node* prepared = eval_const_expressions(nullptr, reinterpret_cast<Node*>(expressions));
    fix_opfuncids(prepared);
    spec->expressions = nodeToString(prepared);
  }
  if (stmt->whereClause != nullptr) {
    Node* where = stmt->whereClause;
    if (contain_mutable_functions(where)) {
      relation_close(rel, NoLock);
      rejection->sqlstate = ERRCODE_INVALID_OBJECT_DEFINITION;
      rejection->message = "functions in index predicate must be marked IMMUTABLE";
      rejection->hint = "A partial index's WHERE clause may only call immutable functions.";
      return;
    }
    List* context = deparse_context_for(RelationGetRelationName(rel), relid);
    spec->predicate_sql = deparse_expression(where, context, false, false);
    // As RelationGetIndexPredicate prepares it for the planner.
    Node* prepared = eval_const_expressions(nullptr, where);
    prepared = reinterpret_cast<Node*>(canonicalize_qual(reinterpret_cast<Expr*>(prepared), false));
    List* implicit = make_ands_implicit(reinterpret_cast<Expr*>(prepared));
    fix_opfuncids(reinterpret_cast<Node*>(implicit));
    spec->predicate = nodeToString(implicit);
    info.partial = true;
  }
  if (am_oid == BTREE_AM_OID && spec->predicate.empty() && spec->columns[0].attno > 0) {
    const ColumnSpec& lead = spec->columns[0];
    Oid type, collation;
    int32 typmod;
    get_atttypetypmodcoll(relid, lead.attno, &type, &typmod, &collation);
    spec->endpoint_probe =
        lead.opclass == GetDefaultOpClass(type, BTREE_AM_OID) && lead.collation == collation;
  }
  relation_close(rel, NoLock);
  info.fake_oid = NextFakeOid();
}

// Parses, resolves and validates `ddl` (CallPg). Fills `spec` or `rejection`. On a
// partitioned table, also resolves the index on every leaf partition (all levels).
// As DefineIndex refuses it for real: a unique index on a partitioned table enforces
// uniqueness per partition only, so the partitioned table `table` (the index's, or a
// sub-partitioned partition below it) must have every column of its partition key among the
// index's key columns `key_names`. False, with the rejection filled, when one is missing.
bool UniqueHasPartitionKey(Oid table, const std::set<std::string>& key_names,
                           Rejection* rejection) {
  Relation rel = relation_open(table, NoLock);  // locked by find_all_inheritors
  PartitionKey key = RelationGetPartitionKey(rel);
  std::string missing;
  for (int i = 0; i < key->partnatts; ++i) {
    const AttrNumber attno = key->partattrs[i];
    const std::string name = attno != 0 ? get_attname(table, attno, false) : "";
    if (attno != 0 && key_names.count(name) != 0) continue;
    missing += (missing.empty() ? "" : ", ") +
               (attno != 0 ? std::string(quote_identifier(name.c_str())) : "an expression");
  }
  relation_close(rel, NoLock);
  if (missing.empty()) return true;
  rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
  rejection->message = std::string("a unique index on partitioned table \"") + get_rel_name(table) +
                       "\" must include all its partitioning columns " + "(missing: " + missing +
                       ")";
  rejection->hint =
      "Add the partition key columns to the index's key columns, or drop UNIQUE (PostgreSQL "
      "refuses such a unique index too).";
  return false;
}

void ParseSpec(const char* ddl, Spec* spec, Rejection* rejection) {
  List* raw = raw_parser(ddl, RAW_PARSE_DEFAULT);
  if (list_length(raw) != 1 || !IsA(reinterpret_cast<RawStmt*>(linitial(raw))->stmt, IndexStmt)) {
    rejection->sqlstate = ERRCODE_WRONG_OBJECT_TYPE;
    rejection->message = list_length(raw) == 1 ? "not a CREATE INDEX statement"
                                               : "expected exactly one CREATE INDEX statement";
    rejection->hint = kDdlHint;
    return;
  }
  IndexStmt* stmt = reinterpret_cast<IndexStmt*>(reinterpret_cast<RawStmt*>(linitial(raw))->stmt);
  Oid relid = RangeVarGetRelid(stmt->relation, AccessShareLock, true);
  if (!OidIsValid(relid)) {
    rejection->sqlstate = ERRCODE_UNDEFINED_TABLE;
    rejection->message = std::string("relation \"") +
                         (stmt->relation->schemaname ? std::string(stmt->relation->schemaname) + "."
                                                     : std::string()) +
                         stmt->relation->relname + "\" does not exist";
    rejection->hint = "Schema-qualify the table name (search_path is pg_catalog inside dbopt).";
    return;
  }
  if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK) {
    rejection->sqlstate = ERRCODE_INSUFFICIENT_PRIVILEGE;
    rejection->message = std::string("permission denied for table ") + get_rel_name(relid);
    rejection->hint = "Hypothetical indexes need SELECT on their table.";
    return;
  }
  char relkind = get_rel_relkind(relid);
  if (relkind != RELKIND_RELATION && relkind != RELKIND_MATVIEW &&
      relkind != RELKIND_PARTITIONED_TABLE) {
    rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
    rejection->message =
        std::string("\"") + get_rel_name(relid) + "\" is not a table or materialized view";
    rejection->hint = "Hypothetical indexes go on tables.";
    return;
  }
  IndexStmt* original = static_cast<IndexStmt*>(copyObjectImpl(stmt));
  ResolveSpec(ddl, stmt, relid, spec, rejection);
  if (rejection->sqlstate != 0 || relkind != RELKIND_PARTITIONED_TABLE) return;
  spec->partitioned = true;
  spec->endpoint_probe = false;
  std::set<std::string> key_names;  // the index's key columns (UNIQUE needs the partition keys)
  for (int k = 0; k < spec->nkeys; ++k)
    if (spec->columns[k].attno != 0)
      key_names.insert(get_attname(relid, spec->columns[k].attno, false));
  // Every leaf below, found as CREATE INDEX on a partitioned table finds them (locked
  // AccessShare, ordered level by level and by OID); sub-partitioned tables have no storage.
  List* tree = find_all_inheritors(relid, AccessShareLock, nullptr);
  ListCell* cell;
  foreach (cell, tree) {
    Oid child = lfirst_oid(cell);
    char child_kind = get_rel_relkind(child);
    if (stmt->unique && child_kind == RELKIND_PARTITIONED_TABLE &&
        !UniqueHasPartitionKey(child, key_names, rejection))
      return;
    if (child == relid || child_kind == RELKIND_PARTITIONED_TABLE) continue;
    if (child_kind != RELKIND_RELATION) {
      rejection->sqlstate = ERRCODE_FEATURE_NOT_SUPPORTED;
      rejection->message = std::string("partition \"") + get_rel_name(child) + "\" of \"" +
                           get_rel_name(relid) + "\" is not a plain table";
      rejection->hint =
          "Hypothetical indexes on partitioned tables need every partition to be a table "
          "(foreign partitions cannot be indexed).";
      return;
    }
    IndexStmt* leaf_stmt = static_cast<IndexStmt*>(copyObjectImpl(original));
    leaf_stmt->relation =
        makeRangeVar(get_namespace_name(get_rel_namespace(child)), get_rel_name(child), -1);
    leaf_stmt->idxname = nullptr;  // named after the leaf, as PostgreSQL names them
    spec->partitions.emplace_back();
    ResolveSpec(ddl, leaf_stmt, child, &spec->partitions.back(), rejection);
    if (rejection->sqlstate != 0) return;
  }
}

// ---- statistics for the size model --------------------------------------------------------

// pg_stats-like figures of one table column (CallPg).
void ColumnStatistics(Oid relid, AttrNumber attno, dbopt::whatif::ColumnStats* out) {
  HeapTuple tuple = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(relid), Int16GetDatum(attno),
                                    BoolGetDatum(false));
  if (!HeapTupleIsValid(tuple)) {
    out->n_distinct = -1;  // no statistics: assume distinct values (no deduplication)
    return;
  }
  Form_pg_statistic stats = reinterpret_cast<Form_pg_statistic>(GETSTRUCT(tuple));
  out->null_frac = stats->stanullfrac;
  if (stats->stawidth > 0) out->avg_width = stats->stawidth;
  out->n_distinct = stats->stadistinct != 0 ? stats->stadistinct : -1;
  AttStatsSlot slot;
  if (get_attstatsslot(&slot, tuple, STATISTIC_KIND_MCV, InvalidOid, ATTSTATSSLOT_NUMBERS)) {
    for (int i = 0; i < slot.nnumbers; ++i) out->mcv_freqs.push_back(slot.numbers[i]);
    free_attstatsslot(&slot);
  }
  ReleaseSysCache(tuple);
}

void TypeShape(Oid type, int32 typmod, dbopt::whatif::ColumnStats* out) {
  int16 typlen;
  bool byval;
  char align;
  get_typlenbyvalalign(type, &typlen, &byval, &align);
  out->typlen = typlen;
  out->align = AlignBytes(align);
  if (typlen < 0 && out->avg_width <= 0) out->avg_width = get_typavgwidth(type, typmod);
}

// SELECT of the index's columns (keys, then INCLUDE) over a sample of about `target` rows.
std::string SampleSql(const Spec& spec, double table_rows, double share, size_t columns,
                      double target) {
  double percent = std::min(100.0, 100.0 * target * 1.2 / std::max(1.0, table_rows * share));
  char percent_text[64];
  snprintf(percent_text, sizeof(percent_text), "%.6f", percent);
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns; ++i) {
    bool key = static_cast<int>(i) < spec.nkeys;
    const std::string& label =
        key ? spec.info.key_columns[i] : spec.info.include_columns[i - spec.nkeys];
    if (i > 0) sql += ", ";
    sql += spec.columns[i].attno != 0 ? QuoteIdent(label) : "(" + label + ")";
  }
  sql += std::string(" FROM ONLY ") + spec.info.table_name + " TABLESAMPLE SYSTEM (" +
         percent_text + ") REPEATABLE (0)";
  if (!spec.predicate_sql.empty()) sql += " WHERE " + spec.predicate_sql;
  return sql;
}

// Adds one value to a tuple's data length as heap_compute_data_size does (index tuples are
// formed the same way; a varlena that fits gets a 1-byte header).
Size AddDatum(Size length, Form_pg_attribute att, Datum value) {
  if (att->attlen == -1) {
    Pointer p = DatumGetPointer(value);
    if (VARATT_IS_EXTERNAL(p)) {
      value = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));
      p = DatumGetPointer(value);
    }
    if (VARATT_CAN_MAKE_SHORT(p)) return length + VARATT_CONVERTED_SHORT_SIZE(p);
  }
  length = att_align_datum(length, att->attalign, att->attlen, value);
  return att_addlength_datum(length, att->attlen, value);
}

// The tuple header: 8 bytes, 16 with a null bitmap.
Size TupleSize(Size data, bool has_null) {
  return MAXALIGN((has_null ? MAXALIGN(sizeof(IndexTupleData) + sizeof(IndexAttributeBitMapData))
                            : sizeof(IndexTupleData)) +
                  data);
}

// Exact tuple sizes of sampled rows and, for several key columns, the distinct key
// combinations (Haas-Stokes over the sample) and the most frequent ones.
void SampleBtree(const Spec& spec, double table_rows, double share,
                 dbopt::whatif::BtreeInput* input) {
  size_t ncolumns = spec.columns.size();
  size_t nkeys = static_cast<size_t>(spec.nkeys);
  std::string sql = SampleSql(spec, table_rows, share, ncolumns, 3000);
  std::vector<double> prefix_sum(nkeys, 0.0);
  std::unordered_map<std::string, double> combos;
  std::string combo;
  double rows = 0, leaf_sum = 0, key_sum = 0, present_sum = 0, present_rows = 0;
  CallPg([&] {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dbopt: SPI_connect failed");
    if (ExecuteInternal(sql.c_str()) != SPI_OK_SELECT) elog(ERROR, "dbopt: index sample failed");
    TupleDesc desc = SPI_tuptable->tupdesc;
    for (uint64 r = 0; r < SPI_processed; ++r) {
      HeapTuple tuple = SPI_tuptable->vals[r];
      Size length = 0;
      bool has_null = false;
      combo.clear();
      for (size_t i = 0; i < ncolumns; ++i) {
        bool isnull = false;
        Datum value = SPI_getbinval(tuple, desc, static_cast<int>(i) + 1, &isnull);
        Form_pg_attribute att = TupleDescAttr(desc, i);
        if (isnull) {
          has_null = true;
          if (i < nkeys) combo.append("\x01N", 2);
        } else {
          length = AddDatum(length, att, value);
          if (i < nkeys && nkeys > 1) {
            if (att->attbyval) {
              combo.append(reinterpret_cast<const char*>(&value), sizeof(Datum));
            } else if (att->attlen > 0) {
              combo.append(DatumGetPointer(value), att->attlen);
            } else if (att->attlen == -1) {
              struct varlena* v = PG_DETOAST_DATUM_PACKED(value);
              uint32 size = VARSIZE_ANY_EXHDR(v);
              combo.append(reinterpret_cast<const char*>(&size), sizeof(size));
              combo.append(VARDATA_ANY(v), size);
            } else {
              combo.append(DatumGetCString(value));
              combo.push_back('\0');
            }
          }
        }
        if (i < nkeys) prefix_sum[i] += TupleSize(length, has_null);
        if (i + 1 == nkeys) {
          Size key = TupleSize(length, has_null);
          key_sum += key;
          if (!has_null) {
            present_sum += key;
            present_rows += 1;
          }
        }
      }
      leaf_sum += TupleSize(length, has_null);
      rows += 1;
      if (nkeys > 1) combos[combo] += 1;
    }
    SPI_finish();
  });
  if (rows < 1) return;
  dbopt::whatif::SampledTuples& sampled = input->sampled;
  sampled.leaf_bytes = leaf_sum / rows;
  sampled.key_bytes = key_sum / rows;
  sampled.present_key_bytes = present_rows > 0 ? present_sum / present_rows : 0;
  for (double sum : prefix_sum) sampled.prefix_bytes.push_back(sum / rows);
  if (nkeys > 1) {
    // Combinations seen more than once are the most common ones (their share is known); the
    // others' distinct count is estimated from the rest of the sample alone, as one estimate
    // over both would be dragged down by the frequent ones.
    std::vector<double> counts;
    double singletons = 0;
    // Three sightings at least: pairs are common by chance in a small sample of many
    // combinations (the birthday effect), and counting them frequent would leave only
    // singletons for the estimate of the rest.
    double mean_count = rows / std::max<double>(1.0, static_cast<double>(combos.size()));
    for (const auto& kv : combos) {
      if (kv.second <= 1) singletons += 1;
      if (kv.second >= std::max(3.0, 1.25 * mean_count)) counts.push_back(kv.second);
    }
    std::sort(counts.rbegin(), counts.rend());
    if (counts.size() > 1000) counts.resize(1000);
    double frequent_rows = 0;
    for (double count : counts) {
      input->combined.mcv_freqs.push_back(count / rows);
      frequent_rows += count;
    }
    double rest_rows = rows - frequent_rows;
    double rest_seen = static_cast<double>(combos.size()) - counts.size();
    double total = std::max(rows, table_rows * share);
    double rest_total = total * rest_rows / rows;
    double distinct_rest = rest_seen;
    double denominator =
        rest_rows - singletons + singletons * rest_rows / std::max(1.0, rest_total);
    if (rest_rows >= 1 && denominator > 0) distinct_rest = rest_rows * rest_seen / denominator;
    // The estimator above reads few repeats in a small sample of many rows as few distinct
    // values; the columns' own distinct counts, multiplied, bound it from the other side
    // (exact for independent columns, too high for correlated ones: a larger size estimate).
    double product = 1;
    for (const dbopt::whatif::ColumnStats& key : input->keys)
      product *= dbopt::whatif::DistinctValues(key, table_rows) + (key.null_frac > 0 ? 1 : 0);
    distinct_rest = std::max(distinct_rest, std::min(product, rest_total));
    distinct_rest = std::clamp(distinct_rest, rest_seen, std::max(rest_seen, rest_total));
    input->combined.n_distinct = std::max(1.0, distinct_rest + counts.size());
  }
}

// Keys of a sample of the column, as the GIN opclass's extractValue function produces them
// (pg_trgm: the trigrams), summarized for the size model (CallPg inside).
dbopt::whatif::GinInput GinSample(const Spec& spec, double table_rows, double heap_pages,
                                  double share) {
  dbopt::whatif::GinInput input;
  input.indexed_rows = table_rows * share;
  input.rows_per_heap_page = heap_pages > 0 ? std::max(1.0, table_rows / heap_pages) : 100;
  if (table_rows < 1) return input;
  const ColumnSpec& column = spec.columns[0];
  std::string sql = SampleSql(spec, table_rows, share, 1, 3000);
  std::unordered_map<std::string, double> counts;
  std::vector<std::string> row_keys;
  std::string key;
  double sampled = 0, occurrences = 0, key_bytes = 0;
  CallPg([&] {
    HeapTuple opclass = SearchSysCache1(CLAOID, ObjectIdGetDatum(column.opclass));
    if (!HeapTupleIsValid(opclass))
      elog(ERROR, "cache lookup failed for opclass %u", column.opclass);
    Oid key_type = reinterpret_cast<Form_pg_opclass>(GETSTRUCT(opclass))->opckeytype;
    ReleaseSysCache(opclass);
    if (!OidIsValid(key_type)) key_type = column.opcintype;
    int16 key_len;
    bool key_byval;
    get_typlenbyval(key_type, &key_len, &key_byval);
    Oid proc = get_opfamily_proc(column.opfamily, column.opcintype, column.opcintype,
                                 GIN_EXTRACTVALUE_PROC);
    if (!OidIsValid(proc)) elog(ERROR, "dbopt: GIN opclass %u has no extractValue", column.opclass);
    FmgrInfo extract;
    fmgr_info(proc, &extract);
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dbopt: SPI_connect failed");
    if (ExecuteInternal(sql.c_str()) != SPI_OK_SELECT) elog(ERROR, "dbopt: GIN sample failed");
    for (uint64 r = 0; r < SPI_processed; ++r) {
      bool isnull = false;
      Datum value = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
      sampled += 1;
      row_keys.clear();
      if (isnull) {
        row_keys.push_back("\x01null");  // GIN stores a NULL placeholder entry
      } else {
        int32 nkeys = 0;
        bool* null_flags = nullptr;
        Datum* keys = reinterpret_cast<Datum*>(DatumGetPointer(
            FunctionCall3Coll(&extract, column.collation, value, PointerGetDatum(&nkeys),
                              PointerGetDatum(&null_flags))));
        for (int32 k = 0; k < nkeys; ++k) {
          if (null_flags != nullptr && null_flags[k]) {
            key.assign("\x01nullkey");
          } else if (key_byval) {
            Datum d = keys[k];
            key.assign(reinterpret_cast<const char*>(&d), sizeof(Datum));
            key_bytes += key_len;
          } else if (key_len > 0) {
            key.assign(DatumGetPointer(keys[k]), key_len);
            key_bytes += key_len;
          } else {
            struct varlena* v = PG_DETOAST_DATUM_PACKED(keys[k]);
            key.assign(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
            key_bytes += VARSIZE_ANY(v);
          }
          row_keys.push_back(key);
        }
        if (row_keys.empty()) row_keys.push_back("\x01empty");  // an empty-item placeholder
      }
      std::sort(row_keys.begin(), row_keys.end());
      row_keys.erase(std::unique(row_keys.begin(), row_keys.end()), row_keys.end());
      for (const std::string& k : row_keys) counts[k] += 1;
      occurrences += row_keys.size();
    }
    SPI_finish();
  });
  if (sampled < 1) return input;
  double seen = static_cast<double>(counts.size());
  double singletons = 0;
  std::vector<double> frequencies;
  frequencies.reserve(counts.size());
  for (const auto& kv : counts) {
    if (kv.second <= 1) singletons += 1;
    frequencies.push_back(kv.second);
  }
  // Distinct keys in the whole column: ANALYZE's Haas-Stokes (Duj1) estimator over rows.
  double total = std::max(sampled, input.indexed_rows);
  double denominator = sampled - singletons + singletons * sampled / total;
  input.distinct_keys =
      denominator > 0 ? std::min(sampled * seen / denominator, total * 1e3) : seen;
  input.distinct_keys = std::max(input.distinct_keys, seen);
  input.keys_per_row = occurrences / sampled;
  double key_count = occurrences;
  input.key_width = key_count > 0 && key_bytes > 0 ? key_bytes / key_count : 4;
  std::sort(frequencies.rbegin(), frequencies.rend());
  for (size_t i = 0; i < frequencies.size() && i < 2000 && frequencies[i] > 1; ++i)
    input.top_key_fractions.push_back(frequencies[i] / sampled);
  return input;
}

// ---- planning -----------------------------------------------------------------------------

enum class Source { kSql, kQuery, kSample };

// Appends the indexes a plan tree scans (a WalkPlan visitor; CallPg).
bool CollectIndex(Plan* plan, void* arg) {
  auto* out = static_cast<std::vector<Oid>*>(arg);
  if (IsA(plan, IndexScan)) out->push_back(reinterpret_cast<IndexScan*>(plan)->indexid);
  if (IsA(plan, IndexOnlyScan)) out->push_back(reinterpret_cast<IndexOnlyScan*>(plan)->indexid);
  if (IsA(plan, BitmapIndexScan)) out->push_back(reinterpret_cast<BitmapIndexScan*>(plan)->indexid);
  return true;
}

// Plans one statement (CallPg, with the hypothetical indexes armed).
PlannedStmt* PlanStatement(Source source, const char* text, const Query* query,
                           ParamListInfo params) {
  if (source == Source::kSample) return capture::ReplanSample(text);
  List* queries = NIL;
  if (source == Source::kSql) {
    List* raw = pg_parse_query(text);
    if (list_length(raw) != 1)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("dbopt: expected exactly one SQL statement, got %d", list_length(raw)),
                      errhint("Pass one SELECT, INSERT, UPDATE, DELETE or MERGE statement.")));
    Oid* param_types = nullptr;
    int param_count = 0;
    queries = pg_analyze_and_rewrite_varparams(static_cast<RawStmt*>(linitial(raw)), text,
                                               &param_types, &param_count, nullptr);
  } else {
    Query* copy = static_cast<Query*>(copyObjectImpl(query));
    AcquireRewriteLocks(copy, true, false);
    queries = QueryRewrite(copy);
  }
  return capture::PlanRewritten(queries, text, params);
}

// Arms the hook with `active`, plans, collects costs and indexes (and EXPLAIN text when
// `explain` is set), disarms on every path. Throws PgError/SqlError.
PlanResult RunPlanner(const std::vector<Scope::Entry*>& active, Source source, const char* text,
                      const Query* query, bool isolated, std::string* explain,
                      ParamListInfo params = nullptr) {
  std::vector<Oid> used;
  double startup = 0, total = 0, rows = 0;
  Scope::Entry* const* entries = active.empty() ? nullptr : active.data();
  int count = static_cast<int>(active.size());
  CallPg([&] {
    InstallOnce();
    MemoryContext caller = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    MemoryContext work =
        AllocSetContextCreate(caller, "dbopt what-if planning", ALLOCSET_DEFAULT_SIZES);
    if (isolated) BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(work);
    volatile bool snapshot_pushed = false;
    PG_TRY();
    {
      armed = entries;
      armed_count = count;
      PlannedStmt* stmt = PlanStatement(source, text, query, params);
      startup = stmt->planTree->startup_cost;
      total = stmt->planTree->total_cost;
      rows = stmt->planTree->plan_rows;
      capture::WalkPlan(stmt->planTree, CollectIndex, &used);
      ListCell* cell;
      foreach (cell, stmt->subplans)
        capture::WalkPlan(static_cast<Plan*>(lfirst(cell)), CollectIndex, &used);
      if (explain != nullptr) {
        // EXPLAIN only: ExecutorStart with EXEC_FLAG_EXPLAIN_ONLY never opens an index.
        ExplainState* es = NewExplainState();
        es->costs = true;
        es->format = EXPLAIN_FORMAT_TEXT;
        PushCopiedSnapshot(GetActiveSnapshot());
        snapshot_pushed = true;
        ExplainBeginOutput(es);
        ExplainOnePlan(stmt, nullptr, es, text != nullptr ? text : "", nullptr, nullptr, nullptr,
                       nullptr);
        ExplainEndOutput(es);
        PopActiveSnapshot();
        snapshot_pushed = false;
        explain->assign(es->str->data);
      }
      Disarm();
      MemoryContextSwitchTo(caller);
      if (isolated) {
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller);
        CurrentResourceOwner = owner;
      }
      MemoryContextDelete(work);
    }
    PG_CATCH();
    {
      Disarm();
      MemoryContextSwitchTo(caller);
      if (isolated) {
        ErrorData* error = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller);
        CurrentResourceOwner = owner;
        MemoryContextDelete(work);
        ReThrowError(error);
      }
      if (snapshot_pushed) PopActiveSnapshot();
      MemoryContextDelete(work);
      PG_RE_THROW();
    }
    PG_END_TRY();
  });
  PlanResult result;
  result.startup_cost = startup;
  result.total_cost = total;
  result.rows = rows;
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  for (Oid oid : used) {
    // Only the armed indexes can be in the plan (leaves carry their parent's position).
    int position = -1;
    for (const Scope::Entry* entry : active)
      if (entry->spec.info.fake_oid == oid) position = entry->position;
    if (position >= 0)
      result.hypothetical_used.push_back(position);
    else
      result.real_used.push_back(oid);
  }
  std::sort(result.hypothetical_used.begin(), result.hypothetical_used.end());
  result.hypothetical_used.erase(
      std::unique(result.hypothetical_used.begin(), result.hypothetical_used.end()),
      result.hypothetical_used.end());
  return result;
}

}  // namespace

// ---- Scope --------------------------------------------------------------------------------

Scope::Scope() = default;

Scope::~Scope() {
  bool mine = false;
  for (int i = 0; i < armed_count && armed != nullptr; ++i)
    for (Entry* entry : indexes_) {
      mine = mine || armed[i] == entry;
      for (const std::unique_ptr<Entry>& leaf : entry->leaves)
        mine = mine || armed[i] == leaf.get();
    }
  if (mine) Disarm();
  for (Entry* entry : indexes_) delete entry;
}

const IndexInfo& Scope::Info(int position) const {
  if (position < 0 || position >= size())
    Fail(ERRCODE_INVALID_PARAMETER_VALUE,
         "no hypothetical index at position " + std::to_string(position));
  return indexes_[position]->spec.info;
}

int Scope::Add(const std::string& create_index) {
  for (int i = 0; i < size(); ++i)
    if (indexes_[i]->spec.info.ddl == create_index) return i;
  // Unqualified names resolve through search_path: it is part of the cache key.
  std::string key;
  CallPg([&] {
    InstallOnce();
    key = namespace_search_path != nullptr ? namespace_search_path : "";
  });
  key += '\n' + create_index;
  if (spec_cache == nullptr) spec_cache = new std::unordered_map<std::string, Spec>();
  auto cached = spec_cache->find(key);
  std::unique_ptr<Entry> entry(new Entry());
  if (cached != spec_cache->end()) {
    entry->spec = cached->second;
  } else {
    Rejection rejection;
    Spec* spec = &entry->spec;
    CallPg([&] { ParseSpec(create_index.c_str(), spec, &rejection); });
    if (rejection.sqlstate != 0)
      throw SqlError(rejection.sqlstate, rejection.message, rejection.hint);
    (*spec_cache)[key] = entry->spec;
  }
  entry->cache_key = key;
  entry->position = size();
  for (const Spec& partition : entry->spec.partitions) {
    entry->leaves.emplace_back(new Entry());
    entry->leaves.back()->spec = partition;
    entry->leaves.back()->cache_key = LeafCacheKey(key, partition.info.table);
    entry->leaves.back()->position = size();
  }
  indexes_.push_back(entry.release());
  return size() - 1;
}

bool Scope::ChangedSinceAnalyze(Oid table) {
  auto known = changed_since_analyze_.find(table);
  if (known != changed_since_analyze_.end()) return known->second;
  bool changed = true;
  CallPg([&] {
    if (!pgstat_track_counts) return;  // unknown: read them
    PgStat_StatTabEntry* shared = pgstat_fetch_stat_tabentry(table);
    if (shared == nullptr) return;  // never counted, or reset: unknown
    PgStat_Counter changes = shared->changes_since_analyze;
    // This backend's counts not yet flushed, committed or in the open transaction.
    if (PgStat_TableStatus* pending = find_tabstat_entry(table)) {
      changes += pending->t_counts.t_changed_tuples;
      for (PgStat_TableXactStatus* trans = pending->trans; trans != nullptr; trans = trans->upper)
        changes += trans->tuples_inserted + trans->tuples_updated + trans->tuples_deleted;
    }
    changed = changes > 0;
  });
  changed_since_analyze_[table] = changed;
  return changed;
}

void Scope::LimitExtremes(Oid table, const std::vector<std::string>& columns) {
  std::set<AttrNumber>& attnos = extreme_columns_[table];
  for (const std::string& column : columns)
    CallPg([&] {
      const AttrNumber attno = get_attnum(table, column.c_str());
      if (attno != InvalidAttrNumber) attnos.insert(attno);
    });
}

IndexSize Scope::EstimatedSize(int position) {
  Info(position);
  return Size(indexes_[position]);
}

IndexSize Scope::Size(Entry* entry) {
  if (entry->sized) return entry->size;
  if (entry->spec.partitioned) {
    // A partitioned index has no storage of its own: the sum of its partition indexes, each
    // sized from its own partition's statistics.
    IndexSize total;
    for (const std::unique_ptr<Entry>& leaf : entry->leaves) {
      const IndexSize part = Size(leaf.get());
      total.bytes += part.bytes;
      total.pages += part.pages;
      total.tuples += part.tuples;
      total.tree_height = std::max(total.tree_height, part.tree_height);
    }
    entry->size = total;
    entry->sized = true;
    return entry->size;
  }
  if (size_cache != nullptr) {
    auto cached = size_cache->find(entry->cache_key);
    if (cached != size_cache->end()) {
      entry->size = cached->second.size;
      entry->predicate_share = cached->second.predicate_share;
      entry->sized = true;
      return entry->size;
    }
  }
  const Spec& spec = entry->spec;
  double table_rows = 0;
  double heap_pages = 0;
  double share = 1;
  std::vector<dbopt::whatif::ColumnStats> columns(spec.columns.size());
  bool equal_image = spec.deduplicate_items;
  CallPg([&] {
    Relation rel = relation_open(spec.info.table, AccessShareLock);
    BlockNumber pages;
    double allvisfrac;
    estimate_rel_size(rel, nullptr, &pages, &table_rows, &allvisfrac);
    heap_pages = pages;
    relation_close(rel, AccessShareLock);
    for (size_t i = 0; i < spec.columns.size(); ++i) {
      const ColumnSpec& column = spec.columns[i];
      if (column.stats_attno_source > 0)
        ColumnStatistics(spec.info.table, column.stats_attno_source, &columns[i]);
      else
        columns[i].n_distinct = -1;
      TypeShape(column.type, column.typmod, &columns[i]);
      if (static_cast<int>(i) < spec.nkeys && spec.am == BTREE_AM_OID && equal_image) {
        // Deduplication needs every key opclass to promise "equal image" (_bt_allequalimage).
        Oid proc = get_opfamily_proc(column.opfamily, column.opcintype, column.opcintype,
                                     BTEQUALIMAGE_PROC);
        equal_image =
            OidIsValid(proc) && DatumGetBool(OidFunctionCall1Coll(
                                    proc, column.collation, ObjectIdGetDatum(column.opcintype)));
      }
    }
  });
  if (!spec.predicate_sql.empty() && table_rows > 0) {
    std::string sql = "SELECT 1 FROM ONLY " + spec.info.table_name + " WHERE " + spec.predicate_sql;
    PlanResult plan = PlanSql(sql, {});
    share = std::clamp(plan.rows / table_rows, 0.0, 1.0);
  }
  entry->predicate_share = share;
  double indexed_rows = table_rows * share;
  dbopt::whatif::IndexSizeEstimate estimate;
  if (spec.am == BTREE_AM_OID) {
    dbopt::whatif::BtreeInput input;
    input.keys.assign(columns.begin(), columns.begin() + spec.nkeys);
    input.include.assign(columns.begin() + spec.nkeys, columns.end());
    input.table_rows = table_rows;
    input.indexed_rows = indexed_rows;
    if (spec.fillfactor > 0) input.fillfactor = spec.fillfactor;
    input.deduplicate = equal_image;
    input.unique = spec.info.unique;
    bool variable_width = false;
    for (const dbopt::whatif::ColumnStats& column : columns)
      variable_width = variable_width || column.typlen < 0;
    if ((variable_width || spec.nkeys > 1) && indexed_rows >= 1)
      SampleBtree(spec, table_rows, share, &input);
    estimate = dbopt::whatif::EstimateBtree(input);
  } else if (spec.am == HASH_AM_OID) {
    dbopt::whatif::HashInput input;
    input.key = columns[0];
    input.table_rows = table_rows;
    input.indexed_rows = indexed_rows;
    if (spec.fillfactor > 0) input.fillfactor = spec.fillfactor;
    estimate = dbopt::whatif::EstimateHash(input);
  } else {
    estimate = dbopt::whatif::EstimateGin(GinSample(spec, table_rows, heap_pages, share));
  }
  entry->size.pages = estimate.pages;
  entry->size.bytes = static_cast<std::int64_t>(estimate.pages) * BLCKSZ;
  entry->size.tuples = spec.predicate.empty() ? table_rows : indexed_rows;
  entry->size.tree_height = estimate.tree_height;
  entry->sized = true;
  if (size_cache == nullptr) size_cache = new std::unordered_map<std::string, CachedSize>();
  (*size_cache)[entry->cache_key] = CachedSize{entry->size, entry->predicate_share};
  return entry->size;
}

// Reads the actual extremes of a B-tree's leading column once per session (what the planner
// reads from a real index's ends), unless the table is large. The leading columns of the
// scope's other B-trees on the table (`scope`) are read in the same scan when their types
// have min() and max().
void LoadExtremes(const Spec& spec, const std::vector<Scope::Entry*>& scope,
                  const std::map<Oid, std::set<AttrNumber>>& limit) {
  if (!spec.endpoint_probe) return;
  // Columns the caller says no plan needs extremes of (Scope::LimitExtremes) are not read.
  auto limited = limit.find(spec.info.table);
  auto wanted_column = [&](AttrNumber attno) {
    return limited == limit.end() || limited->second.count(attno) > 0;
  };
  if (!wanted_column(spec.columns[0].attno)) return;
  auto key = std::make_pair(spec.info.table, spec.columns[0].attno);
  if (extremes_cache == nullptr)
    extremes_cache = new std::map<std::pair<Oid, AttrNumber>, Extremes>();
  if (extremes_cache->count(key) > 0) return;
  Extremes extremes;
  std::string column = QuoteIdent(spec.info.key_columns[0]);
  std::string from =
      " FROM ONLY " + spec.info.table_name + " WHERE " + column + " IS NOT NULL ORDER BY " + column;
  std::string sql =
      "SELECT (SELECT " + column + from + " LIMIT 1), (SELECT " + column + from + " DESC LIMIT 1)";
  bool small = false;
  std::map<AttrNumber, Extremes> batch;
  CallPg([&] {
    Relation rel = relation_open(spec.info.table, AccessShareLock);
    small = RelationGetNumberOfBlocks(rel) <= kExtremesMaxPages;
    relation_close(rel, AccessShareLock);
    if (!small) return;
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dbopt: SPI_connect failed");
    // One scan for the extremes of all leading columns the scope's B-trees on the table need
    // (an advisor adds many), rather than two sorts of the whole table per column.
    std::vector<std::pair<AttrNumber, std::string>> columns;
    std::string wanted;
    if (spec.columns[0].attno > 0) {
      std::set<AttrNumber> attnos = {spec.columns[0].attno};
      for (const Scope::Entry* entry : scope)
        if (entry->spec.endpoint_probe && entry->spec.info.table == spec.info.table &&
            entry->spec.columns[0].attno > 0 && wanted_column(entry->spec.columns[0].attno) &&
            extremes_cache->count(std::make_pair(spec.info.table, entry->spec.columns[0].attno)) ==
                0)
          attnos.insert(entry->spec.columns[0].attno);
      for (AttrNumber attno : attnos) wanted += (wanted.empty() ? "" : ",") + std::to_string(attno);
    }
    if (!wanted.empty()) {
      const std::string list =
          "SELECT a.attnum, pg_catalog.quote_ident(a.attname) FROM pg_catalog.pg_attribute a"
          " WHERE a.attrelid = " +
          std::to_string(spec.info.table) + " AND a.attnum IN (" + wanted +
          ") AND NOT a.attisdropped AND (SELECT pg_catalog.count(DISTINCT "
          "p.proname) FROM pg_catalog.pg_proc p WHERE p.proname IN ('min', 'max') AND "
          "p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.prokind = 'a' AND "
          "p.pronargs = 1 AND p.proargtypes[0] = a.atttypid) = 2 ORDER BY a.attnum";
      if (ExecuteInternal(list.c_str()) != SPI_OK_SELECT)
        elog(ERROR, "dbopt: listing a table's columns failed");
      for (uint64 r = 0; r < SPI_processed; ++r) {
        char* attnum = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1);
        char* name = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2);
        if (attnum != nullptr && name != nullptr)
          columns.push_back({static_cast<AttrNumber>(atoi(attnum)), name});
      }
    }
    const bool batched = std::any_of(columns.begin(), columns.end(), [&](const auto& column) {
      return column.first == spec.columns[0].attno;
    });
    if (batched) {
      std::string all = "SELECT ";
      for (size_t i = 0; i < columns.size(); ++i)
        all += (i > 0 ? ", pg_catalog.min(" : "pg_catalog.min(") + columns[i].second +
               "), pg_catalog.max(" + columns[i].second + ")";
      all += " FROM ONLY " + spec.info.table_name;
      if (ExecuteInternal(all.c_str()) != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "dbopt: reading a table's extremes failed");
      for (size_t i = 0; i < columns.size(); ++i) {
        Extremes& e = batch[columns[i].first];
        char* low = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2 * i + 1);
        char* high = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2 * i + 2);
        if (low != nullptr && high != nullptr) {
          e.have = true;
          e.low = low;
          e.high = high;
        }
      }
    } else {
      if (ExecuteInternal(sql.c_str()) != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "dbopt: reading a column's extremes failed");
      char* low = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
      char* high = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
      if (low != nullptr && high != nullptr) {
        extremes.have = true;
        extremes.low = low;
        extremes.high = high;
      }
    }
    SPI_finish();
  });
  for (const auto& [attno, found] : batch)
    extremes_cache->emplace(std::make_pair(spec.info.table, attno), found);
  extremes_cache->emplace(key, extremes);
}

std::vector<Scope::Entry*> Scope::Activate(const std::vector<int>& active) {
  std::vector<Entry*> entries;
  auto arm = [&](Entry* entry) {
    Size(entry);  // the planner needs pages, tuples and height
    // Leaves: no batching with siblings (not in indexes_).
    if (entry->spec.endpoint_probe && ChangedSinceAnalyze(entry->spec.info.table))
      LoadExtremes(entry->spec, indexes_, extreme_columns_);
    if (std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(entry);
  };
  for (int position : active) {
    Info(position);
    Entry* entry = indexes_[position];
    if (!entry->spec.partitioned) {
      arm(entry);
      continue;
    }
    // A partitioned index is armed as its partition indexes: the hook sees leaves.
    for (const std::unique_ptr<Entry>& leaf : entry->leaves) arm(leaf.get());
  }
  return entries;
}

PlanResult Scope::PlanSql(const std::string& sql, const std::vector<int>& active, bool isolated) {
  std::vector<Entry*> entries = Activate(active);
  return RunPlanner(entries, Source::kSql, sql.c_str(), nullptr, isolated, nullptr);
}

PlanResult Scope::PlanQuery(const Query* query, const std::vector<int>& active, bool isolated,
                            ParamListInfo params) {
  if (query == nullptr) Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "no query to plan");
  std::vector<Entry*> entries = Activate(active);
  return RunPlanner(entries, Source::kQuery, nullptr, query, isolated, nullptr, params);
}

PlanResult Scope::PlanSample(const char* sample, const std::vector<int>& active, bool isolated) {
  if (sample == nullptr) Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "no sample to plan");
  std::vector<Entry*> entries = Activate(active);
  return RunPlanner(entries, Source::kSample, sample, nullptr, isolated, nullptr);
}

std::string Scope::ExplainSql(const std::string& sql, const std::vector<int>& active,
                              PlanResult* result) {
  std::vector<Entry*> entries = Activate(active);
  std::string text;
  PlanResult plan = RunPlanner(entries, Source::kSql, sql.c_str(), nullptr, false, &text);
  if (result != nullptr) *result = plan;
  return text;
}

}  // namespace dbopt::pg::whatif
