// dbopt_selftest(scenario): exercises the C/C++ boundary on demand, so the regression suite
// can prove that errors cross it cleanly. Superuser-only (REVOKEd in the extension script).
#include <new>
#include <stdexcept>
#include <string>

#include "pg/result_set.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

namespace dbopt::pg {
namespace {

// The evidence fast path (pg::JsonbFromText) against jsonb_in: the same jsonb, byte for byte,
// for every text it takes, and declined where jsonb_in must decide. Returns a summary.
std::string CheckJsonbFastPath() {
  struct Case {
    const char* json;
    bool fast;  // expected to take the fast path
  };
  const Case cases[] = {
      {"{}", true},
      {"[]", true},
      {"{\"b\": 1, \"a\": [true, false, null], \"c\": {\"z\": \"\", \"y\": -0}}", true},
      {"{\"a\": 1, \"a\": 2, \"b\": {\"x\": 1, \"x\": [1, 2]}}", true},  // duplicate keys
      {" {\n\t\"k\" :\r[ 1.5e+20 , 0.1, -12.50, 123456789012345678901234567890, 1E-7 ] } ", true},
      {"{\"q\": \"say \\\"hi\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}", true},
      {"{\"\xc3\xa9t\xc3\xa9\": \"\xe2\x82\xac \xf0\x9f\x98\x80\"}", true},  // UTF-8 kept as is
      {"[[[[{\"deep\": [[]]}]]]]", true},
      // Keys of every length order, duplicates among them; integers around int64's digits.
      {"{\"bb\": 1, \"a\": 2, \"ab\": 3, \"b\": 4, \"\": 5, \"aa\": 6, \"a\": 7, \"bb\": 8}", true},
      {"[0, -0, 7, -7, 10000, 99999999, 100000000, 123456789012345678, -999999999999999999, "
       "1234567890123456789, -9223372036854775808, 99999999999999999999]",
       true},
      {"{\"u\": \"\\u00e9\\u0001\"}", false},  // \u escapes: jsonb_in
      {"{\"s\": \"\\ud83d\\ude00\"}", false},  // a surrogate pair
      {"\"top-level string\"", false},
      {"42", false},
  };
  int fast = 0;
  int slow = 0;
  for (const Case& c : cases) {
    const std::string json = c.json;
    Datum built = 0;
    bool took_fast = false;
    bool same = false;
    CallPg([&] {
      took_fast = TryBuildJsonb(json, &built);
      Datum expected = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str()));
      if (!took_fast) built = JsonbFromText(json);
      same = VARSIZE(DatumGetPointer(built)) == VARSIZE(DatumGetPointer(expected)) &&
             memcmp(DatumGetPointer(built), DatumGetPointer(expected),
                    VARSIZE(DatumGetPointer(expected))) == 0;
    });
    if (!same || took_fast != c.fast)
      throw std::runtime_error("jsonb fast path differs from jsonb_in on " + json);
    (took_fast ? fast : slow)++;
  }
  // Text jsonb_in rejects is rejected the same way (the fast path declines it).
  for (const char* bad : {"{\"a\": 01}", "{\"a\": tru}", "{\"a\" 1}", "[1,]", "{\"a\": \"x\ny\"}",
                          "{\"a\": 1} x", "{\"a\": -}", "{\"a\": 1.}", "{\"a\": \"\\x\"}"}) {
    Datum ignored = 0;
    bool took_fast = true;
    CallPg([&] { took_fast = TryBuildJsonb(bad, &ignored); });
    if (took_fast) throw std::runtime_error(std::string("jsonb fast path accepted ") + bad);
  }
  return "ok: " + std::to_string(fast) + " built directly, " + std::to_string(slow) +
         " through jsonb_in, invalid text left to jsonb_in";
}

}  // namespace
}  // namespace dbopt::pg

DBOPT_FUNCTION(dbopt_selftest) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "scenario must not be null",
                    "Use one of: ok, cxx_exception, bad_alloc, sql_error, pg_error, jsonb.");
  std::string scenario;
  dbopt::pg::CallPg([&] { scenario = text_to_cstring(PG_GETARG_TEXT_PP(0)); });
  std::string holder(4096, 'x');  // a destructor-bearing local that every path must unwind
  if (scenario == "ok") return CStringGetTextDatum("ok");
  if (scenario == "cxx_exception")
    throw std::runtime_error("selftest exception " + holder.substr(0, 3));
  if (scenario == "bad_alloc") throw std::bad_alloc();
  if (scenario == "jsonb") {
    const std::string summary = dbopt::pg::CheckJsonbFastPath();
    Datum result = 0;
    dbopt::pg::CallPg([&] { result = CStringGetTextDatum(summary.c_str()); });
    return result;
  }
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
                  "Use one of: ok, cxx_exception, bad_alloc, sql_error, pg_error, jsonb.");
}
