// Helpers shared by the SQL functions over the capture store (fn_capture.cpp,
// fn_workload.cpp). Include core headers first, as everywhere in src/pg.
#pragma once
#include <map>
#include <string>
#include <tuple>

#include "pg/capture_store.hpp"
#include "pg/result_set.hpp"

namespace dbopt::pg::capture {

struct StoreCopy {
  EntryCopy* entries = nullptr;
  int count = 0;
  StoreInfo info{};
};

// A copy of the whole store (preload required); texts only with want_text.
StoreCopy TakeSnapshot(const char* function_name, bool want_text);
// Whether the current user may read every user's query text (pg_read_all_stats).
bool MaySeeAllTexts();
// "schema.name" of a relation of the current database, "" when it no longer exists.
std::string RelationName(Oid relid);

// The normalized texts of the local entries, as the caller may read them (dbopt_queries'
// rule), for the detectors' results that name queries.
class QueryTexts {
 public:
  explicit QueryTexts(const char* function_name);
  // The text of (userid, dbid, queryid, toplevel): NULL when unknown, '<insufficient
  // privilege>' when it is another user's the caller may not read; *visible says whether
  // the text itself was returned (and may be used to build a remediation).
  Cell Find(Oid userid, Oid dbid, uint64 queryid, bool toplevel, bool* visible) const;
  // The stored text whoever may read it (for decisions, never for output); nullptr if none.
  const std::string* Stored(Oid userid, Oid dbid, uint64 queryid, bool toplevel) const;

 private:
  std::map<std::tuple<Oid, Oid, uint64, bool>, std::string> texts_;
  bool see_all_ = false;
  Oid me_ = InvalidOid;
};

}  // namespace dbopt::pg::capture
