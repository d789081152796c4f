// SQL functions over the capture store: dbopt_queries(), dbopt_access_paths(), dbopt_reset(),
// dbopt_capture_info(). Visibility follows pg_stat_statements: a query's text is shown to its
// own user, to superusers and to members of pg_read_all_stats; others see
// '<insufficient privilege>' (counters and access paths stay visible). Export and import of
// the store: fn_workload.cpp.
#include "core/capture/qual_shape.hpp"
#include "core/common/sql_text.hpp"
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/capture_sql.hpp"
#include "pg/guard.hpp"
#include "pg/loops.hpp"
#include "pg/write_pairs.hpp"
#include "pg/module.hpp"

extern "C" {
#include "catalog/pg_authid_d.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
}

namespace dbopt::pg::capture {

StoreCopy TakeSnapshot(const char* function_name, bool want_text) {
  RequirePreload(function_name);
  StoreCopy snapshot;
  CallPg([&] {
    if (!StoreReady()) elog(ERROR, "dbopt capture store is not attached");
    snapshot.count = StoreSnapshot(&snapshot.entries, want_text, &snapshot.info);
  });
  return snapshot;
}

bool MaySeeAllTexts() {
  bool allowed = false;
  CallPg([&] { allowed = has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS); });
  return allowed;
}

QueryTexts::QueryTexts(const char* function_name) {
  StoreCopy snapshot = TakeSnapshot(function_name, true);
  for (int i = 0; i < snapshot.count; ++i) {
    const EntryCopy& entry = snapshot.entries[i];
    if (entry.text == nullptr || entry.key.origin != kLocalOriginId) continue;
    texts_[std::make_tuple(entry.key.userid, entry.key.dbid, entry.key.queryid,
                           entry.key.toplevel)] = entry.text;
  }
  see_all_ = MaySeeAllTexts();
  me_ = GetUserId();
}

Cell QueryTexts::Find(Oid userid, Oid dbid, uint64 queryid, bool toplevel, bool* visible) const {
  *visible = false;
  auto it = texts_.find(std::make_tuple(userid, dbid, queryid, toplevel));
  if (it == texts_.end()) return Cell::Null();
  if (!see_all_ && userid != me_) return Cell::Text("<insufficient privilege>");
  *visible = true;
  return Cell::Text(it->second);
}

const std::string* QueryTexts::Stored(Oid userid, Oid dbid, uint64 queryid, bool toplevel) const {
  auto it = texts_.find(std::make_tuple(userid, dbid, queryid, toplevel));
  return it == texts_.end() ? nullptr : &it->second;
}

std::string RelationName(Oid relid) {
  char* name = nullptr;
  char* schema = nullptr;
  CallPg([&] {
    name = get_rel_name(relid);
    if (name != nullptr) schema = get_namespace_name(get_rel_namespace(relid));
  });
  if (name == nullptr || schema == nullptr) return "";
  return dbopt::QuoteQualified(schema, name);
}

}  // namespace dbopt::pg::capture

namespace {

using dbopt::pg::Cell;
using dbopt::pg::capture::MaySeeAllTexts;
using dbopt::pg::capture::RelationName;
using dbopt::pg::capture::StoreCopy;
using dbopt::pg::capture::TakeSnapshot;
namespace capture = dbopt::pg::capture;

std::vector<Cell> KeyCells(const capture::EntryCopy& entry) {
  const capture::QueryKey& key = entry.key;
  return {Cell::Int(key.userid), Cell::Int(key.dbid), Cell::Bool(key.toplevel),
          Cell::Int(static_cast<std::int64_t>(key.queryid)), Cell::Text(entry.origin)};
}

// The access record's qual shapes as a JSON array, column names resolved in this database.
std::string QualsJson(const capture::AccessRecord& access, bool here) {
  std::vector<dbopt::capture::QualShape> shapes(access.quals, access.quals + access.qual_count);
  std::vector<std::string> names;
  for (const dbopt::capture::QualShape& shape : shapes) {
    char* name = nullptr;
    if (here) dbopt::pg::CallPg([&] { name = get_attname(access.relid, shape.attnum, true); });
    names.push_back(name != nullptr ? name : "");
  }
  return dbopt::capture::QualShapesJson(shapes, names);
}

// The entry's ORDER BY (group = false) or GROUP BY keys on relation relid, as a JSON array.
std::string KeysJson(const capture::EntryCopy& entry, Oid relid, bool group, bool here) {
  dbopt::JsonWriter json;
  json.BeginArray();
  for (int i = 0; i < entry.key_count; ++i) {
    const capture::OrderKey& key = entry.keys[i];
    if (key.relid != relid || key.group != group) continue;
    char* name = nullptr;
    if (here) dbopt::pg::CallPg([&] { name = get_attname(key.relid, key.attnum, true); });
    json.BeginObject();
    if (name != nullptr)
      json.Field("column", std::string(name));
    else
      json.Key("column").Null();
    json.Field("attnum", static_cast<int>(key.attnum));
    if (!group) json.Field("descending", key.descending);
    json.EndObject();
  }
  json.EndArray();
  return json.str();
}

}  // namespace

DBOPT_FUNCTION(dbopt_queries) {
  bool show_text = PG_ARGISNULL(0) ? true : PG_GETARG_BOOL(0);
  StoreCopy snapshot = TakeSnapshot("dbopt_queries", show_text);
  dbopt::pg::ResultSet result(fcinfo);
  bool see_all = show_text && MaySeeAllTexts();
  Oid me = GetUserId();
  for (int i = 0; i < snapshot.count; ++i) {
    const capture::EntryCopy& entry = snapshot.entries[i];
    const capture::Counters& c = entry.counters;
    std::vector<Cell> row = KeyCells(entry);
    if (!show_text || entry.text == nullptr)
      row.push_back(Cell::Null());
    else if (see_all || entry.key.userid == me)
      row.push_back(Cell::Text(entry.text));
    else
      row.push_back(Cell::Text("<insufficient privilege>"));
    row.push_back(Cell::Int(c.calls));
    row.push_back(Cell::Float(c.total_time));
    row.push_back(Cell::Float(c.min_time));
    row.push_back(Cell::Float(c.max_time));
    row.push_back(Cell::Float(c.calls > 0 ? c.total_time / c.calls : 0.0));
    row.push_back(Cell::Int(c.rows));
    row.push_back(Cell::Int(c.sampled_calls));
    row.push_back(Cell::Timestamp(c.first_seen));
    row.push_back(c.last_seen != 0 ? Cell::Timestamp(c.last_seen) : Cell::Null());
    row.push_back(Cell::Int(c.limit_calls));
    row.push_back(Cell::Int(c.offset_calls));
    row.push_back(c.offset_calls > 0 ? Cell::Int(c.max_offset) : Cell::Null());
    row.push_back(c.offset_calls > 0 ? Cell::Float(c.sum_offset / c.offset_calls) : Cell::Null());
    row.push_back(c.count_calls > 0 ? Cell::Float(c.sum_count / c.count_calls) : Cell::Null());
    result.AddRow(row);
  }
  return (Datum)0;
}

DBOPT_FUNCTION(dbopt_access_paths) {
  StoreCopy snapshot = TakeSnapshot("dbopt_access_paths", false);
  dbopt::pg::ResultSet result(fcinfo);
  for (int i = 0; i < snapshot.count; ++i) {
    const capture::EntryCopy& entry = snapshot.entries[i];
    bool here = entry.key.dbid == MyDatabaseId;  // names resolve only in the current database
    for (int j = 0; j < entry.access_count; ++j) {
      const capture::AccessRecord& access = entry.access[j];
      std::vector<Cell> row = KeyCells(entry);
      row.push_back(Cell::Int(access.relid));
      row.push_back(here ? Cell::TextOrNull(RelationName(access.relid)) : Cell::Null());
      row.push_back(Cell::Text(capture::ScanKindName(access.kind)));
      row.push_back(access.indexid != InvalidOid ? Cell::Int(access.indexid) : Cell::Null());
      row.push_back(here && access.indexid != InvalidOid
                        ? Cell::TextOrNull(RelationName(access.indexid))
                        : Cell::Null());
      double loops = access.loops > 0 ? access.loops : 1;
      bool sampled = access.samples > 0;
      row.push_back(Cell::Int(access.plan_calls));
      row.push_back(Cell::Int(access.samples));
      row.push_back(sampled ? Cell::Float(access.loops / access.samples) : Cell::Null());
      row.push_back(Cell::Float(access.plan_rows));
      row.push_back(sampled ? Cell::Float(access.rows / loops) : Cell::Null());
      row.push_back(sampled ? Cell::Float(access.removed_by_filter / loops) : Cell::Null());
      row.push_back(Cell::Json(QualsJson(access, here)));
      row.push_back(Cell::Json(KeysJson(entry, access.relid, false, here)));
      row.push_back(Cell::Json(KeysJson(entry, access.relid, true, here)));
      result.AddRow(row);
    }
  }
  return (Datum)0;
}

DBOPT_FUNCTION(dbopt_reset) {
  (void)fcinfo;
  dbopt::pg::RequirePreload("dbopt_reset");
  dbopt::pg::CallPg([] {
    capture::StoreReset();
    dbopt::pg::loops::Reset();
    dbopt::pg::write_pairs::Reset();
  });
  PG_RETURN_VOID();
}

DBOPT_FUNCTION(dbopt_capture_info) {
  StoreCopy snapshot = TakeSnapshot("dbopt_capture_info", false);
  dbopt::pg::ResultSet result(fcinfo);
  result.AddRow({Cell::Int(snapshot.info.entries), Cell::Int(snapshot.info.evictions),
                 Cell::Int(snapshot.info.dropped_access), Cell::Int(snapshot.info.dropped_samples),
                 Cell::Timestamp(snapshot.info.since)});
  return (Datum)0;
}
