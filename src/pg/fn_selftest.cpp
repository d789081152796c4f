// dbopt_selftest(scenario): exercises the C/C++ boundary on demand, so the regression suite
// can prove that errors cross it cleanly. Superuser-only (REVOKEd in the extension script).
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

#include "pg/result_set.hpp"
#include "pg/guard.hpp"
#include "pg/internal_statement.hpp"
#include "pg/spi.hpp"

namespace dbopt::pg {
namespace {

// Evidence written as a JSON tape (dbopt_health()'s checks) against the same calls written as
// text: the tape's text is the text, and its jsonb is jsonb_in's of the text, byte for byte.
void CheckJsonbTape() {
  using Write = void (*)(JsonWriter&);
  const Write cases[] = {
      [](JsonWriter& j) { j.BeginObject().EndObject(); },
      [](JsonWriter& j) { j.BeginArray().EndArray(); },
      [](JsonWriter& j) {
        j.BeginObject().Field("index", "s.\"Odd \\ name\"").Field("scans", std::int64_t{0});
        j.Field("pages", 12.0).Field("ratio", 0.125).Field("neg", -0.0).Field("big", 1e300);
        j.Field("inf", std::numeric_limits<double>::infinity())
            .Field("ok", true)
            .Field("bad", false)
            .Key("none")
            .Null();
        j.Field("cols", std::vector<std::string>{"a", "b\tc", "\x01\x1f", ""});
        j.Key("age").Raw("1234.5678").Key("raw").Raw("{\"z\": [1, \"x\"], \"a\": null}");
        j.Field("i18", std::int64_t{999999999999999999})
            .Field("i19", std::int64_t{1000000000000000000});
        j.Field("min", std::int64_t{-9223372036854775807LL - 1})
            .Field("n", std::int64_t{-999999999999999999});
        j.Field("\xc3\xa9t\xc3\xa9", "\xe2\x82\xac").Field("b", 1).Field("a", 2).Field("b", 3);
        j.Key("nested").BeginArray().BeginObject().Field("k", "v").EndObject();
        j.BeginArray().Integer(1).Number(2.5).EndArray().EndArray().EndObject();
      },
      // Empty containers inside others; numerics after strings of every length mod 4 (the
      // padding before a numeric and a container counts in its length).
      [](JsonWriter& j) {
        j.BeginObject().Key("o").BeginObject().EndObject().Key("a").BeginArray().EndArray();
        j.Key("n").BeginArray().BeginArray().EndArray().BeginObject().EndObject().EndArray();
        j.Key("p").BeginArray();
        for (int length = 0; length < 8; ++length) {
          j.String(std::string(static_cast<size_t>(length), 'x')).Integer(length * 10001);
          j.BeginObject().Field("q", std::string(static_cast<size_t>(length), 'y')).EndObject();
          j.String(std::string(static_cast<size_t>(length), 'z')).Raw("{\"r\": [1, 2.5]}");
          j.String(std::string(static_cast<size_t>(length), 'w')).Raw("-1.5e+20");
        }
        j.EndArray().EndObject();
      },
      // Integers around the base-10000 digits of a numeric and int64's ends.
      [](JsonWriter& j) {
        const std::int64_t values[] = {0,
                                       1,
                                       -1,
                                       9999,
                                       10000,
                                       -10000,
                                       10001,
                                       99990000,
                                       100000000,
                                       100010000,
                                       123456789012,
                                       -5000000,
                                       1000000000000,
                                       999999999999999999,
                                       -999999999999999999,
                                       1000000000000000000,
                                       -1000000000000000000,
                                       std::numeric_limits<std::int64_t>::max(),
                                       std::numeric_limits<std::int64_t>::min()};
        j.BeginArray();
        for (const std::int64_t value : values) j.Integer(value);
        j.EndArray();
      },
      // More than JB_OFFSET_STRIDE keys and elements (every 32nd JEntry holds an offset),
      // keys that share their first bytes or differ only in bytes above 0x7f, duplicates
      // among them, a long string.
      [](JsonWriter& j) {
        j.BeginObject();
        for (int i = 0; i < 80; ++i) {
          std::string key = "key" + std::to_string(i % 37);
          if (i % 5 == 0) key = std::string(static_cast<size_t>(i % 7), 'k');
          if (i % 11 == 0) key = i % 2 == 0 ? "\xc3\xa9x" : "\x7fzx";
          j.Key(key);
          if (i % 3 == 0)
            j.Integer(i * 1234567);
          else if (i % 3 == 1)
            j.String(std::string(static_cast<size_t>(i), 'v'));
          else
            j.BeginArray().Integer(i).Bool(i % 2 == 0).Null().EndArray();
        }
        j.Key("long").String(std::string(100000, 'L'));
        j.Key("many").BeginArray();
        for (int i = 0; i < 70; ++i) {
          if (i % 4 == 0)
            j.BeginObject().Field("i", i).Field("i", i + 1).EndObject();
          else
            j.String(std::string(static_cast<size_t>(i % 5), 's'));
        }
        j.EndArray().EndObject();
      },
  };
  for (const Write write : cases) {
    JsonWriter text;
    JsonWriter tape(JsonForm::kTape);
    write(text);
    write(tape);
    if (JsonTapeToText(tape.str()) != text.str())
      throw std::runtime_error("JSON tape text differs from the writer's: " + text.str());
    bool built = false;
    bool same = false;
    CallPg([&] {
      Datum from_tape = 0;
      built = BuildJsonbFromTape(tape.str(), &from_tape);
      Datum expected = DirectFunctionCall1(jsonb_in, CStringGetDatum(text.str().c_str()));
      same = built && VARSIZE(DatumGetPointer(from_tape)) == VARSIZE(DatumGetPointer(expected)) &&
             memcmp(DatumGetPointer(from_tape), DatumGetPointer(expected),
                    VARSIZE(DatumGetPointer(expected))) == 0;
    });
    if (!same)
      throw std::runtime_error("jsonb from the JSON tape differs from jsonb_in on " + text.str());
  }
}

// Result rows' text[] (pg::TextArrayDatum) against construct_array's, byte for byte.
void CheckTextArrays() {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {""},
      {"a", "bb", "ccc", "dddd", "eeeee"},
      {"CREATE INDEX CONCURRENTLY \"odd\" ON s.t (a)", std::string(5000, 'x'), "", "\xe2\x82\xac"},
  };
  for (const std::vector<std::string>& values : cases) {
    bool same = false;
    CallPg([&] {
      const Datum built = TextArrayDatum(values);
      Datum* elements = static_cast<Datum*>(palloc(sizeof(Datum) * (values.size() + 1)));
      for (size_t i = 0; i < values.size(); ++i)
        elements[i] = PointerGetDatum(cstring_to_text_with_len(values[i].data(), values[i].size()));
      const Datum expected = PointerGetDatum(construct_array(
          elements, static_cast<int>(values.size()), TEXTOID, -1, false, TYPALIGN_INT));
      same = VARSIZE(DatumGetPointer(built)) == VARSIZE(DatumGetPointer(expected)) &&
             memcmp(DatumGetPointer(built), DatumGetPointer(expected),
                    VARSIZE(DatumGetPointer(expected))) == 0;
    });
    if (!same)
      throw std::runtime_error("text[] differs from construct_array's for " +
                               std::to_string(values.size()) + " values");
  }
}

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
  CheckJsonbTape();
  CheckTextArrays();
  return "ok: " + std::to_string(fast) + " built directly, " + std::to_string(slow) +
         " through jsonb_in, invalid text left to jsonb_in";
}

}  // namespace
}  // namespace dbopt::pg

DBOPT_FUNCTION(dbopt_selftest) {
  if (PG_ARGISNULL(0))
    dbopt::pg::Fail(
        ERRCODE_NULL_VALUE_NOT_ALLOWED, "scenario must not be null",
        "Use one of: ok, cxx_exception, bad_alloc, sql_error, pg_error, jsonb, internal_depth.");
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
  if (scenario == "internal_depth") {
    // 1 (this call itself) unless an earlier error left the depth raised.
    const std::string depth = std::to_string(dbopt::pg::InternalStatementDepth());
    Datum result = 0;
    dbopt::pg::CallPg([&] { result = CStringGetTextDatum(depth.c_str()); });
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
  dbopt::pg::Fail(
      ERRCODE_INVALID_PARAMETER_VALUE, "unknown selftest scenario \"" + scenario + "\"",
      "Use one of: ok, cxx_exception, bad_alloc, sql_error, pg_error, jsonb, internal_depth.");
}
