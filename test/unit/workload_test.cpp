#include "core/capture/workload.hpp"

#include <gtest/gtest.h>

#include "core/common/json_value.hpp"

namespace dbopt::capture {
namespace {

WorkloadDocument Sample() {
  WorkloadDocument d;
  d.system_identifier = "7312345678901234567";
  d.cluster_name = "";
  d.host = "db2";
  d.label = ExportLabel("", "db2", 5432);
  d.exported_at = "2026-12-01 04:00:00+00";
  WorkloadEntry e;
  e.database = "shop";
  e.role = "app \"x\"";
  e.queryid = -1234567890123456789LL;
  e.toplevel = false;
  e.query = "SELECT * FROM t WHERE id = $1 AND note = 'ü'";
  e.calls = 9007199254740993LL;  // not exact as a double
  e.total_time = 12.5;
  e.min_time = 0.25;
  e.max_time = 3;
  e.rows = 7;
  e.sampled_calls = 1;
  e.first_seen = "2026-12-01 03:00:00+00";
  WorkloadAccess a;
  a.scan_kind = "index";
  a.relation = "public.t";
  a.relid = 16384;
  a.index = "public.t_pkey";
  a.indexid = 4294967295LL;
  a.plan_calls = 5;
  a.samples = 1;
  a.est_rows = 1;
  a.loops = 1;
  a.rows = 1;
  e.access.push_back(a);
  d.entries.push_back(e);
  return d;
}

TEST(Workload, RoundTripsEveryField) {
  WorkloadDocument d = ParseWorkload(WriteWorkload(Sample()));
  EXPECT_EQ(d.label, "db2:5432");
  EXPECT_EQ(d.system_identifier, "7312345678901234567");
  ASSERT_EQ(d.entries.size(), 1u);
  const WorkloadEntry& e = d.entries[0];
  EXPECT_EQ(e.role, "app \"x\"");
  EXPECT_EQ(e.queryid, -1234567890123456789LL);
  EXPECT_FALSE(e.toplevel);
  EXPECT_EQ(e.origin, "local");
  EXPECT_EQ(*e.query, "SELECT * FROM t WHERE id = $1 AND note = 'ü'");
  EXPECT_EQ(e.calls, 9007199254740993LL);
  EXPECT_DOUBLE_EQ(e.total_time, 12.5);
  EXPECT_EQ(e.first_seen, "2026-12-01 03:00:00+00");
  EXPECT_EQ(e.last_seen, "");
  ASSERT_EQ(e.access.size(), 1u);
  EXPECT_EQ(e.access[0].index, "public.t_pkey");
  EXPECT_EQ(e.access[0].indexid, 4294967295LL);
  EXPECT_EQ(e.access[0].plan_calls, 5);
}

TEST(Workload, OriginComesFromTheCallerTheEntryOrTheLabel) {
  WorkloadDocument d = Sample();
  WorkloadEntry local = d.entries[0];
  WorkloadEntry relayed = local;
  relayed.origin = "replica9";
  EXPECT_EQ(ImportOrigin(std::nullopt, local, d), "db2:5432");
  EXPECT_EQ(ImportOrigin(std::nullopt, relayed, d), "replica9");
  EXPECT_EQ(ImportOrigin(std::string("r1"), relayed, d), "r1");
  EXPECT_THROW(ImportOrigin(std::string("local"), local, d), WorkloadError);
  EXPECT_THROW(ImportOrigin(std::string(""), local, d), WorkloadError);
  EXPECT_THROW(ImportOrigin(std::string(64, 'x'), local, d), WorkloadError);
  d.label = "";
  EXPECT_THROW(ImportOrigin(std::nullopt, local, d), WorkloadError);
  EXPECT_EQ(ExportLabel("main", "h", 1), "main");
}

std::string Message(const std::string& json) {
  try {
    ParseWorkload(json);
  } catch (const WorkloadError& e) {
    EXPECT_FALSE(e.hint().empty());
    return e.what();
  }
  return "accepted";
}

TEST(Workload, RejectsForeignAndBrokenDocuments) {
  EXPECT_NE(Message("{").find("not valid JSON"), std::string::npos);
  EXPECT_NE(Message("[]").find("not a dbopt workload export"), std::string::npos);
  EXPECT_NE(Message(R"({"format":"other"})").find("not a dbopt workload"), std::string::npos);
  EXPECT_NE(Message(R"({"format":"dbopt-workload","version":2})").find("version 2"),
            std::string::npos);
  EXPECT_EQ(Message(R"({"format":"dbopt-workload","version":1,"source":{},"entries":"x"})"),
            "workload: \"entries\" must be an array, not a string");
  std::string good = WriteWorkload(Sample());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return Message(s.replace(at, from.size(), to));
  };
  EXPECT_EQ(with("\"calls\": 9007199254740993", "\"calls\": -1"),
            "entry 1: \"calls\" must be an integer from 0 to 9223372036854775807, not -1");
  EXPECT_EQ(with("\"calls\": 9007199254740993", "\"calls\": 1.5"),
            "entry 1: \"calls\" must be an integer from 0 to 9223372036854775807, not 1.5");
  EXPECT_EQ(with("\"role\": \"app \\\"x\\\"\",", ""), "entry 1: \"role\" is missing");
  EXPECT_EQ(with("\"scan_kind\": \"index\"", "\"scan_kind\": \"hash\""),
            "entry 1, access path 1: \"scan_kind\" must be one of seq, index, index_only, "
            "bitmap, tid, not \"hash\"");
  EXPECT_EQ(with("\"origin\": \"local\"", "\"origin\": \"\""), "accepted");
  EXPECT_EQ(with("\"toplevel\": false", "\"toplevel\": \"no\""),
            "entry 1: \"toplevel\" must be a boolean, not a string");
}

TEST(JsonValue, ParsesEscapesAndKeepsNumbersExact) {
  JsonValue v = JsonValue::Parse(R"( {"a":[1,-2.5e3,true,null],"s":"x\n\u00e9\ud83d\ude00"} )");
  ASSERT_TRUE(v.IsObject());
  EXPECT_EQ(v.Find("a")->items().size(), 4u);
  EXPECT_DOUBLE_EQ(v.Find("a")->items()[1].AsDouble(), -2500);
  EXPECT_TRUE(v.Find("a")->items()[2].boolean());
  EXPECT_EQ(v.Find("s")->string(), "x\n\xc3\xa9\xf0\x9f\x98\x80");
  std::int64_t big = 0;
  EXPECT_TRUE(JsonValue::Parse("9223372036854775807").AsInt64(&big));
  EXPECT_EQ(big, INT64_MAX);
  EXPECT_FALSE(JsonValue::Parse("9223372036854775808").AsInt64(&big));
  EXPECT_THROW(JsonValue::Parse("[1,]"), JsonParseError);
  EXPECT_THROW(JsonValue::Parse("\"\\u0000\""), JsonParseError);
  EXPECT_THROW(JsonValue::Parse("01x"), JsonParseError);
  EXPECT_THROW(JsonValue::Parse(std::string(100, '[')), JsonParseError);
}

}  // namespace
}  // namespace dbopt::capture
