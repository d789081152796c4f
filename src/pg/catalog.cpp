#include "pg/catalog.hpp"

#include "pg/postgres.hpp"

extern "C" {
#include "nodes/makefuncs.h"
#include "nodes/nodes.h"
#include "optimizer/optimizer.h"
}

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/common/node_tree.hpp"
#include "core/common/pg_array.hpp"
#include "pg/deparse.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

namespace dbopt::pg {
namespace {

// A cheap pre-filter for the set-wise queries: they read whole catalogs with hash joins (fast
// even for 100,000 relations) and the loader keeps rows of the tables LoadTables found.
const char* const kNotSystem =
    "c.relnamespace NOT IN ('pg_catalog'::pg_catalog.regnamespace, "
    "'pg_toast'::pg_catalog.regnamespace)";

// The first two columns of `sql`'s rows, an OID each, as a map.
std::unordered_map<ObjectId, ObjectId> LoadIdMap(const char* sql) {
  std::unordered_map<ObjectId, ObjectId> map;
  QueryResult rows = SpiQuery(sql);
  for (size_t r = 0; r < rows.rows(); ++r)
    map[static_cast<ObjectId>(rows.Int(r, 0))] = static_cast<ObjectId>(rows.Int(r, 1));
  return map;
}

void LoadTables(Catalog& catalog) {
  // The tables dbopt reports on: ordinary and partitioned tables outside the system schemas
  // and other sessions' temporary schemas, not owned by an extension.
  QueryResult rows = SpiQuery(R"SQL(
  SELECT c.oid, n.nspname, c.relname, c.relkind, COALESCE(inh.inhparent, 0),
         c.reltuples, c.relpages,
         pg_catalog.pg_stat_get_numscans(c.oid),
         pg_catalog.pg_stat_get_tuples_updated(c.oid),
         pg_catalog.pg_stat_get_tuples_deleted(c.oid),
         pg_catalog.pg_stat_get_tuples_inserted(c.oid)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
   WHERE c.relkind IN ('r', 'p')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname !~ '^pg_toast'
     AND (n.nspname !~ '^pg_temp_' OR n.oid = pg_catalog.pg_my_temp_schema())
     AND c.oid NOT IN (SELECT d.objid FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND d.deptype = 'e'))SQL");
  for (size_t r = 0; r < rows.rows(); ++r) {
    Table table;
    table.id = static_cast<ObjectId>(rows.Int(r, 0));
    table.schema = rows.Text(r, 1);
    table.name = rows.Text(r, 2);
    table.kind = rows.Text(r, 3)[0];
    table.parent_id = static_cast<ObjectId>(rows.Int(r, 4));
    table.rows = rows.Double(r, 5);
    table.pages = rows.Double(r, 6);
    table.seq_scans = rows.Int(r, 7);
    table.updates = rows.Int(r, 8);
    table.deletes = rows.Int(r, 9);
    table.inserts = rows.Int(r, 10);
    catalog.tables.emplace(table.id, std::move(table));
  }
}

void LoadColumns(Catalog& catalog) {
  QueryResult rows = SpiQuery((R"SQL(
  SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod,
         pg_catalog.format_type(a.atttypid, a.atttypmod), a.attcollation, a.attnotnull
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
   WHERE c.relkind IN ('r', 'p') AND )SQL" +
                               std::string(kNotSystem) + R"SQL(
     AND a.attnum > 0 AND NOT a.attisdropped)SQL")
                                  .c_str());
  for (size_t r = 0; r < rows.rows(); ++r) {
    auto table = catalog.tables.find(static_cast<ObjectId>(rows.Int(r, 0)));
    if (table == catalog.tables.end()) continue;
    Column column;
    column.attnum = static_cast<int>(rows.Int(r, 1));
    column.name = rows.Text(r, 2);
    column.type_id = static_cast<ObjectId>(rows.Int(r, 3));
    column.typmod = static_cast<int>(rows.Int(r, 4));
    column.type_name = rows.Text(r, 5);
    column.collation = static_cast<ObjectId>(rows.Int(r, 6));
    column.not_null = rows.Bool(r, 7);
    table->second.columns.push_back(std::move(column));
  }
  for (auto& [id, table] : catalog.tables)
    std::sort(table.columns.begin(), table.columns.end(),
              [](const Column& a, const Column& b) { return a.attnum < b.attnum; });
}

void LoadIndexes(Catalog& catalog) {
  std::unordered_map<ObjectId, ObjectId> opclass_family;
  std::unordered_set<ObjectId> default_opclasses;
  QueryResult opclasses = SpiQuery("SELECT oid, opcfamily, opcdefault FROM pg_catalog.pg_opclass");
  for (size_t r = 0; r < opclasses.rows(); ++r) {
    const ObjectId opclass = static_cast<ObjectId>(opclasses.Int(r, 0));
    opclass_family[opclass] = static_cast<ObjectId>(opclasses.Int(r, 1));
    if (opclasses.Bool(r, 2)) default_opclasses.insert(opclass);
  }

  QueryResult rows = SpiQuery((R"SQL(
  SELECT i.indexrelid, i.indrelid, n.nspname, c.relname, am.amname, i.indnkeyatts,
         i.indkey, i.indclass, i.indcollation, i.indoption,
         i.indisunique, i.indisprimary, i.indisexclusion, i.indisvalid, i.indisready,
         i.indisreplident, COALESCE(con.oid, 0), COALESCE(inh.inhparent, 0),
         c.relpages, pg_catalog.pg_stat_get_numscans(i.indexrelid),
         i.indpred::text, i.indexprs::text, c.reloptions::text
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_am am ON am.oid = c.relam
    LEFT JOIN pg_catalog.pg_constraint con
           ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
          AND con.contype IN ('p', 'u', 'x')
    LEFT JOIN pg_catalog.pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
   WHERE )SQL" + std::string(kNotSystem))
                                  .c_str());
  for (size_t r = 0; r < rows.rows(); ++r) {
    Index index;
    index.id = static_cast<ObjectId>(rows.Int(r, 0));
    index.table_id = static_cast<ObjectId>(rows.Int(r, 1));
    if (catalog.FindTable(index.table_id) == nullptr) continue;  // not a user table
    index.schema = rows.Text(r, 2);
    index.name = rows.Text(r, 3);
    index.access_method = rows.Text(r, 4);
    const int key_count = static_cast<int>(rows.Int(r, 5));
    std::vector<std::int64_t> attnums = ParseIntVector(rows.Text(r, 6));
    std::vector<std::int64_t> classes = ParseIntVector(rows.Text(r, 7));
    std::vector<std::int64_t> collations = ParseIntVector(rows.Text(r, 8));
    std::vector<std::int64_t> options = ParseIntVector(rows.Text(r, 9));
    index.unique = rows.Bool(r, 10);
    index.primary = rows.Bool(r, 11);
    index.exclusion = rows.Bool(r, 12);
    index.valid = rows.Bool(r, 13);
    index.ready = rows.Bool(r, 14);
    index.replica_identity = rows.Bool(r, 15);
    index.constraint_id = static_cast<ObjectId>(rows.Int(r, 16));
    index.parent_index_id = static_cast<ObjectId>(rows.Int(r, 17));
    index.pages = rows.Double(r, 18);
    index.scans = rows.Int(r, 19);
    // Stored trees, not deparsed SQL: deparsing opens (locks) the table. See node_tree.hpp.
    if (!rows.IsNull(r, 20)) index.predicate = StripNodeLocations(rows.Text(r, 20));
    std::vector<std::string> expressions;
    if (!rows.IsNull(r, 21)) expressions = SplitNodeList(StripNodeLocations(rows.Text(r, 21)));
    if (!rows.IsNull(r, 22)) index.reloptions = ParseTextArray(rows.Text(r, 22));
    size_t next_expression = 0;

    const Table* table = catalog.FindTable(index.table_id);
    for (size_t k = 0; k < attnums.size(); ++k) {
      IndexColumn column;
      if (attnums[k] == 0) {
        column.expression =
            next_expression < expressions.size() ? expressions[next_expression++] : "?";
      } else if (table != nullptr) {
        for (const Column& c : table->columns)
          if (c.attnum == attnums[k]) column.column = c.name;
      }
      const bool is_key = static_cast<int>(k) < key_count;
      if (is_key) {
        column.opclass = k < classes.size() ? static_cast<ObjectId>(classes[k]) : 0;
        auto family = opclass_family.find(column.opclass);
        column.opfamily = family == opclass_family.end() ? 0 : family->second;
        if (default_opclasses.count(column.opclass) == 0) index.default_opclasses = false;
        column.collation = k < collations.size() ? static_cast<ObjectId>(collations[k]) : 0;
        column.option = k < options.size() ? static_cast<int>(options[k]) : 0;
        index.keys.push_back(std::move(column));
      } else {
        index.include.push_back(std::move(column));
      }
    }
    catalog.AddIndex(std::move(index));
  }
}

void LoadConstraints(Catalog& catalog) {
  // One row per logical FK: clones on partitions and the per-partition rows of FKs that
  // reference partitioned tables have conparentid set.
  QueryResult fks = SpiQuery(R"SQL(
  SELECT con.oid, con.conname, con.conrelid, con.confrelid, con.conkey::text,
         con.confkey::text, con.conpfeqop::text, con.convalidated, con.confupdtype,
         con.confdeltype
    FROM pg_catalog.pg_constraint con
   WHERE con.contype = 'f' AND con.conparentid = 0 AND con.conrelid <> 0
   ORDER BY con.oid)SQL");
  for (size_t r = 0; r < fks.rows(); ++r) {
    ForeignKey fk;
    fk.id = static_cast<ObjectId>(fks.Int(r, 0));
    fk.name = fks.Text(r, 1);
    fk.table_id = static_cast<ObjectId>(fks.Int(r, 2));
    fk.referenced_table_id = static_cast<ObjectId>(fks.Int(r, 3));
    const Table* table = catalog.FindTable(fk.table_id);
    const Table* referenced = catalog.FindTable(fk.referenced_table_id);
    if (table == nullptr) continue;
    auto column_name = [](const Table* t, std::int64_t attnum) -> std::string {
      if (t == nullptr) return "";
      for (const Column& c : t->columns)
        if (c.attnum == attnum) return c.name;
      return "";
    };
    for (std::int64_t attnum : ParseIntArray(fks.Text(r, 4)))
      fk.columns.push_back(column_name(table, attnum));
    for (std::int64_t attnum : ParseIntArray(fks.Text(r, 5)))
      fk.referenced_columns.push_back(column_name(referenced, attnum));
    for (std::int64_t op : ParseIntArray(fks.Text(r, 6)))
      fk.equality_operators.push_back(static_cast<ObjectId>(op));
    fk.validated = fks.Bool(r, 7);
    fk.on_update = fks.Text(r, 8)[0];
    fk.on_delete = fks.Text(r, 9)[0];
    catalog.foreign_keys.push_back(std::move(fk));
  }

  QueryResult others = SpiQuery(R"SQL(
  SELECT con.oid, con.conname, con.conrelid, con.contype, con.convalidated
    FROM pg_catalog.pg_constraint con
   WHERE con.conparentid = 0 AND con.conrelid <> 0
   ORDER BY con.oid)SQL");
  for (size_t r = 0; r < others.rows(); ++r) {
    if (catalog.FindTable(static_cast<ObjectId>(others.Int(r, 2))) == nullptr) continue;
    CheckConstraintInfo info;
    info.id = static_cast<ObjectId>(others.Int(r, 0));
    info.name = others.Text(r, 1);
    info.table_id = static_cast<ObjectId>(others.Int(r, 2));
    info.type = others.Text(r, 3)[0];
    info.validated = others.Bool(r, 4);
    catalog.constraints.push_back(std::move(info));
  }

  QueryResult members = SpiQuery(R"SQL(
  SELECT ao.amopfamily, ao.amopopr
    FROM pg_catalog.pg_amop ao
    JOIN pg_catalog.pg_am am ON am.oid = ao.amopmethod
   WHERE (am.amname = 'btree' AND ao.amopstrategy = 3)
      OR (am.amname = 'hash' AND ao.amopstrategy = 1))SQL");
  for (size_t r = 0; r < members.rows(); ++r)
    catalog.equality_members.emplace(static_cast<ObjectId>(members.Int(r, 0)),
                                     static_cast<ObjectId>(members.Int(r, 1)));
}

// How the RI lookup of each FK compares (FK coverage), from one read of the FKs' operators:
// ForeignKey::lookup_operators, each conpfeqop's commutator (0 if none), and
// ForeignKey::lookup_casts. ri_triggers.c builds `$n OPERATOR(pfeqop) fk_col` and casts fk_col
// to the operator's right-hand type when the column's type differs. The cast is invisible to
// indexes when it is binary (varchar to text, a domain to its base type) or to a pseudo-type
// (anyarray); any other cast (int4 to numeric) hides the column from every index.
void LoadForeignKeyOperators(Catalog& catalog) {
  if (catalog.foreign_keys.empty()) return;
  std::unordered_map<ObjectId, ObjectId> commutator;
  std::unordered_map<ObjectId, ObjectId> right_type;  // operator -> oprright, 0 if pseudo
  QueryResult operators = SpiQuery(R"SQL(
  SELECT o.oid, o.oprcom, CASE WHEN t.typtype = 'p' THEN 0 ELSE o.oprright END
    FROM pg_catalog.pg_operator o
    JOIN pg_catalog.pg_type t ON t.oid = o.oprright
   WHERE o.oid IN (SELECT pg_catalog.unnest(con.conpfeqop) FROM pg_catalog.pg_constraint con
                    WHERE con.contype = 'f'))SQL");
  for (size_t r = 0; r < operators.rows(); ++r) {
    const ObjectId op = static_cast<ObjectId>(operators.Int(r, 0));
    commutator[op] = static_cast<ObjectId>(operators.Int(r, 1));
    right_type[op] = static_cast<ObjectId>(operators.Int(r, 2));
  }
  const std::unordered_map<ObjectId, ObjectId> domain_base =
      LoadIdMap("SELECT oid, typbasetype FROM pg_catalog.pg_type WHERE typtype = 'd'");
  std::set<std::pair<ObjectId, ObjectId>> binary_casts;
  QueryResult casts =
      SpiQuery("SELECT castsource, casttarget FROM pg_catalog.pg_cast WHERE castmethod = 'b'");
  for (size_t r = 0; r < casts.rows(); ++r)
    binary_casts.emplace(static_cast<ObjectId>(casts.Int(r, 0)),
                         static_cast<ObjectId>(casts.Int(r, 1)));

  for (ForeignKey& fk : catalog.foreign_keys) {
    for (ObjectId op : fk.equality_operators) {
      auto found = commutator.find(op);
      fk.lookup_operators.push_back(found == commutator.end() ? 0 : found->second);
    }
    const Table* table = catalog.FindTable(fk.table_id);
    if (table == nullptr) continue;
    fk.lookup_casts.assign(fk.columns.size(), false);
    for (size_t i = 0; i < fk.columns.size() && i < fk.equality_operators.size(); ++i) {
      const Column* column = table->FindColumn(fk.columns[i]);
      auto right = right_type.find(fk.equality_operators[i]);
      if (column == nullptr || right == right_type.end() || right->second == 0) continue;
      ObjectId type = column->type_id;
      for (int depth = 0; depth < 32 && type != right->second; ++depth) {
        auto base = domain_base.find(type);
        if (base == domain_base.end()) break;
        type = base->second;
      }
      fk.lookup_casts[i] = type != right->second && binary_casts.count({type, right->second}) == 0;
    }
  }
}

// Index and constraint details used by the redundant/unused/invalid index and NOT VALID checks
// (core/health/schema_checks.hpp). Each part returns only the rare non-default rows, so it
// stays cheap on large catalogs; rows for objects the catalog did not load are ignored.
void LoadIndexAndConstraintDetails(Catalog& catalog) {
  QueryResult rows = SpiQuery(R"SQL(
  SELECT 'n', indexrelid FROM pg_catalog.pg_index WHERE indnullsnotdistinct
  UNION ALL
  SELECT DISTINCT 'f', conindid FROM pg_catalog.pg_constraint
   WHERE contype = 'f' AND conindid <> 0
  UNION ALL
  SELECT 'b', index_relid FROM pg_catalog.pg_stat_progress_create_index WHERE index_relid <> 0)SQL");
  for (size_t r = 0; r < rows.rows(); ++r) {
    auto index = catalog.indexes.find(static_cast<ObjectId>(rows.Int(r, 1)));
    if (index == catalog.indexes.end()) continue;
    switch (rows.Text(r, 0)[0]) {
      case 'n':
        index->second.nulls_not_distinct = true;
        break;
      case 'f':
        index->second.referenced_by_foreign_key = true;
        break;
      case 'b':
        index->second.build_in_progress = true;
        break;
    }
  }

  std::unordered_map<ObjectId, CheckConstraintInfo*> constraints;
  for (CheckConstraintInfo& constraint : catalog.constraints)
    constraints[constraint.id] = &constraint;
  QueryResult details = SpiQuery(R"SQL(
  SELECT oid, condeferrable, condeferred, conislocal,
         CASE WHEN NOT convalidated THEN pg_catalog.pg_get_constraintdef(oid) END
    FROM pg_catalog.pg_constraint
   WHERE condeferrable OR NOT convalidated)SQL");
  for (size_t r = 0; r < details.rows(); ++r) {
    auto constraint = constraints.find(static_cast<ObjectId>(details.Int(r, 0)));
    if (constraint == constraints.end()) continue;
    constraint->second->deferrable = details.Bool(r, 1);
    constraint->second->deferred = details.Bool(r, 2);
    constraint->second->local = details.Bool(r, 3);
    if (!details.IsNull(r, 4)) constraint->second->definition = details.Text(r, 4);
  }
}

void LoadStatsAge(Catalog& catalog) {
  QueryResult rows = SpiQuery(R"SQL(
  SELECT stats_reset::text,
         EXTRACT(epoch FROM pg_catalog.now() - COALESCE(stats_reset, pg_catalog.pg_postmaster_start_time()))
    FROM pg_catalog.pg_stat_database WHERE datname = pg_catalog.current_database())SQL");
  if (rows.rows() == 0) return;
  if (!rows.IsNull(0, 0)) catalog.stats_reset = rows.Text(0, 0);
  catalog.stats_age_seconds = rows.Double(0, 1);
}

}  // namespace

void RequireSchema(const std::string& schema) {
  QueryResult rows = SpiQuery(
      "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1::pg_catalog.name", {schema});
  if (rows.rows() == 0)
    throw SqlError(ERRCODE_UNDEFINED_SCHEMA, "schema \"" + schema + "\" does not exist",
                   "Pass an existing schema name, or NULL for every schema.");
}

Catalog LoadCatalog(const std::optional<std::string>& schema) {
  Catalog catalog;
  if (schema) {
    RequireSchema(*schema);
    catalog.scope_schema = *schema;
  }
  LoadTables(catalog);
  LoadColumns(catalog);
  LoadIndexes(catalog);
  LoadConstraints(catalog);
  LoadForeignKeyOperators(catalog);
  LoadIndexAndConstraintDetails(catalog);
  LoadStatsAge(catalog);
  catalog.Link();
  catalog.definitions = std::make_shared<ServerDefinitionSource>();
  return catalog;
}

// Data checks only: generated and composite-typed columns, and pg_stats.null_frac. pg_stats
// shows only the columns the current role may read; the others keep null_fraction = -1.
// Partitioned tables have only inherited statistics.
void LoadDataCheckColumns(Catalog& catalog) {
  std::map<std::pair<ObjectId, int>, Column*> by_attnum;
  for (auto& [id, table] : catalog.tables) {
    if (!catalog.InScope(table)) continue;
    for (Column& column : table.columns) by_attnum[{id, column.attnum}] = &column;
  }
  auto column_at = [&by_attnum](const QueryResult& rows, size_t r) -> Column* {
    auto it =
        by_attnum.find({static_cast<ObjectId>(rows.Int(r, 0)), static_cast<int>(rows.Int(r, 1))});
    return it == by_attnum.end() ? nullptr : it->second;
  };
  QueryResult kinds = SpiQuery((R"SQL(
  SELECT a.attrelid, a.attnum, a.attgenerated <> '', composite
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype,
         LATERAL (SELECT t.typtype = 'c' OR COALESCE(b.typtype = 'c', false) AS composite) k
   WHERE c.relkind IN ('r', 'p') AND )SQL" +
                                std::string(kNotSystem) + R"SQL(
     AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull
     AND (a.attgenerated <> '' OR composite))SQL")
                                   .c_str());
  for (size_t r = 0; r < kinds.rows(); ++r) {
    if (Column* column = column_at(kinds, r)) {
      column->generated = kinds.Bool(r, 2);
      column->composite = kinds.Bool(r, 3);
    }
  }
  QueryResult stats =
      SpiQuery((R"SQL(
  SELECT c.oid, a.attnum, s.null_frac
    FROM pg_catalog.pg_stats s
    JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname
    JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname
   WHERE c.relkind IN ('r', 'p') AND s.inherited = (c.relkind = 'p')
     AND a.attnum > 0 AND NOT a.attnotnull AND )SQL" +
                std::string(kNotSystem) + R"SQL(
     AND ($1::pg_catalog.text IS NULL OR n.nspname = $1::pg_catalog.name))SQL")
                   .c_str(),
               {catalog.scope_schema.empty() ? std::nullopt
                                             : std::optional<std::string>(catalog.scope_schema)});
  for (size_t r = 0; r < stats.rows(); ++r)
    if (Column* column = column_at(stats, r)) column->null_fraction = stats.Double(r, 2);
}

ServerPredicateOracle::ServerPredicateOracle(const Catalog& catalog) : catalog_(catalog) {
  QueryResult rows = SpiQuery(
      "SELECT i.indexrelid, i.indpred::text FROM pg_catalog.pg_index i"
      " WHERE i.indpred IS NOT NULL");
  for (size_t r = 0; r < rows.rows(); ++r) {
    const ObjectId index_id = static_cast<ObjectId>(rows.Int(r, 0));
    if (catalog.indexes.count(index_id) != 0) predicate_trees_[index_id] = rows.Text(r, 1);
  }
}

bool ServerPredicateOracle::ImpliedByNotNull(const Index& index,
                                             const std::vector<std::string>& columns) const {
  if (!index.Partial()) return true;
  auto tree = predicate_trees_.find(index.id);
  const Table* table = catalog_.FindTable(index.table_id);
  if (tree == predicate_trees_.end() || table == nullptr) return false;
  std::vector<const Column*> not_null;
  for (const std::string& name : columns) {
    const Column* column = table->FindColumn(name);
    if (column == nullptr) return false;
    not_null.push_back(column);
  }
  const char* tree_text = tree->second.c_str();
  bool implied = false;
  CallPg([&] {
    Node* predicate = static_cast<Node*>(stringToNode(tree_text));
    predicate = eval_const_expressions(nullptr, predicate);
    Expr* canonical = canonicalize_qual(reinterpret_cast<Expr*>(predicate), false);
    List* predicate_list = make_ands_implicit(canonical);
    List* known = NIL;
    for (const Column* column : not_null) {
      NullTest* test = makeNode(NullTest);
      test->arg =
          reinterpret_cast<Expr*>(makeVar(1, static_cast<AttrNumber>(column->attnum),
                                          column->type_id, column->typmod, column->collation, 0));
      test->nulltesttype = IS_NOT_NULL;
      test->argisrow = false;
      test->location = -1;
      known = lappend(known, test);
    }
    implied = predicate_implied_by(predicate_list, known, false);
  });
  return implied;
}

}  // namespace dbopt::pg
