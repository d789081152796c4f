// Capture hooks: post_parse_analyze stores the normalized text of a new query; the executor
// hooks time every tracked execution and record its plan shape (each relation scan's kind and
// index, with the planner's estimate); on a sampled fraction (dbopt.sample_rate) they turn on
// rows-only instrumentation and add each scan's actual rows at ExecutorEnd.
// Plan shapes: every execution folds its scans into a fingerprint (a walk of the plan state,
// no allocation); the scans are listed and stored only when the entry has not seen that
// fingerprint (a new entry or a changed plan), so the simple protocol's re-planning of the
// same statement costs one walk, not an analysis. Learning a plan also reads its join
// conditions (hash/merge clauses, join filters) onto the scans their columns come from;
// sampled executions of a known plan re-read only LIKE/regex patterns (leading wildcard).
//
// The hook functions are thin C-style shims (no C++ object on their stacks, so PostgreSQL's
// longjmp may pass through them); what they do beyond chaining runs through RunHookGuarded,
// and the store is called inside CallPg — except the hot path below, plain C-style calls that
// neither throw nor raise. Nesting depth follows pg_stat_statements' idea: ExecutorRun/Finish
// and ProcessUtility (except PREPARE and EXECUTE, whose statements belong to the level that
// issued them) run one level deeper; an ExecutorFinish with nothing left to run (no AFTER
// trigger, no data-modifying node) is passed through.
// Executor time is summed by the Run/Finish wrappers in a backend-local table of executions in
// progress (see "executions in progress"), not with an Instrumentation per execution.
// Cost on the hot path (an existing entry, a known plan, not sampled): post_parse_analyze a
// look at the backend's memory of known keys; ExecutorEnd one plan-state walk and the
// entry's spinlock (StoreRecordKnown); no LWLock, no allocation.
#include "core/capture/normalize.hpp"
#include "core/capture/qual_shape.hpp"
#include "pg/loops.hpp"  // includes core headers
#include "pg/capture.hpp"
#include "pg/capture_store.hpp"
#include "pg/guard.hpp"
#include "pg/internal_statement.hpp"

extern "C" {
#include "common/hashfn.h"
#include "common/pg_prng.h"
#include "executor/executor.h"
#include "executor/instrument.h"
#include "nodes/nodeFuncs.h"
#include "parser/analyze.h"
#include "tcop/utility.h"
#include "utils/guc.h"
#include "utils/queryjumble.h"
#include "access/parallel.h"
#include "access/xact.h"
#include "commands/extension.h"
#include "portability/instr_time.h"
#include "utils/rel.h"
#include "mb/pg_wchar.h"
#include "catalog/pg_type_d.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "nodes/makefuncs.h"
#include "utils/datum.h"
}

#include <cmath>
#include <string>
#include <vector>

namespace dbopt::pg::capture {
namespace {

enum TrackLevel { kTrackNone, kTrackTop, kTrackAll };
const struct config_enum_entry kTrackOptions[] = {{"none", kTrackNone, false},
                                                  {"top", kTrackTop, false},
                                                  {"all", kTrackAll, false},
                                                  {nullptr, 0, false}};

int track = kTrackAll;
double sample_rate = 0.1;
int nesting_level = 0;

post_parse_analyze_hook_type prev_post_parse_analyze = nullptr;
ExecutorStart_hook_type prev_ExecutorStart = nullptr;
ExecutorRun_hook_type prev_ExecutorRun = nullptr;
ExecutorFinish_hook_type prev_ExecutorFinish = nullptr;
ExecutorEnd_hook_type prev_ExecutorEnd = nullptr;
ProcessUtility_hook_type prev_ProcessUtility = nullptr;

// An extension script's statements (CREATE/ALTER EXTENSION: dbopt's own
// pg_extension_config_dump() calls, say) are not the application's workload.
bool Enabled() {
  return StoreReady() && !IsParallelWorker() && !RunningInternalStatement() &&
         !creating_extension && (track == kTrackAll || (track == kTrackTop && nesting_level == 0));
}

QueryKey MakeKey(uint64 queryid) {
  QueryKey key;
  memset(&key, 0, sizeof(key));
  key.userid = GetUserId();
  key.dbid = MyDatabaseId;
  key.queryid = queryid;
  key.toplevel = nesting_level == 0;
  return key;
}

struct ParseArgs {
  ParseState* pstate;
  Query* query;
  JumbleState* jstate;
};

// Adds the table columns among a query's ORDER BY or GROUP BY clauses to keys.
void CollectOrderKeys(Query* query, List* clauses, bool group, OrderKey* keys, int* count) {
  ListCell* cell;
  foreach (cell, clauses) {
    if (*count >= kMaxOrderKeys) return;
    SortGroupClause* clause = static_cast<SortGroupClause*>(lfirst(cell));
    TargetEntry* entry = get_sortgroupclause_tle(clause, query->targetList);
    Node* expr = reinterpret_cast<Node*>(entry->expr);
    while (expr != nullptr && IsA(expr, RelabelType))
      expr = reinterpret_cast<Node*>(reinterpret_cast<RelabelType*>(expr)->arg);
    if (expr == nullptr || !IsA(expr, Var)) continue;
    Var* var = reinterpret_cast<Var*>(expr);
    if (var->varlevelsup != 0 || var->varattno <= 0) continue;
    RangeTblEntry* rte = rt_fetch(var->varno, query->rtable);
    if (rte->rtekind != RTE_RELATION) continue;
    OrderKey* key = &keys[(*count)++];
    key->relid = rte->relid;
    key->attnum = static_cast<int16>(var->varattno);
    key->group = group;
    key->descending = false;
    if (!group && OidIsValid(clause->sortop)) {
      bool reverse = false;
      (void)get_equality_op_for_ordering_op(clause->sortop, &reverse);
      key->descending = reverse;
    }
  }
}

void ParseBody(void* arg) {
  const ParseArgs* args = static_cast<const ParseArgs*>(arg);
  QueryKey key = MakeKey(args->query->queryId);
  if (StoreSurelyHasEntry(key)) return;
  bool exists = true;
  CallPg([&] { exists = StoreHasEntry(key, true); });
  if (exists) return;
  std::vector<int> locations;
  locations.reserve(args->jstate->clocations_count);
  for (int i = 0; i < args->jstate->clocations_count; ++i)
    locations.push_back(args->jstate->clocations[i].location);
  std::string text = dbopt::capture::NormalizeStatement(
      args->pstate->p_sourcetext, args->query->stmt_location, args->query->stmt_len,
      std::move(locations), args->jstate->highest_extern_param_id + 1);
  CallPg([&] {
    // The replayable sample (resolved OIDs, the user's literals): new entries only, and only
    // with dbopt.track_constants on. A tree too long for the store is not even copied.
    char* sample = nullptr;
    int sample_len = 0;
    if (track_constants) {
      sample = nodeToString(args->query);
      sample_len = static_cast<int>(strlen(sample));
    }
    // A sample with $n parameters takes the values of its first execution (ExecutorEnd).
    bool wants_params = sample != nullptr && args->jstate->highest_extern_param_id > 0;
    StoreCreate(key, text.data(), static_cast<int>(text.size()), GetDatabaseEncoding(), sample,
                sample_len, wants_params);
    if (sample != nullptr) pfree(sample);
    OrderKey keys[kMaxOrderKeys];
    int count = 0;
    CollectOrderKeys(args->query, args->query->sortClause, false, keys, &count);
    CollectOrderKeys(args->query, args->query->groupClause, true, keys, &count);
    if (count > 0) StoreSetOrderKeys(key, keys, count);
  });
}

// The index a bitmap heap scan's bitmap comes from (the first one under AND/OR).
Oid BitmapIndex(PlanState* state) {
  for (int depth = 0; state != nullptr && depth < 16; ++depth) {
    switch (nodeTag(state)) {
      case T_BitmapIndexScanState:
        return reinterpret_cast<BitmapIndexScan*>(state->plan)->indexid;
      case T_BitmapAndState: {
        BitmapAndState* node = reinterpret_cast<BitmapAndState*>(state);
        state = node->nplans > 0 ? node->bitmapplans[0] : nullptr;
        break;
      }
      case T_BitmapOrState: {
        BitmapOrState* node = reinterpret_cast<BitmapOrState*>(state);
        state = node->nplans > 0 ? node->bitmapplans[0] : nullptr;
        break;
      }
      default:
        return InvalidOid;
    }
  }
  return InvalidOid;
}

// The scan kind, relation and index of a relation scan node; false for any other node.
bool ScanOf(PlanState* state, ScanKind* kind, Oid* relid, Oid* index) {
  *kind = ScanKind::kSeq;
  *index = InvalidOid;
  switch (nodeTag(state)) {
    case T_SeqScanState:
      break;
    case T_IndexScanState:
      *kind = ScanKind::kIndex;
      *index = reinterpret_cast<IndexScan*>(state->plan)->indexid;
      break;
    case T_IndexOnlyScanState:
      *kind = ScanKind::kIndexOnly;
      *index = reinterpret_cast<IndexOnlyScan*>(state->plan)->indexid;
      break;
    case T_BitmapHeapScanState:
      *kind = ScanKind::kBitmap;
      *index = BitmapIndex(outerPlanState(state));
      break;
    case T_TidScanState:
    case T_TidRangeScanState:
      *kind = ScanKind::kTid;
      break;
    default:
      return false;
  }
  Relation relation = reinterpret_cast<ScanState*>(state)->ss_currentRelation;
  if (relation == nullptr) return false;
  *relid = RelationGetRelid(relation);
  return true;
}

// planstate_tree_walker takes an unprototyped walker; void (*)(void) converts to anything.
template <bool (*Walker)(PlanState*, void*)>
bool WalkChildren(PlanState* state, void* context) {
  auto walker = reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)(void)>(Walker));
  return planstate_tree_walker(state, walker, context);
}

// planstate_tree_walker callback: folds each relation scan (kind, relation, index) into the
// plan fingerprint. Runs on every tracked execution: no allocation, no lock.
void FoldScan(PlanState* state, uint64* fingerprint) {
  ScanKind kind;
  Oid relid;
  Oid index;
  if (ScanOf(state, &kind, &relid, &index)) {
    uint64 scan = (static_cast<uint64>(relid) << 32 | index) ^ static_cast<uint64>(kind) << 29;
    *fingerprint = hash_combine64(*fingerprint, scan * UINT64CONST(0x9E3779B97F4A7C15));
  }
}

bool FingerprintScans(PlanState* state, void* context) {
  if (state == nullptr) return false;
  FoldScan(state, static_cast<uint64*>(context));
  return WalkChildren<FingerprintScans>(state, context);
}

// The same fold as FingerprintScans in the same order (initPlans, left, right, special
// children, subPlans), without planstate_tree_walker's call overhead for the common nodes:
// those whose only children are the left and right trees.
void FoldScans(PlanState* state, uint64* fingerprint) {
  while (state != nullptr) {
    switch (nodeTag(state->plan)) {
      case T_Append:
      case T_MergeAppend:
      case T_BitmapAnd:
      case T_BitmapOr:
      case T_SubqueryScan:
      case T_CustomScan:
        FingerprintScans(state, fingerprint);
        return;
      default:
        break;
    }
    if (state->initPlan != NIL || state->subPlan != NIL) {
      FingerprintScans(state, fingerprint);
      return;
    }
    FoldScan(state, fingerprint);
    if (innerPlanState(state) == nullptr) {
      state = outerPlanState(state);
    } else {
      FoldScans(outerPlanState(state), fingerprint);
      state = innerPlanState(state);
    }
  }
}

uint64 PlanFingerprint(PlanState* root) {
  uint64 fingerprint = UINT64CONST(0x64626f7074706c6e);
  FoldScans(root, &fingerprint);
  return fingerprint != 0 ? fingerprint : 1;
}

using dbopt::capture::QualKind;
using dbopt::capture::QualOperand;
using dbopt::capture::QualShape;
using dbopt::capture::Wildcard;

Node* StripRelabel(Node* node) {
  while (node != nullptr && IsA(node, RelabelType))
    node = reinterpret_cast<Node*>(reinterpret_cast<RelabelType*>(node)->arg);
  return node;
}

// The index-only scan being read, whose quals name index columns (INDEX_VAR).
List* index_tlist = nullptr;

// A column of the scanned relation (varno = the scan's range-table index; for an index-only
// scan, an index column mapped back through its target list).
Var* ScanColumn(Node* node, Index scanrelid) {
  node = StripRelabel(node);
  if (node == nullptr || !IsA(node, Var)) return nullptr;
  Var* var = reinterpret_cast<Var*>(node);
  if (var->varno == INDEX_VAR && index_tlist != nullptr && var->varattno >= 1 &&
      var->varattno <= list_length(index_tlist)) {
    TargetEntry* entry = static_cast<TargetEntry*>(list_nth(index_tlist, var->varattno - 1));
    return ScanColumn(reinterpret_cast<Node*>(entry->expr), scanrelid);
  }
  return var->varno == static_cast<int>(scanrelid) && var->varlevelsup == 0 ? var : nullptr;
}

QualOperand OperandOf(Node* node) {
  node = StripRelabel(node);
  if (node == nullptr) return QualOperand::kOther;
  switch (nodeTag(node)) {
    case T_Const:
    case T_ArrayExpr:
      return QualOperand::kConstant;
    case T_Param:
      return reinterpret_cast<Param*>(node)->paramkind == PARAM_EXTERN ? QualOperand::kParameter
                                                                       : QualOperand::kOuter;
    case T_Var:
      return QualOperand::kOuter;  // another relation's column (the scan's own: not a qual shape)
    default:
      return QualOperand::kOther;
  }
}

// Operator classification, cached per backend (sampled executions read LIKE/regex patterns
// again, and get_opname is a syscache lookup and an allocation).
struct OperatorKind {
  Oid opno;  // InvalidOid: empty slot
  bool any;
  QualKind kind;
  bool case_insensitive;
};
constexpr int kOperatorSlots = 64;
OperatorKind operator_kinds[kOperatorSlots];

// False when the operator has no name (then no shape is recorded).
bool ClassifyOpno(Oid opno, bool any, QualKind* kind, bool* case_insensitive) {
  OperatorKind* slot = &operator_kinds[(opno * 2 + (any ? 1 : 0)) % kOperatorSlots];
  if (slot->opno != opno || slot->any != any || !OidIsValid(opno)) {
    char* opname = get_opname(opno);
    if (opname == nullptr) return false;
    slot->kind = dbopt::capture::ClassifyOperator(opname, any, &slot->case_insensitive);
    pfree(opname);
    slot->opno = opno;
    slot->any = any;
  }
  *kind = slot->kind;
  *case_insensitive = slot->case_insensitive;
  return true;
}

// The bound parameters of the execution being read (a generic plan's $n patterns).
ParamListInfo scan_params = nullptr;
// Sampled executions of a known plan read only LIKE/regex patterns (leading wildcard).
bool wildcards_only = false;
// Set when such a pass meets a text constant or parameter compared to a column.
bool pattern_seen = false;
// Backend-local: (query id, plan fingerprint) tags of plans whose pass met none, so that
// their sampled executions skip it (the same query with the same scans has the same quals).
constexpr int kPatternlessSlots = 64;
uint64 patternless[kPatternlessSlots];

// A text value's leading-wildcard flag, read without copying it when it is not compressed.
Wildcard PatternWildcard(bool is_like, Oid type, Datum value) {
  if (type != TEXTOID && type != VARCHAROID && type != BPCHAROID) return Wildcard::kUnknown;
  struct varlena* bytes = reinterpret_cast<struct varlena*>(DatumGetPointer(value));
  if (VARATT_IS_EXTERNAL(bytes) || VARATT_IS_COMPRESSED(bytes)) {
    char* pattern = TextDatumGetCString(value);
    Wildcard result = dbopt::capture::LeadingWildcard(is_like, pattern);
    pfree(pattern);
    return result;
  }
  return dbopt::capture::LeadingWildcard(
      is_like, std::string_view(VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes)));
}

// The leading-wildcard flag of a LIKE/regex pattern operand: a constant, or a parameter
// bound in this execution; kUnknown otherwise.
Wildcard OperandWildcard(bool is_like, Node* operand) {
  operand = StripRelabel(operand);
  if (operand == nullptr) return Wildcard::kUnknown;
  if (IsA(operand, Const)) {
    Const* constant = reinterpret_cast<Const*>(operand);
    if (constant->constisnull) return Wildcard::kUnknown;
    return PatternWildcard(is_like, constant->consttype, constant->constvalue);
  }
  if (IsA(operand, Param) && scan_params != nullptr) {
    Param* param = reinterpret_cast<Param*>(operand);
    if (param->paramkind != PARAM_EXTERN || param->paramid < 1 ||
        param->paramid > scan_params->numParams)
      return Wildcard::kUnknown;
    ParamExternData workspace;
    ParamExternData* bound =
        scan_params->paramFetch != nullptr
            ? scan_params->paramFetch(scan_params, param->paramid, true, &workspace)
            : &scan_params->params[param->paramid - 1];
    if (bound == nullptr || bound->isnull || !OidIsValid(bound->ptype)) return Wildcard::kUnknown;
    return PatternWildcard(is_like, bound->ptype, bound->value);
  }
  return Wildcard::kUnknown;
}

// Could `operand` be a pattern whose leading wildcard we can read (a text constant or
// parameter)? A cheap filter for sampled executions.
bool MaybePattern(Node* operand) {
  operand = StripRelabel(operand);
  if (operand == nullptr) return false;
  Oid type = InvalidOid;
  if (IsA(operand, Const))
    type = reinterpret_cast<Const*>(operand)->consttype;
  else if (IsA(operand, Param) && reinterpret_cast<Param*>(operand)->paramkind == PARAM_EXTERN)
    type = reinterpret_cast<Param*>(operand)->paramtype;
  return type == TEXTOID || type == VARCHAROID || type == BPCHAROID;
}

// A binary comparison `a <op> b` or `a <op> ANY (b)` (*any): its operator and two arguments.
bool ComparisonOf(Node* clause, Oid* opno, List** args, bool* any) {
  *any = false;
  if (IsA(clause, OpExpr)) {
    *opno = reinterpret_cast<OpExpr*>(clause)->opno;
    *args = reinterpret_cast<OpExpr*>(clause)->args;
  } else if (IsA(clause, ScalarArrayOpExpr)) {
    ScalarArrayOpExpr* expr = reinterpret_cast<ScalarArrayOpExpr*>(clause);
    if (!expr->useOr) return false;  // = ALL (...)
    *opno = expr->opno;
    *args = expr->args;
    *any = true;
  } else {
    return false;
  }
  return list_length(*args) == 2;
}

void AddQual(AccessSample* sample, const QualShape& shape) {
  for (int i = 0; i < sample->qual_count; ++i)
    if (sample->quals[i] == shape) return;
  if (sample->qual_count < kMaxQuals) sample->quals[sample->qual_count++] = shape;
}

void QualsOfClause(Node* clause, Index scanrelid, AccessSample* sample, int depth) {
  if (clause == nullptr || depth > 8) return;
  QualShape shape{};
  if (IsA(clause, BoolExpr)) {
    BoolExpr* expr = reinterpret_cast<BoolExpr*>(clause);
    if (expr->boolop == NOT_EXPR) return;
    ListCell* cell;
    foreach (cell, expr->args)
      QualsOfClause(static_cast<Node*>(lfirst(cell)), scanrelid, sample, depth + 1);
    return;
  }
  if (IsA(clause, NullTest)) {
    if (wildcards_only) return;
    NullTest* test = reinterpret_cast<NullTest*>(clause);
    Var* var = ScanColumn(reinterpret_cast<Node*>(test->arg), scanrelid);
    if (var == nullptr) return;
    shape.attnum = static_cast<int16>(var->varattno);
    shape.kind = test->nulltesttype == IS_NULL ? QualKind::kIsNull : QualKind::kIsNotNull;
    shape.operand = QualOperand::kNone;
    AddQual(sample, shape);
    return;
  }
  Oid opno = InvalidOid;
  List* args = nullptr;
  bool any = false;
  if (!ComparisonOf(clause, &opno, &args, &any) || (any && wildcards_only)) return;
  Node* left = static_cast<Node*>(linitial(args));
  Node* right = static_cast<Node*>(lsecond(args));
  Var* var = ScanColumn(left, scanrelid);
  Node* other = right;
  if (var == nullptr && !any) {
    var = ScanColumn(right, scanrelid);
    other = left;
  }
  if (var == nullptr || ScanColumn(other, scanrelid) != nullptr) return;
  if (wildcards_only) {
    if (!MaybePattern(other)) return;
    pattern_seen = true;
  }
  bool case_insensitive = false;
  QualKind kind;
  if (!ClassifyOpno(opno, any, &kind, &case_insensitive)) return;
  bool pattern = kind == QualKind::kLike || kind == QualKind::kRegex;
  if (wildcards_only && !pattern) return;
  shape.attnum = static_cast<int16>(var->varattno);
  shape.kind = kind;
  shape.case_insensitive = case_insensitive;
  shape.operand = OperandOf(other);
  if (pattern) shape.leading_wildcard = OperandWildcard(kind == QualKind::kLike, other);
  if (wildcards_only && shape.leading_wildcard == Wildcard::kUnknown) return;
  AddQual(sample, shape);
}

void QualsOfList(List* clauses, Index scanrelid, AccessSample* sample) {
  ListCell* cell;
  foreach (cell, clauses) QualsOfClause(static_cast<Node*>(lfirst(cell)), scanrelid, sample, 0);
}

// The restriction and index quals of a scan node (index quals in their heap-column form).
void CollectQuals(PlanState* state, AccessSample* sample) {
  Plan* plan = state->plan;
  Index scanrelid = reinterpret_cast<Scan*>(plan)->scanrelid;
  index_tlist = nullptr;
  switch (nodeTag(plan)) {
    case T_IndexScan:
      QualsOfList(reinterpret_cast<IndexScan*>(plan)->indexqualorig, scanrelid, sample);
      break;
    case T_IndexOnlyScan: {
      IndexOnlyScan* scan = reinterpret_cast<IndexOnlyScan*>(plan);
      index_tlist = scan->indextlist;
      QualsOfList(scan->indexqual, scanrelid, sample);
      QualsOfList(plan->qual, scanrelid, sample);  // its filter also names index columns
      index_tlist = nullptr;
      return;
    }
    case T_BitmapHeapScan:
      QualsOfList(reinterpret_cast<BitmapHeapScan*>(plan)->bitmapqualorig, scanrelid, sample);
      break;
    default:
      break;
  }
  QualsOfList(plan->qual, scanrelid, sample);
}

// ---- join conditions ----------------------------------------------------------------------
// Hash and merge join clauses, and the join filters of any join, are not scan quals: their
// columns are found by following each side's Var (OUTER_VAR/INNER_VAR) down the target lists
// of the join's children to the relation scan that produces it, and recorded on that scan's
// access sample as compared to `outer`. Read only when a plan shape is learned.

// The plan node of execution->access[i] while a plan shape is learned.
const Plan* sample_plans[kMaxAccessSamples];

bool IsRelationScan(const Plan* plan) {
  switch (nodeTag(plan)) {
    case T_SeqScan:
    case T_IndexScan:
    case T_IndexOnlyScan:
    case T_BitmapHeapScan:
    case T_TidScan:
    case T_TidRangeScan:
      return true;
    default:
      return false;
  }
}

Node* TargetExpr(const Plan* plan, AttrNumber attno) {
  if (plan == nullptr || attno < 1 || attno > list_length(plan->targetlist)) return nullptr;
  return StripRelabel(reinterpret_cast<Node*>(
      static_cast<TargetEntry*>(list_nth(plan->targetlist, attno - 1))->expr));
}

void AddJoinShape(Execution* execution, const Plan* scan, const QualShape& shape) {
  for (int i = 0; i < execution->access_count; ++i)
    if (sample_plans[i] == scan) AddQual(&execution->access[i], shape);
}

void ColumnInPlan(Node* expr, const Plan* plan, Execution* execution, QualShape shape, int depth);

// `var` appears in an expression evaluated by `plan` (a join or an upper node).
void ColumnOfVar(Var* var, const Plan* plan, Execution* execution, QualShape shape, int depth) {
  if (depth > 64 || var->varlevelsup != 0) return;
  const Plan* child = nullptr;
  if (var->varno == OUTER_VAR)
    child = plan->lefttree;
  else if (var->varno == INNER_VAR)
    child = plan->righttree;
  if (child == nullptr) return;
  ColumnInPlan(TargetExpr(child, var->varattno), child, execution, shape, depth + 1);
}

// `expr` is an output column of `plan`: find the relation scan (or scans, under an Append)
// that produces it.
void ColumnInPlan(Node* expr, const Plan* plan, Execution* execution, QualShape shape, int depth) {
  if (expr == nullptr || !IsA(expr, Var) || depth > 64) return;
  Var* var = reinterpret_cast<Var*>(expr);
  if (IsRelationScan(plan)) {
    const Scan* scan = reinterpret_cast<const Scan*>(plan);
    if (var->varno == INDEX_VAR && IsA(plan, IndexOnlyScan)) {
      List* tlist = reinterpret_cast<const IndexOnlyScan*>(plan)->indextlist;
      if (var->varattno < 1 || var->varattno > list_length(tlist)) return;
      Node* column = StripRelabel(reinterpret_cast<Node*>(
          static_cast<TargetEntry*>(list_nth(tlist, var->varattno - 1))->expr));
      if (column == nullptr || !IsA(column, Var)) return;
      var = reinterpret_cast<Var*>(column);
    }
    if (var->varno != static_cast<int>(scan->scanrelid) || var->varattno <= 0) return;
    shape.attnum = static_cast<int16>(var->varattno);
    AddJoinShape(execution, plan, shape);
    return;
  }
  List* children = nullptr;
  if (IsA(plan, Append)) children = reinterpret_cast<const Append*>(plan)->appendplans;
  if (IsA(plan, MergeAppend)) children = reinterpret_cast<const MergeAppend*>(plan)->mergeplans;
  if (children != nullptr) {
    ListCell* cell;
    foreach (cell, children) {
      const Plan* child = static_cast<const Plan*>(lfirst(cell));
      ColumnInPlan(TargetExpr(child, var->varattno), child, execution, shape, depth + 1);
    }
    return;
  }
  if (IsA(plan, SubqueryScan)) {
    const SubqueryScan* scan = reinterpret_cast<const SubqueryScan*>(plan);
    if (var->varno == static_cast<int>(scan->scan.scanrelid))
      ColumnInPlan(TargetExpr(scan->subplan, var->varattno), scan->subplan, execution, shape,
                   depth + 1);
    return;
  }
  ColumnOfVar(var, plan, execution, shape, depth);
}

// Records the columns of one join condition of `join` (evaluated there: Vars are OUTER_VAR or
// INNER_VAR) on the scans they come from.
void JoinClause(Node* clause, const Plan* join, Execution* execution, int depth) {
  if (clause == nullptr || depth > 8) return;
  if (IsA(clause, BoolExpr)) {
    BoolExpr* expr = reinterpret_cast<BoolExpr*>(clause);
    if (expr->boolop == NOT_EXPR) return;
    ListCell* cell;
    foreach (cell, expr->args)
      JoinClause(static_cast<Node*>(lfirst(cell)), join, execution, depth + 1);
    return;
  }
  QualShape shape{};
  if (IsA(clause, NullTest)) {  // an anti-join's "inner.col IS NULL" filter, say
    NullTest* test = reinterpret_cast<NullTest*>(clause);
    Node* arg = StripRelabel(reinterpret_cast<Node*>(test->arg));
    if (arg == nullptr || !IsA(arg, Var)) return;
    shape.kind = test->nulltesttype == IS_NULL ? QualKind::kIsNull : QualKind::kIsNotNull;
    shape.operand = QualOperand::kNone;
    ColumnOfVar(reinterpret_cast<Var*>(arg), join, execution, shape, 0);
    return;
  }
  Oid opno = InvalidOid;
  List* args = nullptr;
  bool any = false;
  if (!ComparisonOf(clause, &opno, &args, &any)) return;
  bool case_insensitive = false;
  QualKind kind;
  if (!ClassifyOpno(opno, any, &kind, &case_insensitive)) return;
  shape.kind = kind;
  shape.case_insensitive = case_insensitive;
  shape.operand = QualOperand::kOuter;
  if (kind == QualKind::kLike || kind == QualKind::kRegex)
    shape.leading_wildcard = Wildcard::kUnknown;
  // Each side that is a column, compared to the other side (which names the other relation).
  for (int side = 0; side < (any ? 1 : 2); ++side) {
    Node* column = StripRelabel(static_cast<Node*>(list_nth(args, side)));
    Node* other = static_cast<Node*>(list_nth(args, 1 - side));
    if (column == nullptr || !IsA(column, Var) || !contain_var_clause(other)) continue;
    ColumnOfVar(reinterpret_cast<Var*>(column), join, execution, shape, 0);
  }
}

void JoinClauses(List* clauses, const Plan* join, Execution* execution) {
  ListCell* cell;
  foreach (cell, clauses) JoinClause(static_cast<Node*>(lfirst(cell)), join, execution, 0);
}

// A parameterized nested loop passes outer values to its inner side as PARAM_EXEC
// parameters; the comparison that uses one (found in the inner subtree) gives the operator
// for the outer column it comes from.
struct ParamUse {
  int paramno;
  Oid opno;
  bool any;
  bool found;
};

bool FindParamUse(Node* node, void* context) {
  if (node == nullptr) return false;
  ParamUse* use = static_cast<ParamUse*>(context);
  Oid opno = InvalidOid;
  List* args = nullptr;
  bool any = false;
  if (ComparisonOf(node, &opno, &args, &any)) {
    for (int side = 0; side < 2; ++side) {
      Node* arg = StripRelabel(static_cast<Node*>(list_nth(args, side)));
      if (arg != nullptr && IsA(arg, Param) &&
          reinterpret_cast<Param*>(arg)->paramkind == PARAM_EXEC &&
          reinterpret_cast<Param*>(arg)->paramid == use->paramno) {
        use->opno = opno;
        use->any = any;
        use->found = true;
        return true;
      }
    }
  }
  auto walker = reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)(void)>(FindParamUse));
  return expression_tree_walker(node, walker, context);
}

void FindParamInPlan(const Plan* plan, ParamUse* use, int depth) {
  if (plan == nullptr || use->found || depth > 64) return;
  List* lists[3] = {plan->qual, nullptr, nullptr};
  switch (nodeTag(plan)) {
    case T_IndexScan:
      lists[1] = reinterpret_cast<const IndexScan*>(plan)->indexqualorig;
      break;
    case T_IndexOnlyScan:
      lists[1] = reinterpret_cast<const IndexOnlyScan*>(plan)->indexqual;
      break;
    case T_BitmapHeapScan:
      lists[1] = reinterpret_cast<const BitmapHeapScan*>(plan)->bitmapqualorig;
      break;
    case T_BitmapIndexScan:
      lists[1] = reinterpret_cast<const BitmapIndexScan*>(plan)->indexqualorig;
      break;
    case T_NestLoop:
    case T_MergeJoin:
    case T_HashJoin:
      lists[1] = reinterpret_cast<const Join*>(plan)->joinqual;
      if (IsA(plan, HashJoin)) lists[2] = reinterpret_cast<const HashJoin*>(plan)->hashclauses;
      if (IsA(plan, MergeJoin)) lists[2] = reinterpret_cast<const MergeJoin*>(plan)->mergeclauses;
      break;
    default:
      break;
  }
  for (List* list : lists)
    if (list != nullptr && !use->found) FindParamUse(reinterpret_cast<Node*>(list), use);
  List* children = nullptr;
  if (IsA(plan, Append)) children = reinterpret_cast<const Append*>(plan)->appendplans;
  if (IsA(plan, MergeAppend)) children = reinterpret_cast<const MergeAppend*>(plan)->mergeplans;
  if (IsA(plan, BitmapAnd)) children = reinterpret_cast<const BitmapAnd*>(plan)->bitmapplans;
  if (IsA(plan, BitmapOr)) children = reinterpret_cast<const BitmapOr*>(plan)->bitmapplans;
  if (IsA(plan, SubqueryScan))
    FindParamInPlan(reinterpret_cast<const SubqueryScan*>(plan)->subplan, use, depth + 1);
  ListCell* cell;
  foreach (cell, children) FindParamInPlan(static_cast<const Plan*>(lfirst(cell)), use, depth + 1);
  FindParamInPlan(plan->lefttree, use, depth + 1);
  FindParamInPlan(plan->righttree, use, depth + 1);
}

// The outer columns of a parameterized nested loop (its inner scan lists the other side).
void NestLoopParams(const NestLoop* join, Execution* execution) {
  ListCell* cell;
  foreach (cell, join->nestParams) {
    NestLoopParam* param = static_cast<NestLoopParam*>(lfirst(cell));
    ParamUse use{param->paramno, InvalidOid, false, false};
    FindParamInPlan(join->join.plan.righttree, &use, 0);
    if (!use.found || param->paramval == nullptr) continue;
    QualShape shape{};
    bool case_insensitive = false;
    QualKind kind;
    if (!ClassifyOpno(use.opno, use.any, &kind, &case_insensitive)) continue;
    shape.kind = kind;
    shape.case_insensitive = case_insensitive;
    shape.operand = QualOperand::kOuter;
    if (kind == QualKind::kLike || kind == QualKind::kRegex)
      shape.leading_wildcard = Wildcard::kUnknown;
    ColumnOfVar(param->paramval, &join->join.plan, execution, shape, 0);
  }
}

// planstate_tree_walker callback: the join conditions of every join node (see above).
bool CollectJoinQuals(PlanState* state, void* context) {
  if (state == nullptr) return false;
  Execution* execution = static_cast<Execution*>(context);
  const Plan* plan = state->plan;
  switch (nodeTag(plan)) {
    case T_HashJoin:
      JoinClauses(reinterpret_cast<const HashJoin*>(plan)->hashclauses, plan, execution);
      break;
    case T_MergeJoin:
      JoinClauses(reinterpret_cast<const MergeJoin*>(plan)->mergeclauses, plan, execution);
      break;
    case T_NestLoop:
      NestLoopParams(reinterpret_cast<const NestLoop*>(plan), execution);
      break;
    default:
      break;
  }
  switch (nodeTag(plan)) {
    case T_HashJoin:
    case T_MergeJoin:
    case T_NestLoop:
      JoinClauses(reinterpret_cast<const Join*>(plan)->joinqual, plan, execution);
      JoinClauses(plan->qual, plan, execution);
      break;
    default:
      break;
  }
  return WalkChildren<CollectJoinQuals>(state, context);
}

// planstate_tree_walker callback: one AccessSample per relation scan; with instrumentation
// (a sampled execution) its actual rows too.
bool CollectScans(PlanState* state, void* context) {
  if (state == nullptr) return false;
  Execution* execution = static_cast<Execution*>(context);
  if (execution->sampled && !execution->limit_seen && IsA(state, LimitState)) {
    // The outermost Limit that ran: OFFSET and LIMIT as evaluated (bound parameters too).
    LimitState* limit = reinterpret_cast<LimitState*>(state);
    if (limit->lstate != LIMIT_INITIAL) {
      execution->limit_seen = true;
      execution->limit_offset = limit->offset;
      execution->limit_count = limit->noCount ? -1 : limit->count;
    }
  }
  ScanKind kind;
  Oid relid;
  Oid index;
  if (ScanOf(state, &kind, &relid, &index)) {
    if (execution->access_count < kMaxAccessSamples) {
      AccessSample* sample = &execution->access[execution->access_count++];
      memset(sample, 0, sizeof(*sample));
      sample->relid = relid;
      sample->indexid = index;
      sample->kind = kind;
      sample->plan_rows = state->plan->plan_rows;
      Instrumentation* instr = state->instrument;
      if (execution->sampled && instr != nullptr) {
        // Counted without InstrEndLoop (which would change the node): the open loop too.
        sample->loops = instr->nloops + (instr->running ? 1 : 0);
        sample->rows = instr->ntuples + instr->tuplecount;
        sample->removed_by_filter = instr->nfiltered1;
      }
      if (execution->has_shape) {
        sample_plans[execution->access_count - 1] = state->plan;
        CollectQuals(state, sample);
      } else if (execution->sampled && wildcards_only) {
        CollectQuals(state, sample);  // a known plan: only its patterns may say something new
      }
    } else {
      execution->access_truncated = true;
    }
  }
  return WalkChildren<CollectScans>(state, context);
}

// The bound parameter values of an execution, for its entry's replayable sample: the
// nodeToString form of a List whose first element is the IntList of parameter ids and whose
// others are one Const per id (type, typmod -1, collation, the value's bytes; varlena values
// detoasted and flattened). NULL when there is no value (*len 0) or when they would exceed
// kMaxParamsLen (*len > 0).
// Dynamic parameter lists (PL/pgSQL) are read speculatively: a variable the query does not use
// is skipped. Runs only while a sample waits for values.
char* SerializeParams(ParamListInfo params, int* len) {
  *len = 0;
  List* ids = nullptr;
  List* values = nullptr;
  Size estimate = 0;
  for (int id = 1; id <= params->numParams; ++id) {
    ParamExternData workspace;
    ParamExternData* bound = params->paramFetch != nullptr
                                 ? params->paramFetch(params, id, true, &workspace)
                                 : &params->params[id - 1];
    if (bound == nullptr || !OidIsValid(bound->ptype)) continue;
    int16 typlen;
    bool typbyval;
    get_typlenbyval(bound->ptype, &typlen, &typbyval);
    Datum value = bound->value;
    if (!bound->isnull && typlen == -1) value = PointerGetDatum(PG_DETOAST_DATUM(value));
    // outDatum writes each byte as a number and a space: about 4 characters per byte.
    estimate += 160 + (bound->isnull ? 0 : 4 * datumGetSize(value, typbyval, typlen));
    if (estimate > static_cast<Size>(kMaxParamsLen)) {
      *len = static_cast<int>(estimate);
      return nullptr;
    }
    ids = lappend_int(ids, id);
    values = lappend(values, makeConst(bound->ptype, -1, get_typcollation(bound->ptype), typlen,
                                       value, bound->isnull, typbyval));
  }
  if (ids == nullptr) return nullptr;
  char* text = nodeToString(lcons(ids, values));
  *len = static_cast<int>(strlen(text));
  if (*len <= kMaxParamsLen) return text;
  pfree(text);
  return nullptr;
}

// ---- workload anti-patterns at the plan's top node (docs/antipatterns.md) ------------------
// Read on every execution, the hot path included, so only the top plan node is looked at: a
// Limit node that skipped a deep OFFSET (its runtime value, so bound parameters count), or a
// top-level SELECT with no Limit on top, read in one go (no cursor FETCH, no row-limited
// protocol Execute: `fetched`), that returned many rows. A statement with neither pays a few
// compares; the counters are updated only when one is seen (MergeAntipatternsLocked).

pg_noinline void NoteLimit(const LimitState* limit, Execution* execution) {
  // LIMIT_INITIAL: the node never ran, its OFFSET was never computed.
  if (limit->lstate == LIMIT_INITIAL || limit->offset < offset_min_rows) return;
  execution->antipatterns = kDeepOffset;
  execution->deep_offset = limit->offset;
  // position counts the rows read from below, the skipped ones first; fewer than the OFFSET
  // when the subplan ran out (then every row read was thrown away).
  execution->offset_skipped = Min(limit->position, limit->offset);
}

inline void NoteTopNode(const QueryDesc* query_desc, const PlanState* root, bool fetched,
                        Execution* execution) {
  execution->antipatterns = 0;
  if (IsA(root, LimitState)) {
    NoteLimit(reinterpret_cast<const LimitState*>(root), execution);
  } else if (query_desc->estate->es_processed > static_cast<uint64>(large_result_rows) &&
             query_desc->operation == CMD_SELECT && nesting_level == 0 && !fetched) {
    execution->antipatterns = kLargeResult;
  }
}

// The rest of ExecutorEnd's work, behind the guard: a sampled execution, a plan the entry has
// not seen, or an entry that does not exist yet.
struct EndArgs {
  QueryDesc* query_desc;
  double time_ms;
  uint64 plan_fingerprint;
  bool fetched;  // read by cursor FETCHes or row-limited protocol Executes
};

void ExecutorEndBody(void* arg) {
  const EndArgs* args = static_cast<const EndArgs*>(arg);
  QueryDesc* query_desc = args->query_desc;
  CallPg([&] {
    Execution execution;
    execution.access_count = 0;
    execution.access_truncated = false;
    execution.limit_seen = false;
    execution.limit_offset = 0;
    execution.limit_count = -1;
    execution.time_ms = args->time_ms;
    execution.rows = query_desc->estate->es_processed;
    PlanState* root = query_desc->planstate;
    execution.sampled = root != nullptr && root->instrument != nullptr;
    execution.has_shape = false;  // quals are read only for a plan the entry has not seen
    execution.plan_fingerprint = args->plan_fingerprint;
    execution.antipatterns = 0;
    if (root != nullptr) NoteTopNode(query_desc, root, args->fetched, &execution);
    scan_params = query_desc->params;
    wildcards_only = false;  // (an error may have left them set)
    index_tlist = nullptr;
    if (execution.sampled) {
      uint64 tag = query_desc->plannedstmt->queryId ^ execution.plan_fingerprint;
      uint64* slot = &patternless[tag % kPatternlessSlots];
      wildcards_only = *slot != tag;
      pattern_seen = false;
      CollectScans(root, &execution);
      if (wildcards_only && !pattern_seen) *slot = tag;
      wildcards_only = false;
    }
    QueryKey key = MakeKey(query_desc->plannedstmt->queryId);
    bool known = StoreRecord(key, execution);
    if (!known && root != nullptr) {
      // A plan this entry has not seen yet: list its scans and their quals once.
      execution.has_shape = true;
      execution.access_count = 0;
      execution.access_truncated = false;
      CollectScans(root, &execution);
      CollectJoinQuals(root, &execution);
      StoreAddPlan(key, execution);
    }
    scan_params = nullptr;
    // Parameter values for the entry's replayable sample: looked for only with a new plan (the
    // first execution of a new entry has one) or a sampled execution, never on the hot path.
    ParamListInfo params = query_desc->params;
    if ((!known || execution.sampled) && track_constants && params != nullptr &&
        params->numParams > 0 && StoreWantsParams(key)) {
      int len = 0;
      char* values = SerializeParams(params, &len);
      StoreSetSampleParams(key, values, len);
    }
  });
}

// Records one finished execution. An unsampled execution of a plan its entry knows is
// counted right here (no allocation, no exclusive lock, nothing that raises an error, so no
// guard needed); anything else goes through ExecutorEndBody.
void RecordExecution(QueryDesc* query_desc, double time_ms, bool fetched) {
  PlanState* root = query_desc->planstate;
  EndArgs args{query_desc, time_ms, root != nullptr ? PlanFingerprint(root) : 1, fetched};
  if (root != nullptr && root->instrument == nullptr) {
    Execution execution;
    execution.time_ms = time_ms;
    execution.rows = query_desc->estate->es_processed;
    execution.plan_fingerprint = args.plan_fingerprint;
    execution.sampled = false;
    execution.limit_seen = false;
    execution.has_shape = false;
    execution.access_count = 0;
    execution.access_truncated = false;
    NoteTopNode(query_desc, root, fetched, &execution);
    if (StoreRecordKnown(MakeKey(query_desc->plannedstmt->queryId), execution)) return;
  }
  RunHookGuarded("ExecutorEnd", ExecutorEndBody, &args);
}

// Sampling: rather than one random draw per execution, draw how many executions to skip
// until the next sampled one (geometric with p = sample_rate: each execution is still sampled
// with probability p, independently), so only sampled executions pay for a draw.
double armed_rate = -1.0;  // the sample_rate until_sample was drawn for
int64 until_sample = 0;

int64 DrawSkip() {
  double u = pg_prng_double(&pg_global_prng_state);  // [0, 1)
  double skip = std::floor(std::log1p(-u) / std::log1p(-sample_rate)) + 1.0;
  return skip < 1.0 ? 1 : skip > 1e15 ? static_cast<int64>(1e15) : static_cast<int64>(skip);
}

bool ShouldSample() {
  if (sample_rate >= 1.0) return true;
  if (sample_rate <= 0.0) return false;
  if (armed_rate != sample_rate) {
    armed_rate = sample_rate;
    until_sample = DrawSkip();
  }
  if (--until_sample > 0) return false;
  until_sample = DrawSkip();
  return true;
}

// ---- executions in progress ---------------------------------------------------------------
// The tracked executions between their ExecutorStart and ExecutorEnd, with the executor time
// spent in them so far (ExecutorRun and ExecutorFinish, as QueryDesc->totaltime would count
// it, without allocating an Instrumentation per execution). Backend-local. A slot keeps its
// index while in use (freed slots are reused only from the top), so a wrapper may hold an
// index across a nested execution. Executions that never reach ExecutorEnd (an error) are
// dropped when their subtransaction or transaction ends: a transaction's executions have all
// ended or failed by then (portals still open at commit are run to completion first).
struct Running {
  QueryDesc* query_desc;  // nullptr: free slot
  EState* estate;
  SubTransactionId subxact;  // where ExecutorStart ran
  instr_time elapsed;
  loops::Span span;  // for the statement event ring
  bool fetched;      // some ExecutorRun had a row count (cursor FETCH, protocol Execute limit)
};
Running* running = nullptr;
int running_size = 0;  // allocated slots
int running_top = 0;   // slots in use are below this one

int FindRunning(QueryDesc* query_desc) {
  for (int i = running_top - 1; i >= 0; --i)
    if (running[i].query_desc == query_desc && running[i].estate == query_desc->estate) return i;
  return -1;
}

void FreeRunning(int slot) {
  running[slot].query_desc = nullptr;
  while (running_top > 0 && running[running_top - 1].query_desc == nullptr) --running_top;
}

// Starts timing an execution; false when there is no memory for its slot (it is then not
// recorded).
bool StartRunning(QueryDesc* query_desc) {
  if (running_top == running_size) {
    int size = running_size == 0 ? 8 : running_size * 2;
    Running* grown = static_cast<Running*>(
        MemoryContextAllocExtended(TopMemoryContext, sizeof(Running) * size, MCXT_ALLOC_NO_OOM));
    if (grown == nullptr) return false;
    if (running != nullptr) {
      memcpy(grown, running, sizeof(Running) * running_top);
      pfree(running);
    }
    running = grown;
    running_size = size;
  }
  Running* slot = &running[running_top++];
  slot->query_desc = query_desc;
  slot->estate = query_desc->estate;
  slot->subxact = GetCurrentSubTransactionId();
  INSTR_TIME_SET_ZERO(slot->elapsed);
  INSTR_TIME_SET_ZERO(slot->span.first_start);
  slot->span.rows = 0;
  slot->fetched = false;
  return true;
}

void AddElapsed(int slot, QueryDesc* query_desc, const instr_time& start, bool run, uint64 count) {
  if (slot >= running_top || running[slot].query_desc != query_desc) return;
  Running* r = &running[slot];
  INSTR_TIME_SET_CURRENT(r->span.last_end);
  INSTR_TIME_ACCUM_DIFF(r->elapsed, r->span.last_end, start);
  if (INSTR_TIME_IS_ZERO(r->span.first_start)) r->span.first_start = start;
  if (run) r->span.rows += query_desc->estate->es_processed;
  r->fetched |= count != 0;
}

void DropRunningFrom(SubTransactionId subxact) {
  for (int i = 0; i < running_top; ++i)
    if (running[i].subxact >= subxact) running[i].query_desc = nullptr;
  while (running_top > 0 && running[running_top - 1].query_desc == nullptr) --running_top;
}

void dbopt_xact_callback(XactEvent event, void*) {
  if (event == XACT_EVENT_ABORT || event == XACT_EVENT_COMMIT ||
      event == XACT_EVENT_PARALLEL_ABORT || event == XACT_EVENT_PARALLEL_COMMIT)
    running_top = 0;
}

void dbopt_subxact_callback(SubXactEvent event, SubTransactionId subxact, SubTransactionId, void*) {
  if (event == SUBXACT_EVENT_ABORT_SUB) DropRunningFrom(subxact);
}

// ---- the hook shims ---------------------------------------------------------------------

void dbopt_post_parse_analyze(ParseState* pstate, Query* query, JumbleState* jstate) {
  if (prev_post_parse_analyze) prev_post_parse_analyze(pstate, query, jstate);
  if (jstate == nullptr || query->queryId == UINT64CONST(0) || query->utilityStmt != nullptr ||
      pstate->p_sourcetext == nullptr || !Enabled() || StoreSurelyHasEntry(MakeKey(query->queryId)))
    return;
  ParseArgs args{pstate, query, jstate};
  RunHookGuarded("post_parse_analyze", ParseBody, &args);
}

void dbopt_ExecutorStart(QueryDesc* query_desc, int eflags) {
  bool tracked = query_desc->plannedstmt->queryId != UINT64CONST(0) &&
                 (eflags & EXEC_FLAG_EXPLAIN_ONLY) == 0 && Enabled();
  if (tracked && ShouldSample()) query_desc->instrument_options |= INSTRUMENT_ROWS;
  if (prev_ExecutorStart)
    prev_ExecutorStart(query_desc, eflags);
  else
    standard_ExecutorStart(query_desc, eflags);
  // A slot left by a failed execution whose memory this one reuses is stale.
  for (int i = running_top - 1; i >= 0; --i)
    if (running[i].query_desc == query_desc) FreeRunning(i);
  if (tracked) (void)StartRunning(query_desc);
}

// The statements a query runs (functions, triggers) are one level deeper. Out of line, so
// the callers' locals do not live across the PG_TRY's setjmp.
pg_noinline void RunOneLevelDeeper(QueryDesc* query_desc, ScanDirection direction, uint64 count,
                                   bool execute_once) {
  ++nesting_level;
  PG_TRY();
  {
    if (prev_ExecutorRun)
      prev_ExecutorRun(query_desc, direction, count, execute_once);
    else
      standard_ExecutorRun(query_desc, direction, count, execute_once);
  }
  PG_FINALLY();
  { --nesting_level; }
  PG_END_TRY();
}

pg_noinline void FinishOneLevelDeeper(QueryDesc* query_desc) {
  ++nesting_level;
  PG_TRY();
  {
    if (prev_ExecutorFinish)
      prev_ExecutorFinish(query_desc);
    else
      standard_ExecutorFinish(query_desc);
  }
  PG_FINALLY();
  { --nesting_level; }
  PG_END_TRY();
}

void dbopt_ExecutorRun(QueryDesc* query_desc, ScanDirection direction, uint64 count,
                       bool execute_once) {
  int slot = FindRunning(query_desc);
  instr_time start;
  if (slot >= 0) INSTR_TIME_SET_CURRENT(start);
  RunOneLevelDeeper(query_desc, direction, count, execute_once);
  if (slot >= 0) AddElapsed(slot, query_desc, start, true, count);
}

void dbopt_ExecutorFinish(QueryDesc* query_desc) {
  EState* estate = query_desc->estate;
  if (prev_ExecutorFinish == nullptr && (estate->es_top_eflags & EXEC_FLAG_SKIP_TRIGGERS) != 0 &&
      estate->es_auxmodifytables == NIL) {
    // No AFTER trigger and no ModifyTable left to run: nothing nested, nothing worth timing.
    standard_ExecutorFinish(query_desc);
    return;
  }
  int slot = FindRunning(query_desc);
  instr_time start;
  if (slot >= 0) INSTR_TIME_SET_CURRENT(start);
  FinishOneLevelDeeper(query_desc);
  if (slot >= 0) AddElapsed(slot, query_desc, start, false, 0);
}

// The table a data-modifying statement wrote, for the multi-step write detector: its
// ModifyTable's target (a partitioned table's root), or for a SELECT whose WITH writes, the
// first data-modifying CTE's. InvalidOid when there is none.
pg_noinline Oid WrittenRelation(const PlannedStmt* stmt) {
  const Plan* plan = stmt->planTree;
  if (plan == nullptr || !IsA(plan, ModifyTable)) {
    plan = nullptr;
    ListCell* cell;
    foreach (cell, stmt->subplans) {
      const Plan* subplan = static_cast<const Plan*>(lfirst(cell));
      if (subplan != nullptr && IsA(subplan, ModifyTable)) {
        plan = subplan;
        break;
      }
    }
    if (plan == nullptr) return InvalidOid;
  }
  const ModifyTable* modify = reinterpret_cast<const ModifyTable*>(plan);
  Index rti = modify->rootRelation != 0 ? modify->rootRelation : modify->nominalRelation;
  if (rti == 0 || rti > static_cast<Index>(list_length(stmt->rtable))) return InvalidOid;
  return rt_fetch(rti, stmt->rtable)->relid;
}

void dbopt_ExecutorEnd(QueryDesc* query_desc) {
  int slot = FindRunning(query_desc);
  if (slot >= 0) {
    // Tracked since ExecutorStart (a slot exists only then): recorded.
    Running* r = &running[slot];
    double time_ms = INSTR_TIME_GET_MILLISEC(r->elapsed);
    bool fetched = r->fetched;
    // The event ring first (the slot is still ours): a few stores, no lock.
    if (!INSTR_TIME_IS_ZERO(r->span.first_start)) {
      const PlannedStmt* stmt = query_desc->plannedstmt;
      bool select = query_desc->operation == CMD_SELECT;
      loops::Record(stmt->queryId, r->span, nesting_level, select,
                    select && !stmt->hasModifyingCTE ? InvalidOid : WrittenRelation(stmt));
    }
    FreeRunning(slot);
    RecordExecution(query_desc, time_ms, fetched);
  }
  if (prev_ExecutorEnd)
    prev_ExecutorEnd(query_desc);
  else
    standard_ExecutorEnd(query_desc);
}

void NextProcessUtility(PlannedStmt* pstmt, const char* query_string, bool read_only_tree,
                        ProcessUtilityContext context, ParamListInfo params,
                        QueryEnvironment* query_env, DestReceiver* dest, QueryCompletion* qc) {
  if (prev_ProcessUtility)
    prev_ProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env, dest, qc);
  else
    standard_ProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env, dest,
                            qc);
}

void dbopt_ProcessUtility(PlannedStmt* pstmt, const char* query_string, bool read_only_tree,
                          ProcessUtilityContext context, ParamListInfo params,
                          QueryEnvironment* query_env, DestReceiver* dest, QueryCompletion* qc) {
  Node* statement = pstmt->utilityStmt;
  // PREPARE analyzes and EXECUTE runs a statement on behalf of the level that issued them.
  if (IsA(statement, ExecuteStmt) || IsA(statement, PrepareStmt)) {
    NextProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env, dest, qc);
    return;
  }
  ++nesting_level;
  PG_TRY();
  { NextProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env, dest, qc); }
  PG_FINALLY();
  { --nesting_level; }
  PG_END_TRY();
}

}  // namespace

void DefineGucs() {
  DefineCustomEnumVariable("dbopt.track", "Which statements dbopt captures.",
                           "none: none; top: statements issued by clients; all: nested "
                           "statements (functions, procedures) too.",
                           &track, kTrackAll, kTrackOptions, PGC_SUSET, 0, nullptr, nullptr,
                           nullptr);
  DefineCustomRealVariable("dbopt.sample_rate",
                           "Fraction of executions whose plan nodes dbopt instruments.",
                           "Sampled executions record per-relation access paths and row counts.",
                           &sample_rate, 0.1, 0.0, 1.0, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomBoolVariable("dbopt.track_constants",
                           "Store a replayable sample (with literal and parameter values) of "
                           "each new query.",
                           "Off: dbopt stores no literal or bound values at all (no sample, no "
                           "parameter values; dbopt_replan() then has nothing to plan).",
                           &track_constants, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomBoolVariable("dbopt.save", "Save dbopt's captured queries across server restarts.",
                           nullptr, &save_on_exit, true, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dbopt.offset_min_rows", "Smallest runtime OFFSET that counts as deep pagination.",
      "Executions whose top Limit node skips at least this many rows are "
      "counted by dbopt_offset_pagination().",
      &offset_min_rows, 1000, 1, INT_MAX, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("dbopt.large_result_rows",
                          "Most rows a top-level SELECT without LIMIT may return before it "
                          "counts as an unbounded result set.",
                          "Counted by dbopt_large_results().", &large_result_rows, 10000, 1,
                          INT_MAX, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  // Sizes of shared memory exist only with the preload (PostgreSQL refuses them later).
  if (process_shared_preload_libraries_in_progress) {
    DefineCustomIntVariable("dbopt.max_queries", "Maximum number of queries dbopt keeps.", nullptr,
                            &max_queries, 5000, 100, 1000000, PGC_POSTMASTER, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("dbopt.text_memory",
                            "Shared memory for dbopt's normalized query texts.", nullptr,
                            &text_memory_kb, 4096, 64, 1024 * 1024, PGC_POSTMASTER, GUC_UNIT_KB,
                            nullptr, nullptr, nullptr);
  }
}

void InstallHooks() {
  EnableQueryId();
  prev_post_parse_analyze = post_parse_analyze_hook;
  post_parse_analyze_hook = dbopt_post_parse_analyze;
  prev_ExecutorStart = ExecutorStart_hook;
  ExecutorStart_hook = dbopt_ExecutorStart;
  prev_ExecutorRun = ExecutorRun_hook;
  ExecutorRun_hook = dbopt_ExecutorRun;
  prev_ExecutorFinish = ExecutorFinish_hook;
  ExecutorFinish_hook = dbopt_ExecutorFinish;
  prev_ExecutorEnd = ExecutorEnd_hook;
  ExecutorEnd_hook = dbopt_ExecutorEnd;
  prev_ProcessUtility = ProcessUtility_hook;
  ProcessUtility_hook = dbopt_ProcessUtility;
  RegisterXactCallback(dbopt_xact_callback, nullptr);
  RegisterSubXactCallback(dbopt_subxact_callback, nullptr);
}

}  // namespace dbopt::pg::capture
