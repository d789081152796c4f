// Helpers shared by the SQL functions over the capture store (fn_capture.cpp,
// fn_workload.cpp). Include core headers first, as everywhere in src/pg.
#pragma once
#include <string>

#include "pg/capture_store.hpp"

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

}  // namespace dbopt::pg::capture
