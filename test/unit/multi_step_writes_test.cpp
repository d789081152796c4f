#include "core/antipatterns/multi_step_writes.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dbopt::antipatterns {
namespace {

constexpr std::int64_t kMs = 1000000;
constexpr std::uint32_t kOrders = 16400;
constexpr std::uint32_t kItems = 16410;
constexpr std::uint32_t kAudit = 16420;

// One backend's event stream, in the order statements end.
class Stream {
 public:
  // A statement starting `gap_ms` after the previous one ended; relid 0 for a read.
  StatementEvent Next(std::uint64_t queryid, std::uint32_t relid, double gap_ms = 1) {
    StatementEvent event{};
    event.queryid = queryid;
    event.start_ns = now_ + static_cast<std::int64_t>(gap_ms * kMs);
    event.end_ns = event.start_ns + kMs / 10;
    now_ = event.end_ns;
    event.rows = 1;
    event.xact = in_call_ || in_block_ ? xact_ : ++xact_;
    event.session = session_;
    event.userid = userid_;
    event.dbid = 5;
    event.level = in_call_ ? 1 : 0;
    event.flags = (in_block_ ? kEventInBlock : 0) | (relid == 0 ? kEventSelect : 0);
    event.relid = relid;
    return event;
  }
  void Begin() {
    ++xact_;
    in_block_ = true;
  }
  void Commit() { in_block_ = false; }
  // Nested statements of one top-level call: one transaction.
  void BeginCall() {
    ++xact_;
    in_call_ = true;
  }
  void EndCall() { in_call_ = false; }
  void NewSession() { ++session_; }
  void SetUser(std::uint32_t userid) { userid_ = userid; }

 private:
  std::int64_t now_ = 1000 * kMs;
  std::uint32_t xact_ = 100;
  std::int32_t session_ = 4242;
  std::uint32_t userid_ = 10;
  bool in_block_ = false;
  bool in_call_ = false;
};

class Detector {
 public:
  Detector() { ResetState(&state_); }
  void Feed(const StatementEvent& event) { FeedWrite(&state_, event, config_, Add, this); }
  const std::vector<WritePairFound>& pairs() const { return pairs_; }
  MultiWriteConfig& config() { return config_; }

 private:
  static void Add(void* context, const WritePairFound& pair) {
    static_cast<Detector*>(context)->pairs_.push_back(pair);
  }
  MultiWriteState state_;
  MultiWriteConfig config_;
  std::vector<WritePairFound> pairs_;
};

TEST(MultiStepWrites, OrderThenItemsInAutocommitIsOnePairPerOrder) {
  Stream s;
  Detector d;
  for (int order = 0; order < 3; ++order) {
    d.Feed(s.Next(1, kOrders));
    d.Feed(s.Next(2, kItems));
    d.Feed(s.Next(2, kItems));
    d.Feed(s.Next(2, kItems));
  }
  ASSERT_EQ(d.pairs().size(), 3u);  // orders -> items, once per order; never items -> orders
  for (const WritePairFound& pair : d.pairs()) {
    EXPECT_EQ(pair.first_queryid, 1u);
    EXPECT_EQ(pair.first_relid, kOrders);
    EXPECT_EQ(pair.second_queryid, 2u);
    EXPECT_EQ(pair.second_relid, kItems);
    EXPECT_TRUE(pair.first_toplevel);
    EXPECT_EQ(pair.gap_ns, kMs);
    EXPECT_EQ(pair.userid, 10u);
    EXPECT_EQ(pair.dbid, 5u);
  }
}

TEST(MultiStepWrites, ReadsInBetweenDoNotMatter) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, kOrders));
  d.Feed(s.Next(7, 0));  // SELECT currval(...)
  d.Feed(s.Next(2, kItems));
  ASSERT_EQ(d.pairs().size(), 1u);
  EXPECT_EQ(d.pairs()[0].gap_ns, 2 * kMs + kMs / 10);
}

TEST(MultiStepWrites, AnUnrelatedWriteInBetweenKeepsThePair) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, kOrders));
  d.Feed(s.Next(3, kAudit));
  d.Feed(s.Next(2, kItems));
  ASSERT_EQ(d.pairs().size(), 3u);  // orders->audit, orders->items, audit->items
  EXPECT_EQ(d.pairs()[1].first_relid, kOrders);
  EXPECT_EQ(d.pairs()[1].second_relid, kItems);
}

TEST(MultiStepWrites, TransactionBlockIsIgnored) {
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, kOrders));
  d.Feed(s.Next(2, kItems));
  s.Commit();
  EXPECT_TRUE(d.pairs().empty());
}

TEST(MultiStepWrites, OneFunctionCallIsOneTransaction) {
  Stream s;
  Detector d;
  s.BeginCall();
  d.Feed(s.Next(1, kOrders));
  d.Feed(s.Next(2, kItems));
  s.EndCall();
  EXPECT_TRUE(d.pairs().empty());
}

TEST(MultiStepWrites, TwoFunctionCallsInAutocommitPair) {
  Stream s;
  Detector d;
  s.BeginCall();
  d.Feed(s.Next(1, kOrders));
  s.EndCall();
  d.Feed(s.Next(8, 0));  // the SELECT f() itself
  s.BeginCall();
  d.Feed(s.Next(2, kItems));
  s.EndCall();
  ASSERT_EQ(d.pairs().size(), 1u);
  EXPECT_FALSE(d.pairs()[0].first_toplevel);
  EXPECT_FALSE(d.pairs()[0].second_toplevel);
}

TEST(MultiStepWrites, SameTableTwiceIsABatch) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, kItems));
  d.Feed(s.Next(2, kItems));
  d.Feed(s.Next(1, kItems));
  EXPECT_TRUE(d.pairs().empty());
}

TEST(MultiStepWrites, LongGapEndsTheRun) {
  Stream s;
  Detector d;
  d.config().max_gap_ns = 100 * kMs;
  d.Feed(s.Next(1, kOrders));
  d.Feed(s.Next(2, kItems, 150));
  EXPECT_TRUE(d.pairs().empty());
  d.Feed(s.Next(1, kOrders, 150));
  d.Feed(s.Next(2, kItems, 99));
  EXPECT_EQ(d.pairs().size(), 1u);
}

TEST(MultiStepWrites, EachPairNeedsItsOwnShortGap) {
  Stream s;
  Detector d;
  d.config().max_gap_ns = 100 * kMs;
  d.Feed(s.Next(1, kOrders));
  d.Feed(s.Next(3, kAudit, 60));
  d.Feed(s.Next(2, kItems, 60));  // 120 ms after the order: only audit -> items
  ASSERT_EQ(d.pairs().size(), 2u);
  EXPECT_EQ(d.pairs()[1].first_relid, kAudit);
}

TEST(MultiStepWrites, NewSessionEndsTheRun) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, kOrders));
  s.NewSession();
  d.Feed(s.Next(2, kItems));
  EXPECT_TRUE(d.pairs().empty());
}

TEST(MultiStepWrites, SingleWriteAndOtherUsers) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, kOrders));
  EXPECT_TRUE(d.pairs().empty());
  s.SetUser(11);
  d.Feed(s.Next(2, kItems));
  EXPECT_TRUE(d.pairs().empty());
}

TEST(MultiStepWrites, FullShapesEvictTheLeastRecent) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, kOrders));
  for (std::uint64_t q = 10; q < 14; ++q) d.Feed(s.Next(q, kAudit + static_cast<std::uint32_t>(q)));
  // The order's shape was evicted by the fourth other write, and the items' shape takes the
  // place of the least recent one left (10): the items pair with 11, 12 and 13 only.
  std::size_t before = d.pairs().size();
  d.Feed(s.Next(2, kItems));
  ASSERT_EQ(d.pairs().size() - before, 3u);
  for (std::size_t i = before; i < d.pairs().size(); ++i) {
    EXPECT_NE(d.pairs()[i].first_queryid, 1u);
    EXPECT_NE(d.pairs()[i].first_queryid, 10u);
  }
}

TEST(MultiStepWrites, RelatingConstraintEitherDirectionDirectOnly) {
  std::vector<NamedForeignKey> edges = {{{kItems, kOrders}, "items_order_fkey"},
                                        {{kItems, kOrders}, "items_alt_fkey"},
                                        {{kAudit, kItems}, "audit_item_fkey"},
                                        {{kOrders, kOrders}, "orders_parent_fkey"}};
  const NamedForeignKey* edge = RelatingConstraint(edges, kOrders, kItems);
  ASSERT_NE(edge, nullptr);
  EXPECT_EQ(edge->name, "items_alt_fkey");  // the first by name
  edge = RelatingConstraint(edges, kItems, kOrders);
  ASSERT_NE(edge, nullptr);
  EXPECT_EQ(edge->name, "items_alt_fkey");
  EXPECT_EQ(RelatingConstraint(edges, kOrders, kAudit), nullptr);  // only through items
  EXPECT_EQ(RelatingConstraint(edges, kOrders, kOrders), nullptr);
  EXPECT_NE(RelatingConstraint(edges, kAudit, kItems), nullptr);
}

TEST(MultiStepWrites, Finding) {
  WritePairSummary pair;
  pair.first_queryid = 11;
  pair.second_queryid = 22;
  pair.second_toplevel = false;
  pair.first_table = "public.orders";
  pair.second_table = "public.items";
  pair.constraint_name = "items_order_fkey";
  pair.referencing_table = "public.items";
  pair.occurrences = 3;
  pair.mean_gap_ms = 1.25;
  pair.max_gap_ms = 2;
  Finding finding = MultiStepWriteFinding(pair);
  EXPECT_EQ(finding.check_id, "unsafe_multi_step_write");
  EXPECT_EQ(finding.severity, Severity::kWarning);
  EXPECT_EQ(finding.object_type, "query");
  EXPECT_EQ(finding.object_name, "11");
  EXPECT_NE(finding.message.find("query 11 (writing public.orders) and query 22 (nested) "
                                 "(writing public.items), related by foreign key "
                                 "items_order_fkey on public.items, ran in separate "
                                 "transactions 3 times"),
            std::string::npos)
      << finding.message;
  EXPECT_TRUE(finding.remediation.empty());  // texts not visible
  EXPECT_TRUE(finding.revert.empty());
  pair.first_text = "INSERT INTO orders (id) VALUES ($1)";
  pair.second_text = "INSERT INTO items (order_id) VALUES ($1)";
  finding = MultiStepWriteFinding(pair);
  EXPECT_EQ(finding.remediation,
            (std::vector<std::string>{"BEGIN", "INSERT INTO orders (id) VALUES ($1)",
                                      "INSERT INTO items (order_id) VALUES ($1)", "COMMIT"}));
  EXPECT_NE(finding.detail_json.find("\"constraint\": \"items_order_fkey\""), std::string::npos)
      << finding.detail_json;
}

}  // namespace
}  // namespace dbopt::antipatterns
