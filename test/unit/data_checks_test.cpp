// Data checks (issue 2, 6-8): naming rules, candidate selection, probe SQL, interpretation.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/health/data_checks.hpp"
#include "core/health/data_naming.hpp"

namespace dbopt {
namespace {

constexpr ObjectId kInt4 = 23;
constexpr ObjectId kInt8 = 20;
constexpr ObjectId kText = 25;

bool Refers(const std::string& column, const std::string& table_key,
            std::vector<std::string> key_words) {
  for (const NameReference& reference : NameReferences(column))
    if (reference.table_key == table_key && reference.key_words == key_words) return true;
  return false;
}

TEST(DataNaming, SplitsWords) {
  EXPECT_EQ(NameWords("user_id"), (std::vector<std::string>{"user", "id"}));
  EXPECT_EQ(NameWords("customerEmail"), (std::vector<std::string>{"customer", "email"}));
  EXPECT_EQ(NameWords("HTTPServer_ID"), (std::vector<std::string>{"http", "server", "id"}));
  EXPECT_EQ(NameWords("Order Items"), (std::vector<std::string>{"order", "items"}));
  EXPECT_EQ(NameWords("__x__"), (std::vector<std::string>{"x"}));
  EXPECT_TRUE(NameWords("").empty());
}

TEST(DataNaming, InflectsTheLastWord) {
  auto keys = [](std::vector<std::string> stem) { return TableKeysForStem(stem); };
  auto has = [](const std::vector<std::string>& list, const std::string& key) {
    return std::find(list.begin(), list.end(), key) != list.end();
  };
  EXPECT_TRUE(has(keys({"user"}), "users"));
  EXPECT_TRUE(has(keys({"user"}), "user"));
  EXPECT_TRUE(has(keys({"category"}), "categories"));
  EXPECT_FALSE(has(keys({"day"}), "daies"));
  EXPECT_TRUE(has(keys({"address"}), "addresses"));
  EXPECT_TRUE(has(keys({"box"}), "boxes"));
  EXPECT_TRUE(has(keys({"person"}), "people"));
  EXPECT_TRUE(has(keys({"people"}), "person"));
  EXPECT_TRUE(has(keys({"users"}), "user"));
  EXPECT_TRUE(has(keys({"order", "item"}), "order_items"));
  EXPECT_FALSE(has(keys({"order", "item"}), "orders_item"));
}

TEST(DataNaming, ColumnNamesPointAtTables) {
  EXPECT_TRUE(Refers("user_id", "users", {"id"}));
  EXPECT_TRUE(Refers("user_id", "user", {"id"}));
  EXPECT_TRUE(Refers("userid", "users", {"id"}));
  EXPECT_TRUE(Refers("userId", "users", {"id"}));
  EXPECT_TRUE(Refers("UserID", "users", {"id"}));
  EXPECT_TRUE(Refers("author_id", "authors", {"id"}));
  EXPECT_TRUE(Refers("category_id", "categories", {"id"}));
  EXPECT_TRUE(Refers("order_item_id", "order_items", {"id"}));
  EXPECT_TRUE(Refers("customer_uuid", "customers", {"uuid"}));
  EXPECT_TRUE(Refers("users_id", "users", {"id"}));  // <table>_<pkcol>
  // Key named after its table, with or without a role prefix.
  EXPECT_TRUE(Refers("customer_id", "customers", {"customer", "id"}));
  EXPECT_TRUE(Refers("billing_customer_id", "customers", {"customer", "id"}));
  EXPECT_TRUE(Refers("country_code", "countries", {"country", "code"}));
  // Not references.
  EXPECT_FALSE(Refers("id", "ids", {"id"}));
  EXPECT_FALSE(Refers("paid", "pas", {"id"}));  // "paid" is too short to be <stem>id
  EXPECT_FALSE(Refers("billing_customer_id", "billings", {"id"}));
  EXPECT_FALSE(Refers("manager_id", "employees", {"id"}));
}

TEST(DataNaming, CopyNames) {
  EXPECT_TRUE(NamedAsCopyOf("customer_email", "email"));
  EXPECT_TRUE(NamedAsCopyOf("customerEmail", "email"));
  EXPECT_TRUE(NamedAsCopyOf("email", "email"));
  EXPECT_TRUE(NamedAsCopyOf("shipping_postal_code", "postal_code"));
  EXPECT_FALSE(NamedAsCopyOf("surname", "name"));
  EXPECT_FALSE(NamedAsCopyOf("email", "customer_email"));
  EXPECT_FALSE(NamedAsCopyOf("x", ""));
}

class DataChecksTest : public ::testing::Test {
 protected:
  ObjectId next_id = 100;

  Table& AddTable(const std::string& schema, const std::string& name,
                  std::vector<std::pair<std::string, ObjectId>> columns, double rows = 10) {
    Table table;
    table.id = next_id++;
    table.schema = schema;
    table.name = name;
    table.rows = rows;
    int attnum = 1;
    for (const auto& [column_name, type] : columns) {
      Column column;
      column.attnum = attnum++;
      column.name = column_name;
      column.type_id = type;
      column.type_name = type == kText ? "text" : type == kInt8 ? "bigint" : "integer";
      table.columns.push_back(column);
    }
    ObjectId id = table.id;
    catalog.tables[id] = table;
    return catalog.tables[id];
  }
  void AddPrimaryKey(const Table& table, const std::string& column) {
    Index index;
    index.id = next_id++;
    index.table_id = table.id;
    index.schema = table.schema;
    index.name = table.name + "_pkey";
    index.access_method = "btree";
    index.primary = index.unique = true;
    IndexColumn key;
    key.column = column;
    index.keys.push_back(key);
    catalog.AddIndex(index);
    Column* c = const_cast<Column*>(catalog.tables[table.id].FindColumn(column));
    c->not_null = true;
  }
  ForeignKey& AddForeignKey(const Table& table, const std::string& name,
                            std::vector<std::string> columns, const Table& referenced,
                            std::vector<std::string> referenced_columns) {
    ForeignKey fk;
    fk.id = next_id++;
    fk.name = name;
    fk.table_id = table.id;
    fk.referenced_table_id = referenced.id;
    fk.columns = columns;
    fk.referenced_columns = referenced_columns;
    catalog.foreign_keys.push_back(fk);
    return catalog.foreign_keys.back();
  }
  std::vector<ImpliedForeignKey> Implied() {
    catalog.Link();
    return FindImpliedForeignKeys(catalog);
  }
  std::vector<DataProbe> Probes(DataCheck check) {
    catalog.Link();
    std::vector<DataProbe> all = PlanDataProbes(catalog, options);
    std::vector<DataProbe> selected;
    for (DataProbe& probe : all)
      if (probe.check == check) selected.push_back(probe);
    return selected;
  }

  Catalog catalog;
  DataCheckOptions options;
};

TEST_F(DataChecksTest, ImpliedForeignKeyNeedsNameTypeAndNoConstraint) {
  Table& users = AddTable("app", "users", {{"id", kInt8}, {"name", kText}});
  AddPrimaryKey(users, "id");
  Table& orders = AddTable(
      "app", "orders", {{"id", kInt8}, {"user_id", kInt8}, {"userid", kInt4}, {"useruuid", kText}});
  AddPrimaryKey(orders, "id");
  std::vector<ImpliedForeignKey> found = Implied();
  ASSERT_EQ(found.size(), 1u);  // userid: integer vs bigint key; useruuid: no uuid key
  EXPECT_EQ(found[0].table_id, orders.id);
  EXPECT_EQ(found[0].column, "user_id");
  EXPECT_EQ(found[0].referenced_table_id, users.id);
  EXPECT_EQ(found[0].referenced_column, "id");

  AddForeignKey(orders, "orders_user_id_fkey", {"user_id"}, users, {"id"});
  EXPECT_TRUE(Implied().empty());
}

TEST_F(DataChecksTest, ImpliedForeignKeySkipsSelfAndPartitions) {
  Table& users = AddTable("s", "users", {{"user_id", kInt4}, {"users_id", kInt4}});
  AddPrimaryKey(users, "user_id");
  EXPECT_TRUE(Implied().empty());  // users.user_id is the key itself, users_id points at self

  Table& events = AddTable("s", "events", {{"id", kInt4}, {"user_id", kInt4}});
  events.kind = 'p';
  Table& part = AddTable("s", "events_1", {{"id", kInt4}, {"user_id", kInt4}});
  part.parent_id = catalog.tables[events.id].id;
  std::vector<ImpliedForeignKey> found = Implied();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].table_id, events.id);  // the parent, not the partition
}

TEST_F(DataChecksTest, AmbiguousTargetsPreferTheColumnsSchema) {
  Table& a = AddTable("auth", "users", {{"id", kInt4}});
  AddPrimaryKey(a, "id");
  Table& b = AddTable("app", "users", {{"id", kInt4}});
  AddPrimaryKey(b, "id");
  Table& orders = AddTable("app", "orders", {{"user_id", kInt4}});
  Table& logs = AddTable("audit", "logs", {{"user_id", kInt4}});
  std::vector<ImpliedForeignKey> found = Implied();
  ASSERT_EQ(found.size(), 1u);  // audit.logs: two candidates, none in its schema -> skipped
  EXPECT_EQ(found[0].table_id, orders.id);
  EXPECT_EQ(found[0].referenced_table_id, b.id);
  (void)logs;
}

TEST_F(DataChecksTest, ScopeLimitsReferencingTablesOnly) {
  Table& users = AddTable("auth", "users", {{"id", kInt4}});
  AddPrimaryKey(users, "id");
  AddTable("app", "orders", {{"user_id", kInt4}});
  catalog.scope_schema = "app";
  ASSERT_EQ(Implied().size(), 1u);
  catalog.scope_schema = "auth";
  EXPECT_TRUE(Implied().empty());
}

TEST_F(DataChecksTest, ImpliedForeignKeyProbeAndFinding) {
  Table& users = AddTable("My Schema", "Users", {{"Id", kInt4}});
  AddPrimaryKey(users, "Id");
  AddTable("My Schema", "order\"s", {{"User_Id", kInt4}}, 1e6);
  std::vector<DataProbe> probes = Probes(DataCheck::kImpliedForeignKey);
  ASSERT_EQ(probes.size(), 1u);
  const DataProbe& probe = probes[0];
  EXPECT_EQ(
      probe.sql,
      "SELECT count(*), count(*) FILTER (WHERE r.hit IS NULL) FROM (SELECT t.\"User_Id\" AS v "
      "FROM ONLY \"My Schema\".\"order\"\"s\" t TABLESAMPLE SYSTEM (2.000000) REPEATABLE (0) "
      "WHERE t.\"User_Id\" IS NOT NULL LIMIT 10000) s LEFT JOIN LATERAL (SELECT 1 AS hit "
      "FROM ONLY \"My Schema\".\"Users\" k WHERE k.\"Id\" = s.v LIMIT 1) r ON true");
  EXPECT_EQ(probe.Reads().size(), 2u);

  EXPECT_TRUE(InterpretProbe(catalog, probe, {0, 0}).empty());    // nothing to check
  EXPECT_TRUE(InterpretProbe(catalog, probe, {500, 3}).empty());  // orphans
  std::vector<Finding> findings = InterpretProbe(catalog, probe, {500, 0});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.check_id, "fk_implied");
  EXPECT_EQ(f.object_name, "\"My Schema\".\"order\"\"s\".\"User_Id\"");
  // The index for the new FK's lookups first (the table has none on the column).
  ASSERT_EQ(f.remediation.size(), 3u);
  EXPECT_EQ(f.remediation[0],
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"order\"\"s_User_Id_idx\" ON \"My "
            "Schema\".\"order\"\"s\" (\"User_Id\")");
  EXPECT_EQ(f.remediation[1],
            "ALTER TABLE \"My Schema\".\"order\"\"s\" ADD CONSTRAINT \"order\"\"s_User_Id_fkey\" "
            "FOREIGN KEY (\"User_Id\") REFERENCES \"My Schema\".\"Users\" (\"Id\") NOT VALID");
  EXPECT_EQ(
      f.remediation[2],
      "ALTER TABLE \"My Schema\".\"order\"\"s\" VALIDATE CONSTRAINT \"order\"\"s_User_Id_fkey\"");
  EXPECT_EQ(f.revert, (std::vector<std::string>{"ALTER TABLE \"My Schema\".\"order\"\"s\" DROP "
                                                "CONSTRAINT IF EXISTS \"order\"\"s_User_Id_fkey\"",
                                                "DROP INDEX CONCURRENTLY IF EXISTS \"My "
                                                "Schema\".\"order\"\"s_User_Id_idx\""}));
  EXPECT_NE(f.detail_json.find("\"rows_checked\": 500"), std::string::npos) << f.detail_json;
  EXPECT_NE(f.detail_json.find("\"sampled\": true"), std::string::npos) << f.detail_json;
}

TEST_F(DataChecksTest, ConstraintNamesAvoidExistingOnes) {
  Table& t = AddTable("s", "t", {{"a", kInt4}});
  CheckConstraintInfo taken;
  taken.table_id = t.id;
  taken.name = "t_a_not_null";
  catalog.constraints.push_back(taken);
  EXPECT_EQ(FreeConstraintName(catalog, t, {"a"}, "not_null"), "t_a_not_null1");
  EXPECT_EQ(FreeConstraintName(catalog, t, {"a"}, "fkey"), "t_a_fkey");
}

TEST_F(DataChecksTest, PartitionedReferencingTableAddsAValidatedConstraint) {
  Table& users = AddTable("s", "users", {{"id", kInt4}});
  AddPrimaryKey(users, "id");
  Table& events = AddTable("s", "events", {{"user_id", kInt4}}, -1);
  events.kind = 'p';
  Table& part = AddTable("s", "events_1", {{"user_id", kInt4}}, 50);
  part.parent_id = events.id;
  std::vector<DataProbe> probes = Probes(DataCheck::kImpliedForeignKey);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_NE(probes[0].sql.find("FROM s.events t WHERE"), std::string::npos) << probes[0].sql;
  EXPECT_EQ(probes[0].sample.estimated_rows, 50);
  std::vector<Finding> findings = InterpretProbe(catalog, probes[0], {5, 0});
  ASSERT_EQ(findings.size(), 1u);
  // The partitioned index recipe, then the constraint added and validated in one step.
  EXPECT_EQ(findings[0].remediation,
            (std::vector<std::string>{
                "CREATE INDEX IF NOT EXISTS events_user_id_idx ON ONLY s.events (user_id)",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_1_user_id_idx ON s.events_1 "
                "(user_id)",
                "ALTER INDEX s.events_user_id_idx ATTACH PARTITION s.events_1_user_id_idx",
                "ALTER TABLE s.events ADD CONSTRAINT events_user_id_fkey "
                "FOREIGN KEY (user_id) REFERENCES s.users (id)"}));
}

TEST_F(DataChecksTest, SamplePlan) {
  Table& small = AddTable("s", "small", {{"a", kInt4}}, 100);
  Table& big = AddTable("s", "big", {{"a", kInt4}}, 1e9);
  Table& unknown = AddTable("s", "unknown", {{"a", kInt4}}, -1);
  SamplePlan plan = PlanSample(catalog, small, 10000);
  EXPECT_EQ(plan.percent, 0);
  EXPECT_EQ(plan.limit, 10000);
  plan = PlanSample(catalog, big, 10000);
  EXPECT_DOUBLE_EQ(plan.percent, 0.002);
  EXPECT_EQ(SampledRelation(big, "t", plan),
            "ONLY s.big t TABLESAMPLE SYSTEM (0.002000) REPEATABLE (0)");
  EXPECT_EQ(PlanSample(catalog, big, 1).percent, 0.0001);  // clamped
  EXPECT_EQ(PlanSample(catalog, unknown, 10000).percent, 0);
  big.pages = 100;  // at least about eight blocks
  EXPECT_DOUBLE_EQ(PlanSample(catalog, big, 10000).percent, 8);
  EXPECT_EQ(PlanSample(catalog, small, 0).limit, 1);
}

TEST_F(DataChecksTest, MissingNotNullCandidatesAndFindings) {
  Table& t = AddTable("s", "t",
                      {{"id", kInt4},
                       {"a", kInt4},
                       {"b", kText},
                       {"c", kInt4},
                       {"g", kInt4},
                       {"r", kInt4},
                       {"Hostile \"col\"", kText}});
  AddPrimaryKey(t, "id");
  Table& table = catalog.tables[t.id];
  table.columns[2].null_fraction = 0.5;  // b: statistics saw NULLs
  table.columns[3].null_fraction = 0;    // c: statistics saw none
  table.columns[4].generated = true;
  table.columns[5].composite = true;
  std::vector<DataProbe> probes = Probes(DataCheck::kMissingNotNull);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(probes[0].columns, (std::vector<std::string>{"a", "c", "Hostile \"col\""}));
  EXPECT_EQ(probes[0].sql,
            "SELECT count(*), count(s.a), count(s.c), count(s.\"Hostile \"\"col\"\"\") FROM "
            "(SELECT t.a, t.c, t.\"Hostile \"\"col\"\"\" FROM ONLY s.t t LIMIT 10000) s");
  EXPECT_TRUE(InterpretProbe(catalog, probes[0], {0, 0, 0, 0}).empty());  // empty table
  std::vector<Finding> findings = InterpretProbe(catalog, probes[0], {7, 7, 7, 6});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].object_name, "s.t.a");
  EXPECT_EQ(findings[1].object_name, "s.t.c");
  EXPECT_NE(findings[1].message.find("nor in the statistics"), std::string::npos);
  EXPECT_EQ(findings[0].remediation,
            (std::vector<std::string>{
                "ALTER TABLE s.t ADD CONSTRAINT t_a_not_null CHECK (a IS NOT NULL) NOT VALID",
                "ALTER TABLE s.t VALIDATE CONSTRAINT t_a_not_null",
                "ALTER TABLE s.t ALTER COLUMN a SET NOT NULL",
                "ALTER TABLE s.t DROP CONSTRAINT t_a_not_null"}));
  EXPECT_EQ(findings[0].revert,
            (std::vector<std::string>{"ALTER TABLE s.t ALTER COLUMN a DROP NOT NULL",
                                      "ALTER TABLE s.t DROP CONSTRAINT IF EXISTS t_a_not_null"}));
  EXPECT_NE(findings[0].detail_json.find("\"null_frac\": null"), std::string::npos);
  EXPECT_NE(findings[0].detail_json.find("\"sampled\": false"), std::string::npos);
}

TEST_F(DataChecksTest, MissingNotNullSkipsPartitionsAndOutOfScope) {
  Table& parent = AddTable("s", "p", {{"a", kInt4}});
  parent.kind = 'p';
  Table& part = AddTable("s", "p1", {{"a", kInt4}});
  part.parent_id = parent.id;
  AddTable("other", "o", {{"a", kInt4}});
  catalog.scope_schema = "s";
  std::vector<DataProbe> probes = Probes(DataCheck::kMissingNotNull);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_EQ(probes[0].table_id, parent.id);
  EXPECT_EQ(probes[0].sql,
            "SELECT count(*), count(s.a) FROM (SELECT t.a FROM s.p t LIMIT 10000) s");
}

TEST_F(DataChecksTest, RedundantCopyPairsAndInterpretation) {
  Table& customers =
      AddTable("s", "customers",
               {{"id", kInt4}, {"email", kText}, {"name", kText}, {"vip", 16}, {"zip", kInt4}});
  AddPrimaryKey(customers, "id");
  catalog.tables[customers.id].columns[3].type_name = "boolean";
  Table& orders = AddTable("s", "orders",
                           {{"id", kInt4},
                            {"customer_id", kInt4},
                            {"customer_email", kText},
                            {"surname", kText},
                            {"vip", 16},
                            {"zip", kText}});
  catalog.tables[orders.id].columns[4].type_name = "boolean";
  AddForeignKey(orders, "orders_customer_fk", {"customer_id"}, customers, {"id"});
  std::vector<DataProbe> probes = Probes(DataCheck::kRedundantCopy);
  ASSERT_EQ(probes.size(), 1u);
  const DataProbe& probe = probes[0];
  // surname/name: not a copy name; vip: boolean; zip: different types; id: the FK's key.
  EXPECT_EQ(probe.columns, (std::vector<std::string>{"customer_email"}));
  EXPECT_EQ(probe.referenced_columns, (std::vector<std::string>{"email"}));
  EXPECT_EQ(probe.sql,
            "SELECT count(*), count(*) FILTER (WHERE s.customer_email::pg_catalog.text IS "
            "DISTINCT FROM p.email::pg_catalog.text), count(DISTINCT p.email::pg_catalog.text), "
            "count(s.customer_email::pg_catalog.text) FROM (SELECT t.customer_id, "
            "t.customer_email FROM ONLY s.orders t WHERE t.customer_id IS NOT NULL LIMIT 10000) "
            "s JOIN LATERAL (SELECT k.email FROM ONLY s.customers k WHERE k.id = s.customer_id "
            "LIMIT 1) p ON true");
  EXPECT_TRUE(InterpretProbe(catalog, probe, {10, 1, 5, 10}).empty());  // a mismatch
  EXPECT_TRUE(InterpretProbe(catalog, probe, {10, 0, 1, 10}).empty());  // constant: trivial
  EXPECT_TRUE(InterpretProbe(catalog, probe, {10, 0, 0, 0}).empty());   // all NULL
  std::vector<Finding> findings = InterpretProbe(catalog, probe, {10, 0, 4, 10});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].check_id, "column_redundant_copy");
  EXPECT_EQ(findings[0].object_name, "s.orders.customer_email");
  EXPECT_TRUE(findings[0].remediation.empty());
  EXPECT_TRUE(findings[0].revert.empty());
  EXPECT_NE(findings[0].detail_json.find("\"mismatches\": 0"), std::string::npos);
  EXPECT_NE(findings[0].message.find("denormalized cache"), std::string::npos);
}

TEST_F(DataChecksTest, RedundantCopyThroughCompositeKey) {
  Table& parent = AddTable("s", "parent", {{"a", kInt4}, {"b", kInt4}, {"label", kText}});
  Table& child = AddTable("s", "child", {{"a", kInt4}, {"b", kInt4}, {"parent_label", kText}});
  AddForeignKey(child, "child_fk", {"a", "b"}, parent, {"a", "b"});
  std::vector<DataProbe> probes = Probes(DataCheck::kRedundantCopy);
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_NE(probes[0].sql.find("WHERE t.a IS NOT NULL AND t.b IS NOT NULL"), std::string::npos);
  EXPECT_NE(probes[0].sql.find("WHERE k.a = s.a AND k.b = s.b LIMIT 1"), std::string::npos);
}

}  // namespace
}  // namespace dbopt
