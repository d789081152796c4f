// Runs the probes planned by src/core/health/data_checks and hands their rows back to the core.
// Locks: each probe reads its tables with a plain SELECT (AccessShareLock); the lock is first
// taken with ConditionalLockRelationOid on the table and its partitions, so a table locked by
// someone else is skipped instead of waited for. The probe runs in an internal subtransaction
// that is rolled back once its row is copied, which releases its locks: at most one probe's
// locks are held at a time, whatever the number of tables. Nothing else is locked.
// Privileges: tables the caller cannot SELECT, or reads through row-level security, are
// skipped (one NOTICE). An error in one probe (say an equality operator missing for a type)
// becomes a NOTICE and the report goes on; a cancel still cancels.
#include "pg/data_checks.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <set>
#include <string>

#include "core/common/sql_text.hpp"
#include "core/health/data_checks.hpp"
#include "pg/catalog.hpp"
#include "pg/guard.hpp"
#include "pg/module.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "storage/lmgr.h"
#include "utils/resowner.h"
}

namespace dbopt::pg {
namespace {

void Notice(const std::string& message) {
  const char* text = message.c_str();
  CallPg([&] { ereport(NOTICE, (errmsg_internal("%s", text))); });
}

// Names for NOTICEs: sorted, at most five, then "and N more".
std::string NameList(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string text;
  const size_t shown = std::min<size_t>(names.size(), 5);
  for (size_t i = 0; i < shown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text;
}

// Tables the current role can read in full: SELECT privilege, and no row-level security
// filtering what it sees (a filtered read would prove nothing about the table).
std::set<ObjectId> ReadableTables(const std::vector<ObjectId>& tables) {
  std::set<ObjectId> readable;
  if (tables.empty()) return readable;
  std::string array = "{";
  for (size_t i = 0; i < tables.size(); ++i) array += (i ? "," : "") + std::to_string(tables[i]);
  array += "}";
  QueryResult rows = SpiQuery(R"SQL(
  SELECT o, CASE WHEN pg_catalog.has_table_privilege(o, 'SELECT')
                 THEN NOT pg_catalog.row_security_active(o) ELSE false END
    FROM pg_catalog.unnest($1::pg_catalog.oid[]) o)SQL",
                              {array});
  for (size_t r = 0; r < rows.rows(); ++r)
    if (rows.Bool(r, 1)) readable.insert(static_cast<ObjectId>(rows.Int(r, 0)));
  return readable;
}

// AccessShareLock on the table and every partition below it, without waiting (inside the
// probe's subtransaction, whose rollback releases them).
bool LockForRead(const Catalog& catalog, ObjectId table_id) {
  std::vector<ObjectId> pending{table_id};
  while (!pending.empty()) {
    const ObjectId id = pending.back();
    pending.pop_back();
    bool granted = false;
    CallPg([&] { granted = ConditionalLockRelationOid(id, AccessShareLock); });
    if (!granted) return false;
    if (const Table* table = catalog.FindTable(id))
      pending.insert(pending.end(), table->children.begin(), table->children.end());
  }
  return true;
}

enum class ProbeOutcome { kDone, kLocked, kFailed };

// Runs one probe in an internal subtransaction: locks its tables (without waiting), runs the
// query, copies the row, and rolls the subtransaction back. The rollback releases the
// probe's AccessShareLocks at once (a read-only probe has nothing to keep), so a database
// with tens of thousands of tables never holds more than one probe's locks. An error other
// than a cancel is reported as kFailed with its message in *error.
ProbeOutcome RunProbe(const Catalog& catalog, const DataProbe& probe,
                      std::vector<std::int64_t>* row, ObjectId* locked, std::string* error) {
  MemoryContext context = CurrentMemoryContext;
  ResourceOwner owner = CurrentResourceOwner;
  CallPg([&] {
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(context);
  });
  ProbeOutcome outcome = ProbeOutcome::kDone;
  bool canceled = false;
  std::exception_ptr failure;
  try {
    for (ObjectId id : probe.Reads()) {
      if (!LockForRead(catalog, id)) {
        *locked = id;
        outcome = ProbeOutcome::kLocked;
        break;
      }
    }
    if (outcome == ProbeOutcome::kDone) {
      QueryResult result = SpiQuery(probe.sql.c_str());
      row->clear();
      if (result.rows() == 1)
        for (int c = 0; c < result.columns(); ++c) row->push_back(result.Int(0, c));
    }
  } catch (const PgError& pg_failure) {
    outcome = ProbeOutcome::kFailed;
    *error = pg_failure.what();
    canceled = pg_failure.data()->sqlerrcode == ERRCODE_QUERY_CANCELED;
    failure = std::current_exception();
  }
  CallPg([&] {
    RollbackAndReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(context);
    CurrentResourceOwner = owner;
  });
  if (canceled) std::rethrow_exception(failure);
  return outcome;
}

const char* CheckName(DataCheck check) {
  switch (check) {
    case DataCheck::kImpliedForeignKey:
      return "fk_implied";
    case DataCheck::kMissingNotNull:
      return "column_missing_not_null";
    case DataCheck::kRedundantCopy:
      return "column_redundant_copy";
  }
  return "data check";
}

}  // namespace

std::vector<Finding> RunDataChecks(Catalog& catalog) {
  LoadDataCheckColumns(catalog);
  DataCheckOptions options;
  options.sample_rows = DataSampleRows();
  const std::vector<DataProbe> probes = PlanDataProbes(catalog, options);

  std::vector<ObjectId> reads;
  for (const DataProbe& probe : probes)
    for (ObjectId id : probe.Reads())
      if (std::find(reads.begin(), reads.end(), id) == reads.end()) reads.push_back(id);
  const std::set<ObjectId> readable = ReadableTables(reads);

  std::vector<std::string> unreadable_names, locked_names;
  std::set<ObjectId> locked;
  for (ObjectId id : reads) {
    if (readable.count(id) != 0) continue;
    if (const Table* table = catalog.FindTable(id))
      unreadable_names.push_back(QualifiedName(*table));
  }

  std::vector<Finding> findings;
  for (const DataProbe& probe : probes) {
    bool runnable = true;
    for (ObjectId id : probe.Reads())
      if (readable.count(id) == 0 || locked.count(id) != 0) runnable = false;
    if (!runnable) continue;
    std::vector<std::int64_t> row;
    ObjectId locked_id = 0;
    std::string error;
    switch (RunProbe(catalog, probe, &row, &locked_id, &error)) {
      case ProbeOutcome::kDone: {
        std::vector<Finding> more = InterpretProbe(catalog, probe, row);
        findings.insert(findings.end(), more.begin(), more.end());
        break;
      }
      case ProbeOutcome::kLocked:
        locked.insert(locked_id);
        if (const Table* table = catalog.FindTable(locked_id))
          locked_names.push_back(QualifiedName(*table));
        break;
      case ProbeOutcome::kFailed: {
        const Table* table = catalog.FindTable(probe.table_id);
        Notice(std::string("dbopt: data check ") + CheckName(probe.check) + " skipped " +
               (table ? QualifiedName(*table) : std::string("a table")) + ": " + error);
        break;
      }
    }
  }
  if (!unreadable_names.empty())
    Notice("dbopt: data checks skipped " + std::to_string(unreadable_names.size()) +
           " table(s) the current role cannot read in full (no SELECT privilege, or row-level "
           "security): " +
           NameList(unreadable_names));
  if (!locked_names.empty())
    Notice("dbopt: data checks skipped " + std::to_string(locked_names.size()) +
           " table(s) locked by another transaction: " + NameList(locked_names));
  return findings;
}

}  // namespace dbopt::pg
