// dbopt_status(): what is loaded, for troubleshooting a setup.
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/guard.hpp"
#include "pg/module.hpp"

extern "C" {
#include "utils/timestamp.h"
}

namespace {
const char* const kVersion = "0.1.0";
}

DBOPT_FUNCTION(dbopt_status) {
  using dbopt::pg::Cell;
  dbopt::pg::ResultSet result(fcinfo);
  std::string since;
  if (dbopt::pg::Preloaded()) {
    TimestampTz started = dbopt::pg::SharedStateSince();
    const char* text = nullptr;
    dbopt::pg::CallPg([&] { text = timestamptz_to_str(started); });
    since = text;
  }
  result.AddRow({Cell::Text(kVersion), Cell::Bool(dbopt::pg::Preloaded()),
                 since.empty() ? Cell::Null() : Cell::Text(since)});
  return (Datum)0;
}
