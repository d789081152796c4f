// dbopt_selftest(scenario): exercises the C/C++ boundary on demand, so the regression suite
// can prove that errors cross it cleanly. Superuser-only (REVOKEd in the extension script).
#include <new>
#include <stdexcept>
#include <string>

#include "pg/guard.hpp"
#include "pg/spi.hpp"

DBOPT_FUNCTION(dbopt_selftest) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "scenario must not be null",
                    "Use one of: ok, cxx_exception, bad_alloc, sql_error, pg_error.");
  std::string scenario;
  dbopt::pg::CallPg([&] { scenario = text_to_cstring(PG_GETARG_TEXT_PP(0)); });
  std::string holder(4096, 'x');  // a destructor-bearing local that every path must unwind
  if (scenario == "ok") return CStringGetTextDatum("ok");
  if (scenario == "cxx_exception")
    throw std::runtime_error("selftest exception " + holder.substr(0, 3));
  if (scenario == "bad_alloc") throw std::bad_alloc();
  if (scenario == "sql_error")
    dbopt::pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "selftest error", "This is the hint.");
  if (scenario == "pg_error") {
    // A PostgreSQL error raised under C++ (missing relation) while SPI is connected.
    dbopt::pg::SpiConnect();
    dbopt::pg::SpiQuery("SELECT * FROM dbopt_selftest_no_such_table");
    dbopt::pg::SpiFinish();
    return CStringGetTextDatum("unreachable");
  }
  dbopt::pg::Fail(ERRCODE_INVALID_PARAMETER_VALUE, "unknown selftest scenario \"" + scenario + "\"",
                  "Use one of: ok, cxx_exception, bad_alloc, sql_error, pg_error.");
}
