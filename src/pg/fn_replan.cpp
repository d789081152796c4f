// dbopt_replan(queryid, userid, dbid, generic, toplevel): re-plans a captured query from its
// replayable sample (replan.hpp) and lists the relation scans of the new plan: with the
// parameter values the sample carries (a custom plan), or without them (generic => true).
// Superuser only: the sample holds the statement's literal values.
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/capture_store.hpp"
#include "pg/guard.hpp"
#include "pg/module.hpp"
#include "pg/replan.hpp"

extern "C" {
#include "miscadmin.h"
#include "parser/parsetree.h"
}

#include <string>
#include <vector>

namespace {

using dbopt::pg::Cell;
namespace capture = dbopt::pg::capture;

struct FoundScan {
  Oid relid;
  const char* kind;
  Oid index;
};

Oid FirstBitmapIndex(Plan* plan) {
  for (int depth = 0; plan != nullptr && depth < 16; ++depth) {
    if (IsA(plan, BitmapIndexScan)) return reinterpret_cast<BitmapIndexScan*>(plan)->indexid;
    List* children = nullptr;
    if (IsA(plan, BitmapAnd)) children = reinterpret_cast<BitmapAnd*>(plan)->bitmapplans;
    if (IsA(plan, BitmapOr)) children = reinterpret_cast<BitmapOr*>(plan)->bitmapplans;
    plan = children != nullptr ? static_cast<Plan*>(linitial(children)) : nullptr;
  }
  return InvalidOid;
}

// Appends the relation scans of a plan tree, in plan order. Runs under CallPg.
struct ScanCollector {
  PlannedStmt* stmt;
  std::vector<FoundScan>* scans;
};

bool CollectScan(Plan* plan, void* arg) {
  auto* collector = static_cast<ScanCollector*>(arg);
  const char* kind = nullptr;
  Oid index = InvalidOid;
  switch (nodeTag(plan)) {
    case T_SeqScan:
      kind = "seq";
      break;
    case T_IndexScan:
      kind = "index";
      index = reinterpret_cast<IndexScan*>(plan)->indexid;
      break;
    case T_IndexOnlyScan:
      kind = "index_only";
      index = reinterpret_cast<IndexOnlyScan*>(plan)->indexid;
      break;
    case T_BitmapHeapScan:
      kind = "bitmap";
      index = FirstBitmapIndex(plan->lefttree);
      break;
    case T_TidScan:
    case T_TidRangeScan:
      kind = "tid";
      break;
    default:
      return true;
  }
  RangeTblEntry* rte = rt_fetch(reinterpret_cast<Scan*>(plan)->scanrelid, collector->stmt->rtable);
  collector->scans->push_back({rte->relid, kind, index});
  return !IsA(plan, BitmapHeapScan);  // its bitmap children are part of this scan
}

void CollectScans(PlannedStmt* stmt, Plan* plan, std::vector<FoundScan>* scans) {
  ScanCollector collector{stmt, scans};
  capture::WalkPlan(plan, CollectScan, &collector);
}

}  // namespace

DBOPT_FUNCTION(dbopt_replan) {
  dbopt::pg::RequirePreload("dbopt_replan");
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "queryid must not be NULL",
                    "Pass a queryid from dbopt_queries.");
  bool allowed = false;
  dbopt::pg::CallPg([&] { allowed = superuser(); });
  if (!allowed)
    dbopt::pg::Fail(ERRCODE_INSUFFICIENT_PRIVILEGE, "only superusers may call dbopt_replan()",
                    "A replayable sample holds the statement's literal values.");
  int64 queryid = PG_GETARG_INT64(0);
  Oid userid = PG_ARGISNULL(1) ? InvalidOid : PG_GETARG_OID(1);
  Oid dbid = PG_ARGISNULL(2) ? MyDatabaseId : PG_GETARG_OID(2);
  bool generic = PG_NARGS() > 3 && !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
  // toplevel: NULL looks at the top-level entry first, then at the nested one.
  bool any_level = PG_NARGS() <= 4 || PG_ARGISNULL(4);
  bool only_toplevel = !any_level && PG_GETARG_BOOL(4);
  if (dbid != MyDatabaseId)
    dbopt::pg::Fail(ERRCODE_FEATURE_NOT_SUPPORTED,
                    "dbopt_replan() plans only queries captured in the current database",
                    "Connect to database " + std::to_string(dbid) + " and call it there.");
  // The entry's key: the given user, else any user (the current one first); top level first.
  Oid user = OidIsValid(userid) ? userid : GetUserId();
  char* sample = nullptr;
  bool found_entry = false;
  {
    for (bool toplevel : {true, false}) {
      if (!any_level && toplevel != only_toplevel) continue;
      capture::QueryKey key;
      memset(&key, 0, sizeof(key));
      key.userid = user;
      key.dbid = dbid;
      key.queryid = static_cast<uint64>(queryid);
      key.toplevel = toplevel;
      key.origin = capture::kLocalOriginId;
      dbopt::pg::CallPg([&] {
        if (!found_entry) found_entry = capture::StoreHasEntry(key);
        if (sample == nullptr) sample = capture::StoreGetSample(key);
      });
      if (sample != nullptr) break;
    }
  }
  if (sample == nullptr && !OidIsValid(userid)) {
    // Any other user's entry of that queryid.
    capture::EntryCopy* entries = nullptr;
    int count = 0;
    dbopt::pg::CallPg([&] { count = capture::StoreSnapshot(&entries, false, nullptr); });
    for (int i = 0; i < count && sample == nullptr; ++i) {
      const capture::QueryKey& key = entries[i].key;
      if (key.queryid != static_cast<uint64>(queryid) || key.dbid != dbid ||
          key.origin != capture::kLocalOriginId || (!any_level && key.toplevel != only_toplevel))
        continue;
      found_entry = true;
      dbopt::pg::CallPg([&] { sample = capture::StoreGetSample(key); });
    }
  }
  if (sample == nullptr) {
    if (!found_entry)
      dbopt::pg::Fail(
          ERRCODE_UNDEFINED_OBJECT,
          "no captured query with queryid " + std::to_string(queryid) + " in this database",
          "Pick a queryid (and userid) from dbopt_queries.");
    dbopt::pg::Fail(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                    "captured query " + std::to_string(queryid) + " has no replayable sample",
                    "Samples are stored only while dbopt.track_constants is on, for statements "
                    "whose sample fits (see dropped_samples in dbopt_capture_info()); run the "
                    "query again after dbopt_reset().");
  }
  std::vector<FoundScan> scans;
  dbopt::pg::CallPg([&] {
    PlannedStmt* stmt = capture::ReplanSample(sample, generic);
    CollectScans(stmt, stmt->planTree, &scans);
    ListCell* cell;
    foreach (cell, stmt->subplans) CollectScans(stmt, static_cast<Plan*>(lfirst(cell)), &scans);
  });
  dbopt::pg::ResultSet result(fcinfo);
  for (const FoundScan& scan : scans)
    result.AddRow({Cell::Text(std::to_string(scan.relid)), Cell::Text(scan.kind),
                   OidIsValid(scan.index) ? Cell::Text(std::to_string(scan.index)) : Cell::Null()});
  return (Datum)0;
}
