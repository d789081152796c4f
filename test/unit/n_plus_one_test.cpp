#include "core/antipatterns/n_plus_one.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dbopt::antipatterns {
namespace {

constexpr std::int64_t kMs = 1000000;

// Builds one backend's event stream, in the order statements end.
class Stream {
 public:
  // A statement that starts `gap_ms` after the previous one ended and runs `run_ms`.
  StatementEvent Next(std::uint64_t queryid, std::uint32_t rows, double gap_ms = 1,
                      double run_ms = 0.1, bool select = true) {
    StatementEvent event{};
    event.queryid = queryid;
    event.start_ns = now_ + static_cast<std::int64_t>(gap_ms * kMs);
    event.end_ns = event.start_ns + static_cast<std::int64_t>(run_ms * kMs);
    now_ = event.end_ns;
    event.rows = rows;
    event.xact = in_block_ ? xact_ : ++xact_;
    event.session = session_;
    event.userid = 10;
    event.dbid = 5;
    event.level = level_;
    event.flags = (in_block_ ? kEventInBlock : 0) | (select ? kEventSelect : 0);
    return event;
  }
  void Begin() {
    ++xact_;
    in_block_ = true;
  }
  void Commit() { in_block_ = false; }
  void SetLevel(std::uint8_t level) { level_ = level; }
  void NewSession() { ++session_; }
  std::int64_t now() const { return now_; }
  // For cursor loops: a source that started at `start_ns` and ends now.
  StatementEvent EndedSource(std::uint64_t queryid, std::uint32_t rows, std::int64_t start_ns) {
    StatementEvent event = Next(queryid, rows, 0, 0.01);
    event.start_ns = start_ns;
    return event;
  }
  std::int64_t Mark() {
    now_ += kMs / 10;
    return now_;
  }

 private:
  std::int64_t now_ = 1000 * kMs;
  std::uint32_t xact_ = 100;
  std::int32_t session_ = 4242;
  std::uint8_t level_ = 0;
  bool in_block_ = false;
};

class Detector {
 public:
  Detector() { ResetState(&state_); }
  void Feed(const StatementEvent& event) {
    dbopt::antipatterns::Feed(&state_, event, config_, &Collect, this);
  }
  void Flush() { dbopt::antipatterns::Flush(&state_, config_, &Collect, this); }
  void CloseIfIdle(std::int64_t now) {
    dbopt::antipatterns::CloseIfIdle(&state_, now, config_, &Collect, this);
  }
  std::vector<LoopFound> loops;
  NPlusOneConfig config_;
  NPlusOneState state_;

 private:
  static void Collect(void* context, const LoopFound& loop) {
    static_cast<Detector*>(context)->loops.push_back(loop);
  }
};

TEST(NPlusOne, ClientLoopInAutocommit) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 20));  // the posts
  for (int i = 0; i < 20; ++i) d.Feed(s.Next(2, 1));
  EXPECT_TRUE(d.loops.empty());  // the window is still open
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].source_queryid, 1u);
  EXPECT_EQ(d.loops[0].repeated_queryid, 2u);
  EXPECT_EQ(d.loops[0].repeats, 20);
  EXPECT_EQ(d.loops[0].source_rows, 20);
  EXPECT_TRUE(d.loops[0].source_toplevel);
  EXPECT_EQ(d.loops[0].dbid, 5u);
  EXPECT_GT(d.loops[0].loop_ns, d.loops[0].repeat_ns);
}

TEST(NPlusOne, IdleGapEndsTheWindow) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 8));
  for (int i = 0; i < 8; ++i) d.Feed(s.Next(2, 1));
  d.Feed(s.Next(3, 1, 1500));  // 1.5 s later: a new window, the loop is complete
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeats, 8);
}

TEST(NPlusOne, CloseIfIdle) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 6));
  for (int i = 0; i < 6; ++i) d.Feed(s.Next(2, 0));
  d.CloseIfIdle(s.now() + 500 * kMs);
  EXPECT_TRUE(d.loops.empty());
  d.CloseIfIdle(s.now() + 1000 * kMs);
  EXPECT_EQ(d.loops.size(), 1u);
}

TEST(NPlusOne, GapsSplitTheRepeats) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 6));
  for (int i = 0; i < 3; ++i) d.Feed(s.Next(2, 1));
  for (int i = 0; i < 3; ++i) d.Feed(s.Next(2, 1, 1200));  // each after an idle gap
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, InterleavedShapes) {
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) {
    d.Feed(s.Next(2, 1));
    d.Feed(s.Next(3, 4));
  }
  s.Commit();
  d.Feed(s.Next(9, 1));  // the transaction ended
  ASSERT_EQ(d.loops.size(), 2u);
  EXPECT_EQ(d.loops[0].repeated_queryid + d.loops[1].repeated_queryid, 5u);
}

TEST(NPlusOne, TransactionIgnoresGapsAndEndsAtCommit) {
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, 5));
  // A slow client, in one transaction: the loop starts right after the source, then crawls.
  for (int i = 0; i < 5; ++i) d.Feed(s.Next(2, 1, i == 0 ? 1 : 2000));
  s.Commit();
  s.Begin();
  d.Feed(s.Next(2, 1));  // the next transaction: not part of the loop
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeats, 5);
}

TEST(NPlusOne, RepeatsAfterTheTransactionDoNotCount) {
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, 6));
  d.Feed(s.Next(2, 1));
  s.Commit();
  for (int i = 0; i < 6; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, FewerRepeatsThanTheThreshold) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 4));
  for (int i = 0; i < 4; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, RepeatsReturningManyRowsAreNotALoop) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) d.Feed(s.Next(2, 50));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, OneBigRepeatInTenIsTolerated) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 11));
  for (int i = 0; i < 10; ++i) d.Feed(s.Next(2, 2));
  d.Feed(s.Next(2, 40));
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeats, 10);
}

TEST(NPlusOne, RepeatsWithoutSourceAreABatchNotALoop) {
  Stream s;
  Detector d;
  for (int i = 0; i < 50; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, WriteLoopIsMarked) {
  // Rails' `list.each { create }`: an INSERT per row of a list, reported as a write loop.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 20));
  for (int i = 0; i < 20; ++i) d.Feed(s.Next(2, 1, 1, 0.1, false));  // INSERT one row each
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_TRUE(d.loops[0].writes);
  EXPECT_EQ(d.loops[0].repeats, 20);
  EXPECT_EQ(d.loops[0].weak, 0);
}

TEST(NPlusOne, WriteLoopOfOneTransactionPerRow) {
  // Rails without an outer transaction: the list, then per row BEGIN; INSERT; COMMIT.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) {
    s.Begin();
    d.Feed(s.Next(2, 1, 1, 0.1, false));
    s.Commit();
  }
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_TRUE(d.loops[0].writes);
  EXPECT_EQ(d.loops[0].repeats, 10);
}

TEST(NPlusOne, TransactionPerRowStartingWithAReadIsNotALoop) {
  // A job: the list, then per row BEGIN; SELECT ... FOR UPDATE; UPDATE; COMMIT. Each
  // transaction starting with a read is a window of its own.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) {
    s.Begin();
    d.Feed(s.Next(2, 1));
    d.Feed(s.Next(3, 1, 1, 0.1, false));
    s.Commit();
  }
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, WritesAreNeverSources) {
  // An UPDATE of 20 rows, then 20 lookups: no source, no loop.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 20, 1, 0.1, false));
  for (int i = 0; i < 20; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, ReadAndWriteLoopsOfOneSource) {
  // Per row of a list: a lookup and an UPDATE (a batch job), in a transaction.
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, 12));
  for (int i = 0; i < 12; ++i) {
    d.Feed(s.Next(2, 1));
    d.Feed(s.Next(3, 1, 1, 0.1, false));
  }
  s.Commit();
  d.Flush();
  ASSERT_EQ(d.loops.size(), 2u);
  for (const LoopFound& loop : d.loops) EXPECT_EQ(loop.writes, loop.repeated_queryid == 3);
}

TEST(NPlusOne, PlpgsqlWriteLoop) {
  // FOR a IN SELECT ... LOOP UPDATE ... WHERE id = a.id; END LOOP.
  Stream s;
  Detector d;
  s.SetLevel(1);
  std::int64_t cursor_start = s.Mark();
  for (int i = 0; i < 12; ++i) d.Feed(s.Next(2, 1, 0.01, 0.01, false));
  d.Feed(s.EndedSource(1, 12, cursor_start));
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_TRUE(d.loops[0].writes);
  EXPECT_FALSE(d.loops[0].source_toplevel);
}

TEST(NPlusOne, RepeatCountFarFromSourceRows) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 500));  // a big report
  for (int i = 0; i < 6; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, BatchRightAfterAListOfAnotherSize) {
  // A list of 15, then at once a warm-up of 40 lookups: not a lookup per row of the list.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 15));
  for (int i = 0; i < 40; ++i) d.Feed(s.Next(3, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, TwoLookupsOfOneShapePerRowAreAWeakLoop) {
  // Documents, then per document its author and its editor from one users table: twice as
  // many repeats as rows. Weak: a batch of twice a list's size looks the same; the report
  // keeps it when the tables are related.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 9));
  for (int i = 0; i < 9; ++i) {
    d.Feed(s.Next(2, 1));
    d.Feed(s.Next(2, 1));
  }
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeats, 18);
  EXPECT_EQ(d.loops[0].weak, kLoopMultiple);
}

TEST(NPlusOne, MoreRepeatsThanRowsAreWeak) {
  // One more than the rows (the same lookup once after the loop): a loop; more: weak (a warm-up
  // batch of 30 right after an unrelated list of 25 looks like this).
  for (int extra : {1, 2, 5}) {
    Stream s;
    Detector d;
    d.Feed(s.Next(1, 25));
    for (int i = 0; i < 25 + extra; ++i) d.Feed(s.Next(2, 1));
    d.Flush();
    ASSERT_EQ(d.loops.size(), 1u);
    EXPECT_EQ(d.loops[0].weak, extra == 1 ? 0 : kLoopMultiple);
  }
}

TEST(NPlusOne, ThreeLookupsPerRowAreNotALoop) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 8));
  for (int i = 0; i < 24; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, LateFirstLookupIsAWeakLoop) {
  // A list, 400 ms of other work (a call to another service), then a lookup per row.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) d.Feed(s.Next(2, 1, i == 0 ? 400 : 1));
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].weak, kLoopLate);
  EXPECT_EQ(d.loops[0].repeats, 10);
}

TEST(NPlusOne, LookupsAfterMaxGapInATransactionAreNotALoop) {
  // In a transaction the window stays open, but a first repeat max_gap after the source is
  // not part of its loop.
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) d.Feed(s.Next(2, 1, i == 0 ? 1500 : 1));
  s.Commit();
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, SkippedRowsStillALoop) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 18));
  for (int i = 0; i < 7; ++i) d.Feed(s.Next(2, 1));  // the application skipped some rows
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].weak, kLoopFewer);  // fewer than two thirds: a smaller batch looks alike
  Detector most;
  most.Feed(s.Next(1, 18, 2000));
  for (int i = 0; i < 12; ++i) most.Feed(s.Next(2, 1));  // two thirds of the rows
  most.Flush();
  ASSERT_EQ(most.loops.size(), 1u);
  EXPECT_EQ(most.loops[0].weak, 0);
}

TEST(NPlusOne, SourceRunningAgainEndsTheLoop) {
  Stream s;
  Detector d;
  for (int request = 0; request < 3; ++request) {
    d.Feed(s.Next(1, 7));
    for (int i = 0; i < 7; ++i) d.Feed(s.Next(2, 1));
  }
  EXPECT_EQ(d.loops.size(), 2u);
  d.Flush();
  ASSERT_EQ(d.loops.size(), 3u);
  for (const LoopFound& loop : d.loops) EXPECT_EQ(loop.repeats, 7);
}

TEST(NPlusOne, CursorLoopSourceEndsAfterItsBody) {
  // FOR r IN SELECT ... LOOP SELECT ... INTO ... END LOOP, inside SELECT f(): the source's
  // cursor ends after the loop; the call itself ends last.
  Stream s;
  Detector d;
  std::int64_t call_start = s.Mark();
  s.SetLevel(1);
  std::int64_t cursor_start = s.Mark();
  for (int i = 0; i < 12; ++i) d.Feed(s.Next(2, 1, 0.01, 0.01));
  d.Feed(s.EndedSource(1, 12, cursor_start));
  ASSERT_EQ(d.loops.size(), 1u);  // closed as soon as the cursor ended
  EXPECT_EQ(d.loops[0].source_queryid, 1u);
  EXPECT_FALSE(d.loops[0].source_toplevel);
  EXPECT_FALSE(d.loops[0].repeated_toplevel);
  EXPECT_EQ(d.loops[0].repeats, 12);
  s.SetLevel(0);
  StatementEvent call = s.Next(7, 1, 0.01);
  call.start_ns = call_start;
  call.xact = d.state_.xact;  // same transaction as its nested statements
  d.Feed(call);
  d.Flush();
  EXPECT_EQ(d.loops.size(), 1u);
}

TEST(NPlusOne, NestedLoopKeepsItsOwnCounts) {
  // posts -> for each: comments (source, 6 rows) -> for each comment: its author.
  Stream s;
  Detector d;
  s.Begin();
  d.Feed(s.Next(1, 5));
  for (int p = 0; p < 5; ++p) {
    d.Feed(s.Next(2, 6));
    for (int c = 0; c < 6; ++c) d.Feed(s.Next(3, 1));
  }
  s.Commit();
  d.Flush();
  // comments per post: 5 repeats of 2 after 1 (5 rows); authors: 6 after each comments query.
  int posts_comments = 0, comment_authors = 0;
  for (const LoopFound& loop : d.loops) {
    if (loop.source_queryid == 1 && loop.repeated_queryid == 2) ++posts_comments;
    if (loop.source_queryid == 2 && loop.repeated_queryid == 3) ++comment_authors;
  }
  EXPECT_EQ(posts_comments, 1);
  EXPECT_EQ(comment_authors, 5);
}

TEST(NPlusOne, LookupShapeSeenBeforeTheSource) {
  // Rails: the current user by id, the posts, then each post's author by id (same shape).
  Stream s;
  Detector d;
  d.Feed(s.Next(2, 1));
  d.Feed(s.Next(1, 9));
  for (int i = 0; i < 9; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeats, 9);
}

TEST(NPlusOne, BatchAfterALoopIsNotPartOfIt) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) d.Feed(s.Next(2, 1));
  for (int i = 0; i < 10; ++i) d.Feed(s.Next(3, 1, 200));  // a cache warm-up, later
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeated_queryid, 2u);
}

TEST(NPlusOne, BatchAfterAPauseIsAtMostWeak) {
  // A list with no loop, then (the next request, 300 ms later) a cache warm-up batch: a weak
  // loop at most, which the report drops unless the tables are related.
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 15));
  for (int i = 0; i < 20; ++i) d.Feed(s.Next(3, 1, i == 0 ? 300 : 1));
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].weak, kLoopLate | kLoopMultiple);
}

TEST(NPlusOne, OddStatementInsideALoop) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 10));
  for (int i = 0; i < 10; ++i) {
    d.Feed(s.Next(2, 1));
    if (i == 5) d.Feed(s.Next(4, 1));  // once, mid-loop
  }
  d.Flush();
  ASSERT_EQ(d.loops.size(), 1u);
  EXPECT_EQ(d.loops[0].repeats, 10);
}

TEST(NPlusOne, NewSessionStartsANewWindow) {
  Stream s;
  Detector d;
  d.Feed(s.Next(1, 5));
  for (int i = 0; i < 2; ++i) d.Feed(s.Next(2, 1));
  s.NewSession();
  for (int i = 0; i < 3; ++i) d.Feed(s.Next(2, 1));
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
}

TEST(NPlusOne, ThresholdsFromConfig) {
  Stream s;
  Detector d;
  d.config_.min_repeats = 3;
  d.config_.max_rows = 2;
  d.Feed(s.Next(1, 3));
  for (int i = 0; i < 3; ++i) d.Feed(s.Next(2, 2));
  d.Flush();
  EXPECT_EQ(d.loops.size(), 1u);
}

TEST(NPlusOne, ManyShapesDoNotOverflow) {
  Stream s;
  Detector d;
  for (int i = 0; i < 200; ++i) d.Feed(s.Next(100 + i, i % 30));  // sources come and go
  for (int i = 0; i < 200; ++i) d.Feed(s.Next(1000 + i, 1));      // no room for all these
  d.Flush();
  EXPECT_TRUE(d.loops.empty());
  EXPECT_GT(d.state_.dropped, 0);
}

TEST(NPlusOneRelations, WhatTheTablesSay) {
  std::vector<ForeignKeyEdge> fks = {{20, 10}, {30, 20}, {40, 50}};  // from -> to
  // Unknown tables on a side: no evidence.
  EXPECT_EQ(LoopRelations({}, {10}, fks), RelationEvidence::kUnknown);
  EXPECT_EQ(LoopRelations({20}, {}, fks), RelationEvidence::kUnknown);
  // A table in common, a foreign key either way.
  EXPECT_EQ(LoopRelations({10, 60}, {60}, fks), RelationEvidence::kRelated);
  EXPECT_EQ(LoopRelations({20}, {10}, fks), RelationEvidence::kRelated);  // belongs_to
  EXPECT_EQ(LoopRelations({20}, {30}, fks), RelationEvidence::kRelated);  // has_many
  // The source declares foreign keys, none to the repeated query's tables.
  EXPECT_EQ(LoopRelations({20}, {60}, fks), RelationEvidence::kUnrelated);
  // The source declares none (a schema without foreign keys there): no evidence.
  EXPECT_EQ(LoopRelations({10}, {60}, fks), RelationEvidence::kUnknown);
  EXPECT_EQ(LoopRelations({60}, {70}, {}), RelationEvidence::kUnknown);
}

TEST(NPlusOneRelations, NamingConventionWithoutForeignKeys) {
  TableNames posts{1, "rails_posts", {"id", "board_id", "user_id", "title"}};
  TableNames users{2, "rails_users", {"id", "name"}};
  TableNames items{3, "order_items", {"id", "order_id", "qty"}};
  TableNames orders{4, "Orders", {"id", "placed"}};
  TableNames companies{5, "crm_companies", {"id", "name"}};
  TableNames leads{6, "crm_leads", {"id", "company_id"}};
  TableNames rates{7, "fx_rates", {"code", "rate"}};
  TableNames addresses{8, "addresses", {"id"}};
  TableNames people{9, "people", {"id", "address_id"}};
  EXPECT_TRUE(ColumnNamedAfter(posts, users));  // belongs_to, a prefix before the last word
  EXPECT_FALSE(ColumnNamedAfter(users, posts));
  EXPECT_TRUE(ColumnNamedAfter(items, orders));      // has_many, case ignored
  EXPECT_TRUE(ColumnNamedAfter(leads, companies));   // -ies
  EXPECT_TRUE(ColumnNamedAfter(people, addresses));  // -sses
  EXPECT_FALSE(ColumnNamedAfter(posts, rates));
  std::vector<TableNames> names = {posts, users, items, orders, rates};
  EXPECT_EQ(LoopRelations({1}, {2}, {}, names), RelationEvidence::kRelated);
  EXPECT_EQ(LoopRelations({4}, {3}, {}, names), RelationEvidence::kRelated);
  EXPECT_EQ(LoopRelations({1}, {7}, {}, names), RelationEvidence::kUnknown);
  // Declared foreign keys win over names: the source's tables declare theirs, none to users.
  EXPECT_EQ(LoopRelations({1}, {2}, {{1, 99}}, names), RelationEvidence::kUnrelated);
}

TEST(NPlusOneRelations, ForeignKeyTriggerStatements) {
  EXPECT_TRUE(ForeignKeyCheck(
      "SELECT $2 FROM ONLY \"public\".\"contacts\" x WHERE \"id\" OPERATOR(pg_catalog.=) $1 "
      "FOR KEY SHARE OF x"));
  EXPECT_TRUE(ForeignKeyCheck(
      "DELETE FROM ONLY \"public\".\"lines\" WHERE $1 OPERATOR(pg_catalog.=) \"order_id\""));
  EXPECT_FALSE(ForeignKeyCheck("SELECT * FROM contacts WHERE id = $1 FOR KEY SHARE OF x"));
  EXPECT_FALSE(ForeignKeyCheck("SELECT name FROM users WHERE id = $1"));
}

TEST(NPlusOneRelations, WhichPairsAreReported) {
  EXPECT_TRUE(ReportLoop(RelationEvidence::kRelated, false));
  EXPECT_TRUE(ReportLoop(RelationEvidence::kUnknown, false));
  EXPECT_FALSE(ReportLoop(RelationEvidence::kUnrelated, false));
  EXPECT_TRUE(ReportLoop(RelationEvidence::kRelated, true));
  EXPECT_FALSE(ReportLoop(RelationEvidence::kUnknown, true));
  EXPECT_FALSE(ReportLoop(RelationEvidence::kUnrelated, true));
}

TEST(NPlusOneFinding, WriteLoops) {
  LoopSummary loop;
  loop.source_queryid = 1;
  loop.repeated_queryid = 2;
  loop.occurrences = 2;
  loop.total_repeats = 20;
  loop.max_repeats = 10;
  loop.total_source_rows = 20;
  loop.writes = true;
  loop.source_text = "SELECT id FROM contacts WHERE list_id = $1";
  loop.repeated_text = "INSERT INTO emails (contact_id, subject) VALUES ($1, $2) RETURNING id";
  Finding insert = NPlusOneFinding(loop);
  EXPECT_EQ(insert.check_id, "n_plus_one_writes");
  EXPECT_NE(insert.message.find("write them in one statement"), std::string::npos);
  EXPECT_NE(insert.message.find("INSERT ... SELECT"), std::string::npos);
  EXPECT_TRUE(insert.remediation.empty());
  EXPECT_NE(insert.detail_json.find("\"writes\": true"), std::string::npos);
  loop.repeated_text = "UPDATE jobs SET state = $1 WHERE id = $2";
  Finding update = NPlusOneFinding(loop);
  ASSERT_EQ(update.remediation.size(), 1u);
  EXPECT_EQ(update.remediation[0], "UPDATE jobs SET state = $1 WHERE id = ANY($2)");
  EXPECT_NE(update.message.find("when every row gets the same values"), std::string::npos);
  loop.writes = false;
  loop.total_repeats = 40;  // two per row
  loop.relation = RelationEvidence::kRelated;
  loop.repeated_text = "SELECT * FROM users WHERE id = $1 LIMIT $2";
  Finding twice = NPlusOneFinding(loop);
  EXPECT_EQ(twice.check_id, "n_plus_one");
  EXPECT_NE(twice.message.find("more than once per row"), std::string::npos);
  EXPECT_NE(twice.detail_json.find("\"tables\": \"related\""), std::string::npos);
}

TEST(NPlusOneRewrite, ParameterBecomesAny) {
  BatchedRewrite r = RewriteBatched("SELECT id, name FROM authors WHERE id = $1", "");
  EXPECT_EQ(r.statement, "SELECT id, name FROM authors WHERE id = ANY($1)");
  EXPECT_EQ(r.column, "id");
  EXPECT_EQ(r.operand, "$1");
}

TEST(NPlusOneRewrite, FirstParameterAfterWhere) {
  BatchedRewrite r = RewriteBatched(
      "SELECT c.body FROM comments c JOIN users u ON u.id = c.user_id WHERE c.post_id = $2 AND "
      "c.hidden = $3 ORDER BY c.id",
      "");
  EXPECT_EQ(r.statement,
            "SELECT c.body FROM comments c JOIN users u ON u.id = c.user_id WHERE c.post_id = "
            "ANY($2) AND c.hidden = $3 ORDER BY c.id");
  EXPECT_EQ(r.column, "c.post_id");
}

TEST(NPlusOneRewrite, LoopVariableComesFromTheSource) {
  BatchedRewrite r = RewriteBatched("SELECT name FROM authors WHERE id = r.author_id",
                                    "SELECT id, author_id FROM posts WHERE id <= $1;");
  EXPECT_EQ(r.statement,
            "SELECT name FROM authors WHERE id = ANY(ARRAY(SELECT s.author_id FROM (SELECT id, "
            "author_id FROM posts WHERE id <= $1) AS s))");
}

TEST(NPlusOneRewrite, NothingToRewrite) {
  EXPECT_EQ(RewriteBatched("SELECT count(*) FROM t", "").statement, "");
  EXPECT_EQ(RewriteBatched("SELECT * FROM t WHERE a = ANY($1)", "").statement, "");
  EXPECT_EQ(RewriteBatched("SELECT * FROM t WHERE a = lower($1)", "").statement, "");
  EXPECT_EQ(RewriteBatched("SELECT * FROM t WHERE a >= $1", "").statement, "");
  EXPECT_EQ(RewriteBatched("SELECT 'x = $1' FROM t WHERE b <> $1", "").statement, "");
}

TEST(NPlusOneRewrite, ParameterFirst) {
  BatchedRewrite r = RewriteBatched(
      "SELECT order_items.id AS order_items_id FROM order_items WHERE $1 = order_items.order_id",
      "");
  EXPECT_EQ(r.statement,
            "SELECT order_items.id AS order_items_id FROM order_items WHERE order_items.order_id = "
            "ANY($1)");
  EXPECT_EQ(r.column, "order_items.order_id");
}

TEST(NPlusOneRewrite, NoSpaces) {
  BatchedRewrite r = RewriteBatched("select e1_0.id from employees e1_0 where e1_0.dept_id=$1", "");
  EXPECT_EQ(r.statement, "select e1_0.id from employees e1_0 where e1_0.dept_id=ANY($1)");
}

TEST(NPlusOneRewrite, Pagination) {
  EXPECT_TRUE(PagesWithOffset("SELECT id FROM posts ORDER BY id LIMIT $1 OFFSET $2"));
  EXPECT_TRUE(
      PagesWithOffset("select p1_0.id from posts p1_0 offset ? rows fetch first ? rows only"));
  EXPECT_FALSE(PagesWithOffset("SELECT id FROM posts WHERE note = 'offset' LIMIT $1"));
  EXPECT_FALSE(PagesWithOffset("SELECT offset_x FROM t WHERE id = $1"));
  EXPECT_FALSE(PagesWithOffset("SELECT \"offset\" FROM t WHERE id = $1"));
  EXPECT_FALSE(PagesWithOffset("SELECT * FROM users WHERE id = $1 LIMIT $2"));
}

TEST(NPlusOneRewrite, QuotedColumn) {
  BatchedRewrite r = RewriteBatched("SELECT * FROM \"Users\" WHERE \"UserId\" = $1", "");
  EXPECT_EQ(r.statement, "SELECT * FROM \"Users\" WHERE \"UserId\" = ANY($1)");
}

}  // namespace
}  // namespace dbopt::antipatterns
