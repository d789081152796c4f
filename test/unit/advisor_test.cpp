// Index advisor: candidate generation and workload-wide selection against a synthetic cost
// oracle that reads the candidates' CREATE INDEX texts the way a planner would use them.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "catalog_builder.hpp"
#include "core/advisor/candidates.hpp"
#include "core/advisor/render.hpp"
#include "core/advisor/selection.hpp"

namespace dbopt::advisor {
namespace {

using capture::QualKind;
using capture::QualOperand;
using test::CatalogBuilder;

Predicate Pred(const std::string& column, QualKind kind,
               QualOperand operand = QualOperand::kConstant) {
  Predicate p;
  p.column = column;
  p.kind = kind;
  p.operand = operand;
  return p;
}

std::vector<std::string> Ddls(const std::vector<Candidate>& candidates) {
  std::vector<std::string> out;
  for (const Candidate& c : candidates) out.push_back(c.Ddl());
  return out;
}

bool Has(const std::vector<Candidate>& candidates, const std::string& ddl) {
  const std::vector<std::string> ddls = Ddls(candidates);
  return std::find(ddls.begin(), ddls.end(), ddl) != ddls.end();
}

const Candidate* Find(const std::vector<Candidate>& candidates, const std::string& ddl) {
  for (const Candidate& c : candidates)
    if (c.Ddl() == ddl) return &c;
  return nullptr;
}

std::string Dump(const std::vector<Candidate>& candidates) {
  std::string out;
  for (const Candidate& c : candidates) out += c.Ddl() + "\n";
  return out;
}

class CandidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Table& orders = builder.AddTable("orders", {"id", "customer_id", "status:text", "created",
                                                "total", "note:text", "deleted_at"});
    orders.rows = 1e6;
    orders.columns[1].n_distinct = 50000;  // customer_id: selective
    orders.columns[2].n_distinct = 5;      // status: not
    orders.columns[6].null_fraction = 0.02;
    orders_id = orders.id;
    Index& pk = builder.AddIndex(orders, "orders_pkey", {"id"});
    pk.primary = true;
    pk.unique = true;
  }
  const Table& orders() { return *builder.catalog().FindTable(orders_id); }
  Query Single(const TableUse& use, bool limit = false) {
    Query q;
    q.queryid = 1;
    q.calls = 100;
    q.has_limit = limit;
    q.tables = {use};
    return q;
  }
  std::vector<Candidate> Generate(const std::vector<TableUse>& uses,
                                  const CandidateOptions& options = {}) {
    Workload w;
    for (const TableUse& use : uses) w.queries.push_back(Single(use));
    return GenerateCandidates(builder.Build(), w, options);
  }
  TableUse Use(std::vector<Predicate> predicates) {
    TableUse use;
    use.table_id = orders_id;
    use.predicates = std::move(predicates);
    return use;
  }
  CatalogBuilder builder;
  ObjectId orders_id = 0;
};

TEST_F(CandidateTest, EqualityMostSelectiveFirstThenRange) {
  auto c = Generate({Use({Pred("status", QualKind::kEquality), Pred("created", QualKind::kRange),
                          Pred("customer_id", QualKind::kEquality, QualOperand::kParameter)})});
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (customer_id, status)")) << Dump(c);
  EXPECT_FALSE(Has(c, "CREATE INDEX ON public.orders USING btree (status, customer_id)"));
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (customer_id, status, created)"));
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (customer_id)"));
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (created)"));
  // Range column never before an equality column.
  EXPECT_FALSE(Has(c, "CREATE INDEX ON public.orders USING btree (created, customer_id)"));
  EXPECT_EQ(Find(c, "CREATE INDEX ON public.orders USING btree (customer_id, status)")->kind,
            CandidateKind::kMultiColumn);
}

TEST_F(CandidateTest, MaxColumnsHolds) {
  CandidateOptions options;
  options.max_columns = 2;
  auto c = Generate({Use({Pred("status", QualKind::kEquality), Pred("created", QualKind::kRange),
                          Pred("customer_id", QualKind::kEquality)})},
                    options);
  for (const Candidate& candidate : c) EXPECT_LE(candidate.keys.size(), 2u) << candidate.Ddl();
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (customer_id, created)"))
      << Dump(c);
}

TEST_F(CandidateTest, JoinColumn) {
  auto c = Generate({Use({Pred("customer_id", QualKind::kEquality, QualOperand::kOuter)})});
  const Candidate* join = Find(c, "CREATE INDEX ON public.orders USING btree (customer_id)");
  ASSERT_NE(join, nullptr) << Dump(c);
  EXPECT_EQ(join->kind, CandidateKind::kJoin);
}

TEST_F(CandidateTest, OrderByLimitAfterEqualityColumns) {
  TableUse use = Use({Pred("customer_id", QualKind::kEquality)});
  use.order_by = {{"created", true}};
  auto c = Generate({use});
  const Candidate* sort =
      Find(c, "CREATE INDEX ON public.orders USING btree (customer_id, created)");
  ASSERT_NE(sort, nullptr) << Dump(c);
  EXPECT_EQ(sort->kind, CandidateKind::kSort);
  // Mixed directions keep them.
  use.order_by = {{"created", true}, {"id", false}};
  c = Generate({use});
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (customer_id, created DESC, id)"))
      << Dump(c);
  // An IN list does not precede the sort keys (its values come one after another).
  TableUse in = Use({Pred("customer_id", QualKind::kIn)});
  in.order_by = {{"created", false}};
  c = Generate({in});
  EXPECT_FALSE(Has(c, "CREATE INDEX ON public.orders USING btree (customer_id, created)"));
  EXPECT_TRUE(Has(c, "CREATE INDEX ON public.orders USING btree (created)")) << Dump(c);
}

TEST_F(CandidateTest, GroupBy) {
  TableUse use = Use({});
  use.group_by = {"status"};
  auto c = Generate({use});
  const Candidate* group = Find(c, "CREATE INDEX ON public.orders USING btree (status)");
  ASSERT_NE(group, nullptr) << Dump(c);
  EXPECT_EQ(group->kind, CandidateKind::kGroup);
}

TEST_F(CandidateTest, CoveringOnlyWhenColumnsAreKnown) {
  TableUse use = Use({Pred("customer_id", QualKind::kEquality)});
  auto c = Generate({use});
  for (const Candidate& candidate : c) EXPECT_TRUE(candidate.include.empty());
  use.columns_read = {"customer_id", "total", "created"};
  c = Generate({use});
  const Candidate* covering =
      Find(c, "CREATE INDEX ON public.orders USING btree (customer_id) INCLUDE (total, created)");
  ASSERT_NE(covering, nullptr) << Dump(c);
  EXPECT_EQ(covering->kind, CandidateKind::kCovering);
  // Too many columns to include: none.
  use.columns_read = {"customer_id", "id", "status", "created", "total", "note"};
  c = Generate({use});
  for (const Candidate& candidate : c) EXPECT_TRUE(candidate.include.empty()) << candidate.Ddl();
}

TEST_F(CandidateTest, PartialForRareConstantOnly) {
  Predicate pending = Pred("status", QualKind::kEquality);
  pending.condition = "status = 'pending'";
  pending.selectivity = 0.01;
  TableUse use = Use({pending});
  use.order_by = {{"created", false}};
  auto c = Generate({use});
  const Candidate* partial =
      Find(c, "CREATE INDEX ON public.orders USING btree (created) WHERE status = 'pending'");
  ASSERT_NE(partial, nullptr) << Dump(c);
  EXPECT_EQ(partial->kind, CandidateKind::kPartial);
  EXPECT_EQ(partial->Columns(), (std::vector<std::string>{"created", "status"}));
  use.columns_read = {"id", "status", "created"};
  c = Generate({use});
  EXPECT_TRUE(Has(c,
                  "CREATE INDEX ON public.orders USING btree (created) INCLUDE (id) WHERE "
                  "status = 'pending'"))
      << Dump(c);
  use.columns_read.clear();
  // A common value: no partial index.
  use.predicates[0].selectivity = 0.4;
  c = Generate({use});
  for (const Candidate& candidate : c) EXPECT_TRUE(candidate.predicate.empty()) << candidate.Ddl();
  // A constant on a column of many values (one value of what is really a parameter): no.
  Predicate customer = Pred("customer_id", QualKind::kEquality);
  customer.condition = "customer_id = 42";
  customer.selectivity = 0.00002;
  use.predicates = {customer};
  c = Generate({use});
  for (const Candidate& candidate : c) EXPECT_TRUE(candidate.predicate.empty()) << candidate.Ddl();
  use.predicates = {pending};
  // A parameter: no constant to put in the predicate.
  use.predicates[0].selectivity = 0.01;
  use.predicates[0].operand = QualOperand::kParameter;
  c = Generate({use});
  for (const Candidate& candidate : c) EXPECT_TRUE(candidate.predicate.empty()) << candidate.Ddl();
}

TEST_F(CandidateTest, PartialIsNullFromNullFraction) {
  auto c = Generate({Use({Pred("deleted_at", QualKind::kIsNull, QualOperand::kNone),
                          Pred("customer_id", QualKind::kEquality)})});
  EXPECT_TRUE(
      Has(c, "CREATE INDEX ON public.orders USING btree (customer_id) WHERE deleted_at IS NULL"))
      << Dump(c);
  // IS NOT NULL keeps 98%: not partial.
  c = Generate({Use({Pred("deleted_at", QualKind::kIsNotNull, QualOperand::kNone),
                     Pred("customer_id", QualKind::kEquality)})});
  for (const Candidate& candidate : c) EXPECT_TRUE(candidate.predicate.empty()) << candidate.Ddl();
}

TEST_F(CandidateTest, TrigramForLeadingWildcardOnly) {
  Predicate like = Pred("note", QualKind::kLike);
  like.leading_wildcard = true;
  auto c = Generate({Use({like})});
  const Candidate* trigram = Find(c, "CREATE INDEX ON public.orders USING gin (note gin_trgm_ops)");
  ASSERT_NE(trigram, nullptr) << Dump(c);
  EXPECT_EQ(trigram->kind, CandidateKind::kTrigram);
  EXPECT_EQ(trigram->requires_extension, "pg_trgm");
  like.leading_wildcard = false;
  for (const Candidate& candidate : Generate({Use({like})}))
    EXPECT_NE(candidate.kind, CandidateKind::kTrigram) << candidate.Ddl();
  like.leading_wildcard = true;
  CandidateOptions no_trgm;
  no_trgm.trigram = false;
  EXPECT_TRUE(Generate({Use({like})}, no_trgm).empty());
  // Not on a non-text column.
  Predicate numeric = Pred("total", QualKind::kLike);
  numeric.leading_wildcard = true;
  EXPECT_TRUE(Generate({Use({numeric})}).empty());
}

TEST_F(CandidateTest, PatternOpclassForAnchoredPattern) {
  Predicate like = Pred("note", QualKind::kLike);  // LIKE 'abc%'
  auto c = Generate({Use({like, Pred("customer_id", QualKind::kEquality)})});
  const Candidate* prefix =
      Find(c, "CREATE INDEX ON public.orders USING btree (note text_pattern_ops)");
  ASSERT_NE(prefix, nullptr) << Dump(c);
  EXPECT_EQ(prefix->kind, CandidateKind::kSingle);
  EXPECT_TRUE(
      Has(c, "CREATE INDEX ON public.orders USING btree (customer_id, note text_pattern_ops)"))
      << Dump(c);
  // An anchored regex too; not ILIKE (a B-tree cannot fold case), not a leading wildcard, not
  // a column that is not text.
  Predicate regex = Pred("note", QualKind::kRegex);
  EXPECT_TRUE(Has(Generate({Use({regex})}),
                  "CREATE INDEX ON public.orders USING btree (note text_pattern_ops)"));
  Predicate ilike = like;
  ilike.case_insensitive = true;
  Predicate leading = like;
  leading.leading_wildcard = true;
  Predicate numeric = Pred("total", QualKind::kLike);
  for (const Predicate& p : {ilike, leading, numeric})
    for (const Candidate& candidate : Generate({Use({p})}))
      EXPECT_EQ(candidate.Ddl().find("pattern_ops"), std::string::npos) << candidate.Ddl();
}

TEST_F(CandidateTest, ExpressionKey) {
  Predicate lower;
  lower.expression = "lower(note)";
  lower.kind = QualKind::kEquality;
  lower.operand = QualOperand::kParameter;
  auto c = Generate({Use({lower})});
  const Candidate* expression =
      Find(c, "CREATE INDEX ON public.orders USING btree ((lower(note)))");
  ASSERT_NE(expression, nullptr) << Dump(c);
  EXPECT_EQ(expression->kind, CandidateKind::kExpression);
  EXPECT_EQ(expression->NameParts(), std::vector<std::string>{"lower_note"});
}

TEST_F(CandidateTest, NeverDuplicatesExistingIndexOrPrimaryKey) {
  // Primary key on id: an equality on id gets nothing.
  EXPECT_TRUE(Generate({Use({Pred("id", QualKind::kEquality)})}).empty());
  builder.AddIndex(orders(), "orders_customer_created", {"customer_id", "created"});
  auto c = Generate(
      {Use({Pred("customer_id", QualKind::kEquality), Pred("created", QualKind::kRange)})});
  // (customer_id) is a prefix of the existing index: only (created) is new.
  EXPECT_EQ(Ddls(c),
            std::vector<std::string>{"CREATE INDEX ON public.orders USING btree (created)"});
}

TEST_F(CandidateTest, ExistingExpressionAndPartialIndexesByDefinitionText) {
  Index& lower = builder.AddIndex(orders(), "orders_lower_note", {"(lower(note))"});
  lower.definition = "CREATE INDEX orders_lower_note ON public.orders USING btree (lower(note))";
  Index& partial = builder.AddIndex(orders(), "orders_created_pending", {"created"});
  partial.predicate = "{OPEXPR ...}";
  partial.definition =
      "CREATE INDEX orders_created_pending ON public.orders USING btree (created) WHERE "
      "(status = 'pending'::text)";
  Predicate l;
  l.expression = "lower(note)";
  l.kind = QualKind::kEquality;
  l.operand = QualOperand::kParameter;
  Predicate pending = Pred("status", QualKind::kEquality);
  pending.condition = "status = 'pending'";
  pending.selectivity = 0.01;
  TableUse use = Use({l, pending});
  use.order_by = {{"created", false}};
  auto c = Generate({use});
  EXPECT_FALSE(Has(c, "CREATE INDEX ON public.orders USING btree ((lower(note)))")) << Dump(c);
  EXPECT_FALSE(Has(c,
                   "CREATE INDEX ON public.orders USING btree (created) WHERE status = "
                   "'pending'"))
      << Dump(c);
}

TEST_F(CandidateTest, WideningAnExistingIndex) {
  Index& existing = builder.AddIndex(orders(), "orders_customer", {"customer_id"});
  auto c = Generate(
      {Use({Pred("customer_id", QualKind::kEquality), Pred("created", QualKind::kRange)})});
  const Candidate* widen =
      Find(c, "CREATE INDEX ON public.orders USING btree (customer_id, created)");
  ASSERT_NE(widen, nullptr) << Dump(c);
  EXPECT_EQ(widen->kind, CandidateKind::kWiden);
  EXPECT_EQ(widen->replaces, existing.id);
  // A unique index is a constraint: never replaced.
  builder.catalog().indexes[existing.id].unique = true;
  c = Generate(
      {Use({Pred("customer_id", QualKind::kEquality), Pred("created", QualKind::kRange)})});
  widen = Find(c, "CREATE INDEX ON public.orders USING btree (customer_id, created)");
  ASSERT_NE(widen, nullptr);
  EXPECT_EQ(widen->kind, CandidateKind::kMultiColumn);
  EXPECT_EQ(widen->replaces, 0u);
}

TEST_F(CandidateTest, QueriesListedAndDeduplicated) {
  auto c = Generate(
      {Use({Pred("customer_id", QualKind::kEquality)}), Use({Pred("customer_id", QualKind::kIn)})});
  ASSERT_EQ(c.size(), 1u) << Dump(c);
  EXPECT_EQ(c[0].queries, (std::vector<std::size_t>{0, 1}));
}

TEST(WorkloadFromCaptureTest, AccessRecordsBecomeTableUses) {
  CatalogBuilder builder;
  Table& t = builder.AddTable("t", {"a", "b", "c"});
  const ObjectId id = t.id;
  const Catalog& catalog = builder.Build();
  capture::WorkloadEntry entry;
  entry.queryid = 42;
  entry.query = "SELECT * FROM t WHERE a = $1 ORDER BY b DESC LIMIT $2";
  entry.calls = 7;
  entry.limit_calls = 1;
  capture::WorkloadAccess access;
  access.relid = id;
  capture::QualShape shape{};
  shape.attnum = 1;
  shape.kind = QualKind::kEquality;
  shape.operand = QualOperand::kParameter;
  access.quals = {shape, shape};
  access.qual_columns = {"", ""};
  entry.access = {access};
  capture::WorkloadOrderKey key;
  key.relid = id;
  key.attnum = 2;
  key.descending = true;
  entry.order_keys = {key};
  capture::WorkloadEntry unknown;
  unknown.access = {capture::WorkloadAccess{}};
  Workload w = WorkloadFromCapture({entry, unknown}, catalog);
  ASSERT_EQ(w.queries.size(), 1u);
  const Query& q = w.queries[0];
  EXPECT_EQ(q.queryid, 42);
  EXPECT_EQ(q.calls, 7);
  EXPECT_TRUE(q.has_limit);
  EXPECT_FALSE(q.is_write);
  ASSERT_EQ(q.tables.size(), 1u);
  ASSERT_EQ(q.tables[0].predicates.size(), 1u);
  EXPECT_EQ(q.tables[0].predicates[0].column, "a");
  ASSERT_EQ(q.tables[0].order_by.size(), 1u);
  EXPECT_EQ(q.tables[0].order_by[0].column, "b");
  EXPECT_TRUE(q.tables[0].order_by[0].descending);
}

// ---- selection ----

// A planner in miniature. Each query reads one table of `rows` rows with equality
// selectivities per column and optionally one range column; a btree index serves its longest
// key prefix of equality columns (then the range column). Cost: a sequential scan reads all
// rows; an index scan 4 + 3 × matching rows. With several indexes the cheapest plan wins (no
// adding up). Size: rows × (16 + 8 × columns).
class SyntheticOracle : public CostOracle {
 public:
  struct Q {
    std::string table;  // qualified name as in the DDL
    double rows = 0;
    std::map<std::string, double> equality;
    std::string range;
    double range_selectivity = 1;
  };
  std::vector<Q> queries;
  std::map<std::string, double> table_rows;
  std::size_t calls = 0;
  std::map<std::size_t, std::set<std::vector<std::string>>> asked;

  // Reports the index of the cheapest plan as used (the planner's behaviour the interval
  // cache relies on), unless report_used is off.
  bool report_used = true;

  double Cost(std::size_t query, const std::vector<std::string>& ddls) override {
    std::size_t best_index = ddls.size();
    return Plan(query, ddls, &best_index);
  }
  double CostUsing(std::size_t query, const std::vector<std::string>& ddls,
                   std::vector<std::size_t>* used) override {
    if (!report_used) return CostOracle::CostUsing(query, ddls, used);
    std::size_t best_index = ddls.size();
    const double cost = Plan(query, ddls, &best_index);
    used->clear();
    if (best_index < ddls.size()) used->push_back(best_index);
    return cost;
  }
  double Plan(std::size_t query, const std::vector<std::string>& ddls, std::size_t* best_index) {
    ++calls;
    asked[query].insert(ddls);
    const Q& q = queries[query];
    double best = q.rows;
    for (std::size_t i = 0; i < ddls.size(); ++i) {
      const std::string& ddl = ddls[i];
      std::string table;
      std::vector<std::string> keys;
      Parse(ddl, &table, &keys);
      EXPECT_EQ(table, q.table) << "index on another table passed for query " << query;
      if (table != q.table) continue;
      double selectivity = 1;
      bool used = false;
      for (const std::string& key : keys) {
        auto eq = q.equality.find(key);
        if (eq != q.equality.end()) {
          selectivity *= eq->second;
          used = true;
          continue;
        }
        if (key == q.range) {
          selectivity *= q.range_selectivity;
          used = true;
        }
        break;
      }
      if (used && 4 + 3 * q.rows * selectivity < best) {
        best = 4 + 3 * q.rows * selectivity;
        *best_index = i;
      }
    }
    return best;
  }
  double SizeBytes(const std::string& ddl) override {
    std::string table;
    std::vector<std::string> keys;
    Parse(ddl, &table, &keys);
    return table_rows[table] * (16 + 8 * keys.size());
  }
  static void Parse(const std::string& ddl, std::string* table, std::vector<std::string>* keys) {
    const std::string on = "CREATE INDEX ON ";
    std::size_t start = on.size();
    std::size_t space = ddl.find(' ', start);
    *table = ddl.substr(start, space - start);
    std::size_t open = ddl.find('(');
    std::size_t close = ddl.find(')');
    std::stringstream list(ddl.substr(open + 1, close - open - 1));
    std::string key;
    while (std::getline(list, key, ',')) {
      while (!key.empty() && key[0] == ' ') key.erase(0, 1);
      keys->push_back(key);
    }
  }
};

// A random instance: tables t0..t{n-1}, each with columns c0..c4 of random n_distinct, and
// queries with one to three equality columns and sometimes a range column.
struct Instance {
  CatalogBuilder builder;
  Workload workload;
  SyntheticOracle oracle;
  std::vector<ObjectId> tables;

  void AddQuery(std::size_t table_index, const std::vector<std::pair<std::string, double>>& eq,
                const std::string& range, double range_selectivity, double calls) {
    const Table& table = *builder.catalog().FindTable(tables[table_index]);
    Query q;
    q.queryid = static_cast<std::int64_t>(workload.queries.size() + 1);
    q.calls = calls;
    TableUse use;
    use.table_id = table.id;
    SyntheticOracle::Q sq;
    sq.table = QualifiedName(table);
    sq.rows = table.rows;
    for (const auto& [column, selectivity] : eq) {
      Predicate p = Pred(column, QualKind::kEquality, QualOperand::kParameter);
      p.selectivity = selectivity;
      use.predicates.push_back(p);
      sq.equality[column] = selectivity;
    }
    if (!range.empty()) {
      use.predicates.push_back(Pred(range, QualKind::kRange, QualOperand::kParameter));
      sq.range = range;
      sq.range_selectivity = range_selectivity;
    }
    q.tables = {use};
    workload.queries.push_back(q);
    oracle.queries.push_back(sq);
  }
  void AddTable(const std::string& name, double rows) {
    Table& t = builder.AddTable(name, {"c0", "c1", "c2", "c3", "c4"});
    t.rows = rows;
    tables.push_back(t.id);
    oracle.table_rows[QualifiedName(t)] = rows;
  }
};

std::unique_ptr<Instance> RandomInstance(unsigned seed, int tables, int queries) {
  auto instance = std::make_unique<Instance>();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int t = 0; t < tables; ++t)
    instance->AddTable("t" + std::to_string(t), 1e4 * (1 + 99 * unit(rng)));
  const std::vector<double> selectivities = {0.5, 0.1, 0.01, 0.001, 0.0001};
  for (int i = 0; i < queries; ++i) {
    const int table = static_cast<int>(rng() % tables);
    const int equality = 1 + static_cast<int>(rng() % 2);
    std::vector<std::string> columns = {"c0", "c1", "c2", "c3", "c4"};
    std::shuffle(columns.begin(), columns.end(), rng);
    std::vector<std::pair<std::string, double>> eq;
    for (int e = 0; e < equality; ++e)
      eq.push_back({columns[e], selectivities[std::stoi(columns[e].substr(1))]});
    std::string range = rng() % 2 ? columns[equality] : "";
    instance->AddQuery(table, eq, range, 0.05, 1 + std::floor(100 * unit(rng)));
  }
  instance->builder.Build();
  return instance;
}

TEST(SelectionTest, ParseSizeBytes) {
  EXPECT_EQ(ParseSizeBytes("100MB"), 100.0 * 1024 * 1024);
  EXPECT_EQ(ParseSizeBytes(" 1.5 gb "), 1.5 * 1024 * 1024 * 1024);
  EXPECT_EQ(ParseSizeBytes("512kB"), 512.0 * 1024);
  EXPECT_EQ(ParseSizeBytes("1048576"), 1048576.0);
  EXPECT_EQ(ParseSizeBytes("10 bytes"), 10.0);
  for (const char* bad : {"", "MB", "-1MB", "1.2.3", "10 parsecs", "10MB x", "."})
    EXPECT_THROW(ParseSizeBytes(bad), std::invalid_argument) << bad;
}

TEST(SelectionTest, ParseAlgorithm) {
  Algorithm a;
  EXPECT_TRUE(ParseAlgorithm("extend", &a));
  EXPECT_EQ(a, Algorithm::kExtend);
  EXPECT_TRUE(ParseAlgorithm("dbopt", &a));
  EXPECT_EQ(a, Algorithm::kDbopt);
  EXPECT_FALSE(ParseAlgorithm("Extend", &a));
  EXPECT_STREQ(AlgorithmName(Algorithm::kExhaustive), "exhaustive");
}

Selection Advise(Instance& instance, const SelectionOptions& options,
                 const CandidateOptions& candidate_options = {}) {
  const Catalog& catalog = instance.builder.catalog();
  std::vector<Candidate> candidates =
      GenerateCandidates(catalog, instance.workload, candidate_options);
  return SelectIndexes(catalog, instance.workload, candidates, instance.oracle, options);
}

TEST(SelectionTest, InteractingIndexesAreNotAddedUp) {
  Instance instance;
  instance.AddTable("t0", 1e6);
  instance.AddQuery(0, {{"c1", 0.001}, {"c2", 0.01}}, "", 1, 10);
  instance.builder.Build();
  // Only the two single-column candidates: the second one helps the query no further once
  // the first is there (the cheaper plan wins, costs are not added).
  const Catalog& catalog = instance.builder.catalog();
  const Table& t = *catalog.FindTable(instance.tables[0]);
  std::vector<Candidate> candidates = {BtreeCandidate(t, {"c1"}), BtreeCandidate(t, {"c2"})};
  SelectionOptions options;
  options.max_columns = 1;  // Extend (a start of dbopt's search) would widen (c1) otherwise
  Selection s = SelectIndexes(catalog, instance.workload, candidates, instance.oracle, options);
  ASSERT_EQ(s.recommendations.size(), 1u);
  EXPECT_EQ(s.recommendations[0].index.Ddl(), "CREATE INDEX ON public.t0 USING btree (c1)");
  EXPECT_DOUBLE_EQ(s.cost_after, 10 * (4 + 3 * 1e6 * 0.001));
  EXPECT_DOUBLE_EQ(s.cost_before, 10 * 1e6);
  ASSERT_EQ(s.recommendations[0].queries.size(), 1u);
  EXPECT_DOUBLE_EQ(s.recommendations[0].queries[0].cost_before, 1e6);
  EXPECT_DOUBLE_EQ(s.recommendations[0].queries[0].cost_after, 4 + 3000);
  EXPECT_DOUBLE_EQ(s.recommendations[0].benefit, s.cost_before - s.cost_after);
}

TEST(SelectionTest, BudgetAndCountLimitsHold) {
  for (Algorithm algorithm : {Algorithm::kDbopt, Algorithm::kExtend}) {
    for (unsigned seed = 1; seed <= 5; ++seed) {
      auto instance = RandomInstance(seed, 3, 12);
      SelectionOptions unlimited;
      unlimited.algorithm = algorithm;
      Selection all = Advise(*instance, unlimited);
      ASSERT_GE(all.recommendations.size(), 2u);
      SelectionOptions budget = unlimited;
      budget.budget_bytes = all.bytes_used / 2;
      Selection half = Advise(*instance, budget);
      EXPECT_LE(half.bytes_used, budget.budget_bytes);
      double sum = 0;
      for (const Recommendation& r : half.recommendations) sum += r.size_bytes;
      EXPECT_LE(sum, budget.budget_bytes);
      EXPECT_GE(half.cost_after, all.cost_after - 1e-6);
      SelectionOptions count = unlimited;
      count.max_indexes = 1;
      Selection one = Advise(*instance, count);
      EXPECT_EQ(one.recommendations.size(), 1u);
      SelectionOptions none = unlimited;
      none.budget_bytes = 1;
      EXPECT_TRUE(Advise(*instance, none).recommendations.empty());
    }
  }
}

// The worthwhile-benefit floor: an index whose benefit share of the workload's cost is below
// min_benefit_per_size × its size share of the data read is left out, whatever the algorithm;
// a good index stays.
TEST(SelectionTest, BenefitFloorDropsMarginalIndexes) {
  Instance instance;
  instance.AddTable("t0", 1e6);
  instance.AddTable("t1", 1e6);
  instance.AddQuery(0, {{"c1", 0.001}}, "", 1, 1000);  // 1e9 -> 3e6: the workload's cost
  instance.AddQuery(1, {{"c2", 0.001}}, "", 1, 1);     // 1e6 -> 3004: 0.1% of it
  instance.builder.Build();
  Catalog& catalog = instance.builder.catalog();
  for (ObjectId id : instance.tables) catalog.tables[id].pages = 100.0 * 1024 * 1024 / 8192;
  // Each index is 24 MB (SyntheticOracle): 12% of the 200 MB read.
  for (Algorithm algorithm : {Algorithm::kDbopt, Algorithm::kExtend, Algorithm::kExhaustive}) {
    SelectionOptions options;
    options.algorithm = algorithm;
    options.max_columns = 1;
    const Selection all = Advise(instance, options);
    EXPECT_EQ(all.recommendations.size(), 2u) << AlgorithmName(algorithm);
    EXPECT_EQ(all.below_floor, 0u);
    options.min_benefit_per_size = 0.1;  // 12% of the data must save 1.2% of the cost
    const Selection floored = Advise(instance, options);
    ASSERT_EQ(floored.recommendations.size(), 1u) << AlgorithmName(algorithm);
    EXPECT_EQ(floored.recommendations[0].index.Ddl(), "CREATE INDEX ON public.t0 USING btree (c1)");
    EXPECT_GE(floored.below_floor, 1u) << AlgorithmName(algorithm);
    EXPECT_GT(floored.cost_after, all.cost_after);
    options.min_benefit_per_size = 0.005;  // 0.06% of the cost: both pay
    EXPECT_EQ(Advise(instance, options).recommendations.size(), 2u) << AlgorithmName(algorithm);
  }
}

TEST(SelectionTest, WriteCostCanMakeAnIndexNotWorthIt) {
  Instance instance;
  instance.AddTable("t0", 1e5);
  instance.AddQuery(0, {{"c1", 0.001}}, "", 1, 10);  // saves 10 × (1e5 − 304) ≈ 1e6
  instance.builder.Build();
  Selection cheap_writes = Advise(instance, {});
  ASSERT_EQ(cheap_writes.recommendations.size(), 1u);
  instance.workload.writes[instance.tables[0]].inserted = 2e6;  // 2e6 index entries
  Selection heavy = Advise(instance, {});
  EXPECT_TRUE(heavy.recommendations.empty());
  EXPECT_DOUBLE_EQ(heavy.cost_after, heavy.cost_before);
  // Few inserts: worth it, and the write cost is reported.
  instance.workload.writes[instance.tables[0]].inserted = 1000;
  Selection some = Advise(instance, {});
  ASSERT_EQ(some.recommendations.size(), 1u);
  EXPECT_DOUBLE_EQ(some.recommendations[0].write_cost, 1000);
  EXPECT_DOUBLE_EQ(some.write_cost_after, 1000);
}

TEST(SelectionTest, LostHotUpdatesCount) {
  Instance instance;
  instance.AddTable("t0", 1e5);
  instance.AddQuery(0, {{"c1", 0.001}}, "", 1, 10);
  instance.builder.Build();
  instance.builder.AddIndex(*instance.builder.catalog().FindTable(instance.tables[0]), "t0_pk",
                            {"c0"});
  instance.builder.Build();
  TableWrites& writes = instance.workload.writes[instance.tables[0]];
  writes.updated = 1000;
  writes.hot_updated = 1000;
  Selection hot = Advise(instance, {});
  ASSERT_EQ(hot.recommendations.size(), 1u);
  EXPECT_DOUBLE_EQ(hot.recommendations[0].write_cost, 0);  // other columns updated: stays HOT
  writes.updated_columns["c1"] = 600;
  Selection lost = Advise(instance, {});
  ASSERT_EQ(lost.recommendations.size(), 1u);
  // 600 updates no longer HOT: an entry in both indexes each, plus the heap work; and the
  // old versions' 600 dead entries in both for VACUUM, whose extra cycles read the new index
  // (core/advisor/write_cost; the existing index has no pages here).
  const double cycles = 600 / (50 + 0.2 * 1e5);
  EXPECT_NEAR(lost.recommendations[0].write_cost,
              600 * 2 + 600 + 600 * 2 * 0.01 + cycles * lost.recommendations[0].size_bytes / 8192,
              1e-6);
}

TEST(SelectionTest, CostsCachedPerQueryAndRelevantIndexes) {
  auto instance = RandomInstance(7, 3, 12);
  Selection s = Advise(*instance, {});
  // Every request was for a distinct (query, indexes on its tables) pair.
  std::size_t distinct = 0;
  for (const auto& [query, sets] : instance->oracle.asked) distinct += sets.size();
  EXPECT_EQ(instance->oracle.calls, distinct);
  EXPECT_EQ(s.cost_requests, instance->oracle.calls);
  EXPECT_GT(s.evaluations, s.cost_requests / 4);
}

TEST(MayServeTest, LeadingColumnTestedSortedGroupedOrReadByAFullScan) {
  CatalogBuilder builder;
  Table& t = builder.AddTable("t", {"a", "b", "c", "d"});
  Table& u = builder.AddTable("u", {"a"});
  builder.Build();
  TableUse use;
  use.table_id = t.id;
  use.predicates = {Pred("a", QualKind::kEquality)};
  use.order_by = {SortKey{"b", true}};
  use.group_by = {"c"};
  use.columns_read = {"a", "b", "c", "d"};
  EXPECT_TRUE(MayServe(BtreeCandidate(t, {"a", "d"}), use));
  EXPECT_TRUE(MayServe(BtreeCandidate(t, {"b"}), use));
  EXPECT_TRUE(MayServe(BtreeCandidate(t, {"c"}), use));
  EXPECT_FALSE(MayServe(BtreeCandidate(t, {"d", "a"}), use));  // leads with a column read only
  EXPECT_FALSE(MayServe(BtreeCandidate(u, {"a"}), use));       // another table
  Candidate partial = BtreeCandidate(t, {"d"});
  partial.predicate = "a = 1";
  partial.predicate_columns = {"a"};
  EXPECT_TRUE(MayServe(partial, use));
  Candidate expression = BtreeCandidate(t, {"d"});
  expression.keys[0] = IndexKey{"", "lower(d)", false, ""};
  EXPECT_TRUE(MayServe(expression, use));
  // No condition on the table: an index-only scan or min()/max() may read the index.
  TableUse scan;
  scan.table_id = t.id;
  scan.columns_read = {"d"};
  EXPECT_TRUE(MayServe(BtreeCandidate(t, {"d"}), scan));
  EXPECT_FALSE(MayServe(BtreeCandidate(t, {"a"}), scan));
  scan.columns_read.clear();  // unknown
  EXPECT_TRUE(MayServe(BtreeCandidate(t, {"a"}), scan));
}

TEST(CostCacheTest, ExactAndIntervalHits) {
  CostCache cache(2);
  double cost = 0;
  IdSet used;
  EXPECT_FALSE(cache.Find(0, {1, 2, 3}, &cost));
  cache.Insert(0, {1, 2, 3}, {2}, 5);
  EXPECT_TRUE(cache.Find(0, {1, 2, 3}, &cost, &used));
  EXPECT_EQ(cost, 5);
  EXPECT_EQ(used, IdSet{2});
  EXPECT_EQ(cache.exact_hits(), 1u);
  // Every set between the used {2} and the planned {1, 2, 3} has the same plan.
  for (const IdSet& set : {IdSet{2}, IdSet{1, 2}, IdSet{2, 3}}) {
    cost = 0;
    EXPECT_TRUE(cache.Find(0, set, &cost)) << set.size();
    EXPECT_EQ(cost, 5);
  }
  EXPECT_EQ(cache.interval_hits(), 3u);
  // Without the used index, or with an index never planned with, it is unknown.
  for (const IdSet& set : {IdSet{}, IdSet{1}, IdSet{1, 3}, IdSet{2, 4}, IdSet{1, 2, 3, 4}})
    EXPECT_FALSE(cache.Find(0, set, &cost)) << set.size();
  // Another query knows nothing of it.
  EXPECT_FALSE(cache.Find(1, {1, 2, 3}, &cost));
  EXPECT_EQ(cache.plans(), 1u);
}

TEST(CostCacheTest, PlanWithoutCandidatesCoversEverySubset) {
  CostCache cache(1);
  cache.Insert(0, {4, 7, 9}, {}, 100);
  double cost = 0;
  for (const IdSet& set : {IdSet{}, IdSet{4}, IdSet{7, 9}, IdSet{4, 7, 9}}) {
    EXPECT_TRUE(cache.Find(0, set, &cost));
    EXPECT_EQ(cost, 100);
  }
  EXPECT_FALSE(cache.Find(0, {5}, &cost));
}

TEST(CostCacheTest, LargestPlannedSetsKeptAndUsedOutsideSetIgnored) {
  CostCache cache(1);
  cache.Insert(0, {1, 2}, {1}, 7);
  cache.Insert(0, {1, 3}, {1}, 7);
  cache.Insert(0, {1, 2, 3}, {1}, 7);  // covers both earlier sets
  double cost = 0;
  EXPECT_TRUE(cache.Find(0, {1, 3}, &cost));
  EXPECT_TRUE(cache.Find(0, {1}, &cost));
  // A used id that is not in the planned set (a caller's mistake) does not widen the interval.
  cache.Insert(0, {5}, {5, 8}, 3);
  IdSet used;
  EXPECT_TRUE(cache.Find(0, {5}, &cost, &used));
  EXPECT_EQ(used, IdSet{5});
  EXPECT_EQ(cost, 3);
  // The same used index with another cost (planner fuzz) stays a plan of its own.
  cache.Insert(0, {1, 4}, {1}, 7.5);
  EXPECT_TRUE(cache.Find(0, {1, 4}, &cost));
  EXPECT_EQ(cost, 7.5);
  EXPECT_TRUE(cache.Find(0, {1, 2}, &cost));
  EXPECT_EQ(cost, 7);
}

TEST(CallBudgetTest, ScaledAndExhausted) {
  EXPECT_EQ(CallBudget::Scaled(1500, 20, 4, 20, 100), 1500u + 400 + 400);
  EXPECT_EQ(CallBudget::Scaled(0, 0, 0, 20, 100), 0u);
  EXPECT_EQ(CallBudget::Scaled(-5, 1, 1, 2, 2), 0u);
  CallBudget unlimited;
  EXPECT_FALSE(unlimited.Exhausted(1000000));
  CallBudget budget{10};
  EXPECT_FALSE(budget.Exhausted(9));
  EXPECT_TRUE(budget.Exhausted(10));
  EXPECT_FALSE(budget.Exhausted(9, 1000000));
  CallBudget evaluations{0, 100};
  EXPECT_FALSE(evaluations.Exhausted(1000000, 99));
  EXPECT_TRUE(evaluations.Exhausted(0, 100));
}

TEST(PruneCandidatesTest, KeepsWhatSomePlanUses) {
  const std::vector<std::size_t> pool = {5, 1, 3, 0, 4};
  std::vector<bool> alone(6), together(6), keep(6);
  alone[1] = true;
  together[3] = true;
  keep[4] = true;
  EXPECT_EQ(PruneCandidates(pool, alone, together, keep), (std::vector<std::size_t>{1, 3, 4}));
  EXPECT_TRUE(PruneCandidates(pool, {}, {}, {}).empty());
}

// The interval cache asks fewer costs of the oracle and selects the same indexes.
TEST(SelectionTest, UsedIndexesSaveCostRequests) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    auto instance = RandomInstance(seed, 3, 12);
    instance->oracle.report_used = false;
    Selection exact = Advise(*instance, {});
    instance->oracle.report_used = true;
    Selection interval = Advise(*instance, {});
    EXPECT_LT(interval.cost_requests, exact.cost_requests) << "seed " << seed;
    EXPECT_GT(interval.interval_hits, 0u);
    EXPECT_NEAR(interval.cost_after, exact.cost_after, 1e-6 * exact.cost_after) << "seed " << seed;
  }
}

// A candidate that no plan uses (on a column no query tests) is not searched; the selection
// is the same without pruning.
TEST(SelectionTest, UnusedCandidatesPruned) {
  auto instance = RandomInstance(11, 2, 8);
  const Catalog& catalog = instance->builder.catalog();
  std::vector<Candidate> candidates =
      GenerateCandidates(catalog, instance->workload, CandidateOptions{});
  for (ObjectId table : instance->tables) {
    // c9 is no column of any query: the synthetic planner never uses an index on it.
    Candidate useless = BtreeCandidate(*catalog.FindTable(table), {"c4"});
    useless.keys[0].column = "c9";
    candidates.push_back(useless);
  }
  SelectionOptions options;
  Selection pruned =
      SelectIndexes(catalog, instance->workload, candidates, instance->oracle, options);
  EXPECT_LE(pruned.searched_candidates + 2, pruned.candidates);
  options.prune_candidates = false;
  Selection full =
      SelectIndexes(catalog, instance->workload, candidates, instance->oracle, options);
  EXPECT_EQ(full.searched_candidates, full.candidates);
  EXPECT_NEAR(pruned.cost_after, full.cost_after, 1e-9 * full.cost_after);
}

// A small planner-call budget stops the optional search early; the result never falls behind
// Extend's and respects the limits.
TEST(SelectionTest, CallBudgetBoundsTheSearch) {
  int fewer = 0;
  for (unsigned seed = 1; seed <= 5; ++seed) {
    auto instance = RandomInstance(seed, 4, 20);
    SelectionOptions options;
    options.exact_cost_limit = 0;
    options.budget_bytes = 2e6;
    Selection unlimited = [&] {
      SelectionOptions o = options;
      o.call_budget_base = 0;
      return Advise(*instance, o);
    }();
    EXPECT_FALSE(unlimited.call_budget_exhausted);
    SelectionOptions tight = options;
    tight.call_budget_base = 1;
    tight.call_budget_per_query = 0;
    tight.call_budget_per_candidate = 0;
    Selection bounded = Advise(*instance, tight);
    EXPECT_TRUE(bounded.call_budget_exhausted);
    EXPECT_LE(bounded.cost_requests, unlimited.cost_requests) << "seed " << seed;
    if (bounded.cost_requests < unlimited.cost_requests) ++fewer;
    EXPECT_LE(bounded.bytes_used, options.budget_bytes);
    SelectionOptions extend = options;
    extend.algorithm = Algorithm::kExtend;
    EXPECT_LE(bounded.cost_after, Advise(*instance, extend).cost_after * (1 + 1e-9));
    EXPECT_LE(unlimited.cost_after, bounded.cost_after * (1 + 1e-9));
  }
  EXPECT_GT(fewer, 0);
}

TEST(SelectionTest, WideningReplacesExistingIndex) {
  Instance instance;
  instance.AddTable("t0", 1e6);
  instance.AddQuery(0, {{"c1", 0.01}}, "c2", 0.01, 10);
  Index& old = instance.builder.AddIndex(*instance.builder.catalog().FindTable(instance.tables[0]),
                                         "t0_c1", {"c1"});
  old.pages = 1e6 * 24 / 8192;
  const ObjectId old_id = old.id;
  instance.builder.Build();
  Selection s = Advise(instance, {});
  ASSERT_EQ(s.recommendations.size(), 1u);
  const Recommendation& r = s.recommendations[0];
  EXPECT_EQ(r.index.Ddl(), "CREATE INDEX ON public.t0 USING btree (c1, c2)");
  EXPECT_EQ(r.index.kind, CandidateKind::kWiden);
  ASSERT_NE(r.replaces, nullptr);
  EXPECT_EQ(r.replaces->id, old_id);
  EXPECT_NEAR(s.bytes_used, 1e6 * 32 - old.pages * 8192, 1);
}

TEST(SelectionTest, ExhaustiveRefusesLargeInstances) {
  auto instance = RandomInstance(3, 4, 30);
  SelectionOptions options;
  options.algorithm = Algorithm::kExhaustive;
  options.exhaustive_limit = 5;
  EXPECT_THROW(Advise(*instance, options), std::invalid_argument);
}

std::string Describe(const Selection& s) {
  std::string out;
  for (const Recommendation& r : s.recommendations)
    out += "  " + r.index.Ddl() + " size " + std::to_string(r.size_bytes) + " benefit " +
           std::to_string(r.benefit) + "\n";
  return out + "  total " + std::to_string(s.cost_after) + " bytes " +
         std::to_string(s.bytes_used) + "\n";
}

// dbopt's selection is never worse than Extend and within 2% of the optimum over its
// candidates on small random instances at several budgets; the heuristic part alone (no
// exact search) is never worse than Extend and within 2% of the optimum on average.
TEST(SelectionTest, DboptBeatsExtendAndNearsOptimum) {
  int compared = 0, strictly_better = 0;
  double heuristic_gap = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    auto instance = RandomInstance(seed, 2, 6);
    const Catalog& catalog = instance->builder.catalog();
    CandidateOptions candidate_options;
    candidate_options.max_columns = 2;
    std::vector<Candidate> candidates =
        GenerateCandidates(catalog, instance->workload, candidate_options);
    if (candidates.size() > 16) continue;
    SelectionOptions unlimited;
    unlimited.max_columns = 2;
    unlimited.min_benefit_fraction = 0;  // as the exhaustive search
    const double total = [&] {
      double bytes = 0;
      for (const Candidate& c : candidates) bytes += instance->oracle.SizeBytes(c.Ddl());
      return bytes;
    }();
    for (double fraction : {0.1, 0.25, 0.5}) {
      SelectionOptions options = unlimited;
      options.budget_bytes = total * fraction;
      auto run = [&](Algorithm algorithm, double exact) {
        SelectionOptions o = options;
        o.algorithm = algorithm;
        o.exact_cost_limit = exact;
        return SelectIndexes(catalog, instance->workload, candidates, instance->oracle, o);
      };
      Selection own = run(Algorithm::kDbopt, 1e9);
      Selection heuristic = run(Algorithm::kDbopt, 0);
      Selection extend = run(Algorithm::kExtend, 0);
      Selection optimum = run(Algorithm::kExhaustive, 0);
      EXPECT_LE(own.cost_after, extend.cost_after * (1 + 1e-9)) << "seed " << seed;
      EXPECT_LE(heuristic.cost_after, extend.cost_after * (1 + 1e-9)) << "seed " << seed;
      EXPECT_LE(own.cost_after, optimum.cost_after * 1.02)
          << "seed " << seed << " budget " << options.budget_bytes << "\nown:\n"
          << Describe(own) << "optimum:\n"
          << Describe(optimum);
      EXPECT_LE(own.bytes_used, options.budget_bytes);
      EXPECT_LE(heuristic.bytes_used, options.budget_bytes);
      heuristic_gap += heuristic.cost_after / optimum.cost_after - 1;
      ++compared;
      if (heuristic.cost_after < extend.cost_after * (1 - 1e-6)) ++strictly_better;
    }
  }
  EXPECT_GE(compared, 24);
  EXPECT_LE(heuristic_gap / compared, 0.02);
  EXPECT_GT(strictly_better, 0);
  RecordProperty("heuristic_mean_gap", std::to_string(heuristic_gap / compared));
  RecordProperty("strictly_better_than_extend", strictly_better);
}

}  // namespace
}  // namespace dbopt::advisor

namespace dbopt::advisor {
namespace {

TEST(RenderTest, NamedConcurrentDdlAndRevert) {
  CatalogBuilder builder;
  Table& t = builder.AddTable("orders", {"id", "customer_id", "created", "note:text"});
  Index& old = builder.AddIndex(t, "orders_customer", {"customer_id"});
  const Catalog& catalog = builder.Build();
  IndexNamer namer(catalog);
  Recommendation r;
  r.index = BtreeCandidate(t, {"customer_id", "created"});
  r.index.include = {"note"};
  IndexDdl ddl = RenderRecommendation(catalog, r, namer);
  EXPECT_EQ(ddl.index, "public.orders_customer_id_created_note_idx");
  EXPECT_EQ(ddl.remediation,
            std::vector<std::string>{
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_note_idx ON "
                "public.orders USING btree (customer_id, created) INCLUDE (note)"});
  EXPECT_EQ(ddl.revert, std::vector<std::string>{"DROP INDEX CONCURRENTLY IF EXISTS "
                                                 "public.orders_customer_id_created_note_idx"});
  // Widening: the old index is dropped after, and created again first on revert.
  r.index.include.clear();
  r.replaces = &catalog.indexes.at(old.id);
  ddl = RenderRecommendation(catalog, r, namer);
  EXPECT_EQ(ddl.remediation,
            (std::vector<std::string>{
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_created_idx ON "
                "public.orders USING btree (customer_id, created)",
                "DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer"}));
  EXPECT_EQ(ddl.revert,
            (std::vector<std::string>{
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer ON public.orders USING "
                "btree (customer_id)",
                "DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_created_idx"}));
  // Trigram and partial names.
  Recommendation g;
  g.index.table_id = t.id;
  g.index.table = "public.orders";
  g.index.access_method = "gin";
  g.index.keys = {IndexKey{"note", "", false, "gin_trgm_ops"}};
  EXPECT_EQ(RenderRecommendation(catalog, g, namer).remediation[0],
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_trgm_idx ON public.orders USING "
            "gin (note gin_trgm_ops)");
}

}  // namespace
}  // namespace dbopt::advisor
