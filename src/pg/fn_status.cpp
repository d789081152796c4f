// dbopt_status(): what is loaded, for troubleshooting a setup.
#include "pg/result_set.hpp"  // first: includes core headers
#include "pg/guard.hpp"
#include "pg/module.hpp"

namespace {
const char* const kVersion = "0.1.0";
}

DBOPT_FUNCTION(dbopt_status) {
  using dbopt::pg::Cell;
  dbopt::pg::ResultSet result(fcinfo);
  const bool preloaded = dbopt::pg::Preloaded();
  result.AddRow({Cell::Text(kVersion), Cell::Bool(preloaded),
                 preloaded ? Cell::Timestamp(dbopt::pg::SharedStateSince()) : Cell::Null()});
  return (Datum)0;
}
