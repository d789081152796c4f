// dbopt_export_workload() and dbopt_import_workload(): the capture store of one server (a hot
// standby, say) as a jsonb document of names (databases, roles, schema-qualified relations),
// merged into another server's store under an origin label. The document format and its
// validation live in core/capture/workload; this file maps names and OIDs and talks to the
// store. Import is all or nothing: the whole document is parsed, validated and mapped before
// the store is touched, and the store takes it under one exclusive lock.
#include "core/capture/workload.hpp"
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/capture_sql.hpp"
#include "pg/guard.hpp"
#include "pg/module.hpp"

extern "C" {
#include <unistd.h>

#include "access/xlog.h"
#include "catalog/namespace.h"
#include "commands/dbcommands.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "postmaster/postmaster.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/timestamp.h"
}

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace capture = dbopt::pg::capture;
namespace workload = dbopt::capture;
using dbopt::pg::CallPg;

// ISO 8601 in UTC, readable by timestamptz input whatever DateStyle and TimeZone are.
std::string IsoTimestamp(TimestampTz value) {
  if (value == 0) return "";
  char buffer[MAXDATELEN + 1] = {0};
  CallPg([&] {
    struct pg_tm tm;
    fsec_t fsec;
    if (timestamp2tm(value, nullptr, &tm, &fsec, nullptr, nullptr) == 0) {
      tm.tm_isdst = 0;  // UTC; EncodeDateTime omits the zone when this is unknown (-1)
      EncodeDateTime(&tm, fsec, true, 0, nullptr, USE_ISO_DATES, buffer);
    }
  });
  return buffer;
}

TimestampTz ParseTimestamp(const std::string& text, TimestampTz fallback) {
  if (text.empty()) return fallback;
  TimestampTz value = 0;
  CallPg([&] {
    value =
        DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(text.c_str()),
                                                ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
  });
  return value;
}

std::string NameOrEmpty(const char* name) {
  return name != nullptr ? name : "";
}

std::string SystemIdentifier() {
  uint64 id = 0;
  CallPg([&] { id = GetSystemIdentifier(); });
  return std::to_string(static_cast<unsigned long long>(id));
}

workload::WorkloadDocument ExportDocument() {
  capture::StoreCopy snapshot = capture::TakeSnapshot("dbopt_export_workload", true);
  bool see_all = capture::MaySeeAllTexts();
  Oid me = GetUserId();
  workload::WorkloadDocument document;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  document.system_identifier = SystemIdentifier();
  document.cluster_name = NameOrEmpty(cluster_name);
  document.host = host;
  document.label = workload::ExportLabel(document.cluster_name, document.host, PostPortNumber);
  TimestampTz now = GetCurrentTimestamp();
  document.exported_at = IsoTimestamp(now);
  std::map<Oid, std::string> databases;
  std::map<Oid, std::string> roles;
  for (int i = 0; i < snapshot.count; ++i) {
    const capture::EntryCopy& copy = snapshot.entries[i];
    auto database = databases.find(copy.key.dbid);
    if (database == databases.end()) {
      char* name = nullptr;
      CallPg([&] { name = get_database_name(copy.key.dbid); });
      database = databases.emplace(copy.key.dbid, NameOrEmpty(name)).first;
    }
    auto role = roles.find(copy.key.userid);
    if (role == roles.end()) {
      char* name = nullptr;
      CallPg([&] { name = GetUserNameFromId(copy.key.userid, true); });
      role = roles.emplace(copy.key.userid, NameOrEmpty(name)).first;
    }
    if (database->second.empty() || role->second.empty()) continue;  // dropped since
    workload::WorkloadEntry entry;
    entry.database = database->second;
    entry.role = role->second;
    entry.queryid = static_cast<std::int64_t>(copy.key.queryid);
    entry.toplevel = copy.key.toplevel;
    entry.origin = copy.origin;
    if (copy.text != nullptr && (see_all || copy.key.userid == me)) entry.query = copy.text;
    const capture::Counters& c = copy.counters;
    entry.calls = c.calls;
    entry.total_time = c.total_time;
    entry.min_time = c.min_time;
    entry.max_time = c.max_time;
    entry.rows = c.rows;
    entry.sampled_calls = c.sampled_calls;
    entry.limit_calls = c.limit_calls;
    entry.offset_calls = c.offset_calls;
    entry.max_offset = c.max_offset;
    entry.sum_offset = c.sum_offset;
    entry.count_calls = c.count_calls;
    entry.sum_count = c.sum_count;
    entry.first_seen = IsoTimestamp(c.first_seen);
    entry.last_seen = IsoTimestamp(c.last_seen);
    bool here = copy.key.dbid == MyDatabaseId;  // names resolve only in the current database
    for (int j = 0; j < copy.access_count; ++j) {
      const capture::AccessRecord& a = copy.access[j];
      workload::WorkloadAccess access;
      access.scan_kind = capture::ScanKindName(a.kind);
      access.relid = a.relid;
      access.indexid = a.indexid;
      if (here) access.relation = capture::RelationName(a.relid);
      if (here && a.indexid != InvalidOid) access.index = capture::RelationName(a.indexid);
      access.plan_calls = a.plan_calls;
      access.samples = a.samples;
      access.est_rows = a.plan_rows;
      access.loops = a.loops;
      access.rows = a.rows;
      access.removed_by_filter = a.removed_by_filter;
      for (int k = 0; k < a.qual_count; ++k) {
        char* column = nullptr;
        if (here) CallPg([&] { column = get_attname(a.relid, a.quals[k].attnum, true); });
        access.quals.push_back(a.quals[k]);
        access.qual_columns.push_back(NameOrEmpty(column));
      }
      entry.access.push_back(access);
    }
    for (int k = 0; k < copy.key_count; ++k) {
      const capture::OrderKey& o = copy.keys[k];
      workload::WorkloadOrderKey key;
      key.relid = o.relid;
      key.attnum = o.attnum;
      key.group = o.group;
      key.descending = o.descending;
      char* column = nullptr;
      if (here) {
        key.relation = capture::RelationName(o.relid);
        CallPg([&] { column = get_attname(o.relid, o.attnum, true); });
      }
      key.column = NameOrEmpty(column);
      entry.order_keys.push_back(key);
    }
    document.entries.push_back(std::move(entry));
  }
  return document;
}

capture::ScanKind ScanKindFromName(const std::string& name) {
  for (capture::ScanKind kind :
       {capture::ScanKind::kSeq, capture::ScanKind::kIndex, capture::ScanKind::kIndexOnly,
        capture::ScanKind::kBitmap, capture::ScanKind::kTid})
    if (name == capture::ScanKindName(kind)) return kind;
  return capture::ScanKind::kSeq;  // ParseWorkload accepts known kinds only
}

// Maps the names of a document to this server's OIDs, with caches.
class NameMapper {
 public:
  explicit NameMapper(bool same_system) : same_system_(same_system) {}
  bool SameSystem() const { return same_system_; }

  Oid Database(const std::string& name) {
    return Cached(&databases_, name, [](const char* n) { return get_database_oid(n, true); });
  }
  Oid Role(const std::string& name) {
    return Cached(&roles_, name, [](const char* n) { return get_role_oid(n, true); });
  }
  // A relation of an entry of database dbid: by name in the current database; by the source's
  // OID on a physical replica of this cluster (same system identifier: same OIDs).
  Oid Relation(Oid dbid, const std::string& name, std::int64_t source_oid) {
    if (dbid == MyDatabaseId && !name.empty()) {
      Oid found = Cached(&relations_, name, [](const char* n) {
        return RangeVarGetRelid(makeRangeVarFromNameList(stringToQualifiedNameList(n)), NoLock,
                                true);
      });
      if (found != InvalidOid) return found;
    }
    if (!same_system_ || source_oid <= 0) return InvalidOid;
    if (dbid != MyDatabaseId) return static_cast<Oid>(source_oid);
    bool exists = false;
    CallPg([&] { exists = get_rel_name(static_cast<Oid>(source_oid)) != nullptr; });
    return exists ? static_cast<Oid>(source_oid) : InvalidOid;
  }

 private:
  template <typename Lookup>
  static Oid Cached(std::map<std::string, Oid>* cache, const std::string& name, Lookup lookup) {
    auto it = cache->find(name);
    if (it != cache->end()) return it->second;
    Oid oid = InvalidOid;
    CallPg([&] { oid = lookup(name.c_str()); });
    cache->emplace(name, oid);
    return oid;
  }
  bool same_system_;
  std::map<std::string, Oid> databases_;
  std::map<std::string, Oid> roles_;
  std::map<std::string, Oid> relations_;
};

void Notice(const std::string& text) {
  CallPg([&] { ereport(NOTICE, (errmsg_internal("%s", text.c_str()))); });
}

}  // namespace

DBOPT_FUNCTION(dbopt_export_workload) {
  (void)fcinfo;
  std::string json = workload::WriteWorkload(ExportDocument());
  Datum result = 0;
  CallPg([&] { result = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
  PG_RETURN_DATUM(result);
}

DBOPT_FUNCTION(dbopt_import_workload) {
  dbopt::pg::RequirePreload("dbopt_import_workload");
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workload must not be NULL",
                    "Pass the jsonb returned by dbopt_export_workload().");
  std::optional<std::string> requested;
  if (!PG_ARGISNULL(1)) requested = text_to_cstring(PG_GETARG_TEXT_PP(1));
  Jsonb* jsonb = PG_GETARG_JSONB_P(0);
  char* json_text = nullptr;
  CallPg([&] { json_text = JsonbToCString(nullptr, &jsonb->root, VARSIZE(jsonb)); });

  workload::WorkloadDocument document;
  std::vector<std::string> origins;
  try {
    document = workload::ParseWorkload(json_text);
    for (const workload::WorkloadEntry& entry : document.entries)
      origins.push_back(workload::ImportOrigin(requested, entry, document));
  } catch (const workload::WorkloadError& e) {
    dbopt::pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, e.what(), e.hint());
  }

  NameMapper names(document.system_identifier == SystemIdentifier());
  TimestampTz now = GetCurrentTimestamp();
  int encoding = GetDatabaseEncoding();
  std::vector<capture::ImportEntry> entries;
  entries.reserve(document.entries.size());
  long skipped_entries = 0;
  long dropped_access = 0;
  for (size_t i = 0; i < document.entries.size(); ++i) {
    const workload::WorkloadEntry& e = document.entries[i];
    Oid dbid = names.Database(e.database);
    Oid userid = names.Role(e.role);
    if (dbid == InvalidOid || userid == InvalidOid) {
      ++skipped_entries;
      continue;
    }
    capture::ImportEntry entry;
    memset(&entry, 0, sizeof(entry));
    entry.key.dbid = dbid;
    entry.key.userid = userid;
    entry.key.queryid = static_cast<uint64>(e.queryid);
    entry.key.toplevel = e.toplevel;
    entry.origin = origins[i].c_str();
    capture::Counters& c = entry.counters;
    c.calls = e.calls;
    c.total_time = e.total_time;
    c.min_time = e.min_time;
    c.max_time = e.max_time;
    c.rows = e.rows;
    c.sampled_calls = e.sampled_calls;
    c.limit_calls = e.limit_calls;
    c.offset_calls = e.offset_calls;
    c.max_offset = e.max_offset;
    c.sum_offset = e.sum_offset;
    c.count_calls = e.count_calls;
    c.sum_count = e.sum_count;
    c.first_seen = ParseTimestamp(e.first_seen, now);
    c.last_seen = ParseTimestamp(e.last_seen, 0);
    if (e.query.has_value()) {
      entry.text = e.query->c_str();
      entry.text_len = static_cast<int>(e.query->size());
      entry.encoding = encoding;
    }
    for (const workload::WorkloadAccess& a : e.access) {
      Oid relid = names.Relation(dbid, a.relation, a.relid);
      Oid indexid =
          a.index.empty() && a.indexid == 0 ? InvalidOid : names.Relation(dbid, a.index, a.indexid);
      bool index_lost = indexid == InvalidOid && !(a.index.empty() && a.indexid == 0);
      if (relid == InvalidOid || index_lost || entry.access_count == capture::kMaxAccessRecords) {
        ++dropped_access;
        continue;
      }
      capture::AccessRecord& record = entry.access[entry.access_count++];
      record.relid = relid;
      record.indexid = indexid;
      record.kind = ScanKindFromName(a.scan_kind);
      record.plan_rows = a.est_rows;
      record.loops = a.loops;
      record.rows = a.rows;
      record.removed_by_filter = a.removed_by_filter;
      record.plan_calls = a.plan_calls;
      record.samples = a.samples;
      // Columns by name where the relation was found by name, else the source's attnums (a
      // physical replica of this cluster); a qual whose column is unknown here is left out.
      for (size_t k = 0; k < a.quals.size() && record.qual_count < capture::kMaxQuals; ++k) {
        dbopt::capture::QualShape shape = a.quals[k];
        if (dbid == MyDatabaseId && !a.qual_columns[k].empty()) {
          AttrNumber attnum = InvalidAttrNumber;
          CallPg([&] { attnum = get_attnum(relid, a.qual_columns[k].c_str()); });
          if (attnum == InvalidAttrNumber && !names.SameSystem()) continue;
          if (attnum != InvalidAttrNumber) shape.attnum = attnum;
        } else if (!names.SameSystem()) {
          continue;
        }
        record.quals[record.qual_count++] = shape;
      }
    }
    for (const workload::WorkloadOrderKey& k : e.order_keys) {
      if (entry.key_count == capture::kMaxOrderKeys) break;
      Oid relid = names.Relation(dbid, k.relation, k.relid);
      if (relid == InvalidOid) continue;
      AttrNumber attnum = static_cast<AttrNumber>(k.attnum);
      if (dbid == MyDatabaseId && !k.column.empty()) {
        AttrNumber found = InvalidAttrNumber;
        CallPg([&] { found = get_attnum(relid, k.column.c_str()); });
        if (found == InvalidAttrNumber && !names.SameSystem()) continue;
        if (found != InvalidAttrNumber) attnum = found;
      } else if (!names.SameSystem()) {
        continue;
      }
      capture::OrderKey& key = entry.keys[entry.key_count++];
      key.relid = relid;
      key.attnum = attnum;
      key.group = k.group;
      key.descending = k.descending;
    }
    entries.push_back(entry);
  }

  int stored = 0;
  CallPg([&] { stored = capture::StoreImport(entries.data(), static_cast<int>(entries.size())); });
  if (stored < 0)
    dbopt::pg::Fail(ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                    "the workload needs more than " + std::to_string(capture::kMaxOrigins - 1) +
                        " origin labels in the capture store",
                    "Reuse labels (dbopt_import_workload(workload, origin => ...)) or forget "
                    "imported entries with dbopt_reset().");
  if (skipped_entries > 0)
    Notice(
        "dbopt_import_workload: entries skipped because their database or role does not "
        "exist here: " +
        std::to_string(skipped_entries));
  if (dropped_access > 0)
    Notice(
        "dbopt_import_workload: access paths dropped because their relation or index is "
        "not known here: " +
        std::to_string(dropped_access));
  PG_RETURN_INT32(stored);
}
