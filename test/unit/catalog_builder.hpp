// A small builder of core Catalogs for unit tests of the schema checks.
#pragma once
#include <string>
#include <vector>

#include "core/model/catalog.hpp"

namespace dbopt::test {

constexpr ObjectId kInt4 = 23;
constexpr ObjectId kInt8 = 20;
constexpr ObjectId kText = 25;
constexpr ObjectId kVarchar = 1043;
constexpr ObjectId kNumeric = 1700;
constexpr ObjectId kInt4Ops = 1978;  // btree int4_ops
constexpr ObjectId kIntFamily = 1976;
constexpr ObjectId kTextOps = 3126;  // btree text_ops
constexpr ObjectId kTextPatternOps = 10052;
constexpr ObjectId kDefaultCollation = 100;
constexpr ObjectId kCCollation = 950;
constexpr ObjectId kInt4Eq = 96;

class CatalogBuilder {
 public:
  // A table with int4 columns (name[:type], type one of int4 int8 text varchar(N)), all NOT NULL
  // when not_null is set.
  Table& AddTable(const std::string& name, const std::vector<std::string>& columns,
                  bool not_null = false, char kind = 'r', ObjectId parent = 0) {
    Table table;
    table.id = next_id_++;
    table.schema = "public";
    table.name = name;
    table.kind = kind;
    table.parent_id = parent;
    int attnum = 1;
    for (const std::string& spec : columns) {
      Column column;
      column.attnum = attnum++;
      size_t colon = spec.find(':');
      column.name = spec.substr(0, colon);
      std::string type = colon == std::string::npos ? "int4" : spec.substr(colon + 1);
      column.not_null = not_null;
      if (type == "int4") {
        column.type_id = kInt4;
        column.type_name = "integer";
      } else if (type == "int8") {
        column.type_id = kInt8;
        column.type_name = "bigint";
      } else if (type == "text") {
        column.type_id = kText;
        column.type_name = "text";
        column.collation = kDefaultCollation;
      } else if (type.rfind("varchar(", 0) == 0) {
        int length = std::stoi(type.substr(8));
        column.type_id = kVarchar;
        column.typmod = length + 4;
        column.type_name = "character varying(" + std::to_string(length) + ")";
        column.collation = kDefaultCollation;
      } else if (type.rfind("numeric(", 0) == 0) {
        size_t comma = type.find(',');
        int precision = std::stoi(type.substr(8));
        int scale = std::stoi(type.substr(comma + 1));
        column.type_id = kNumeric;
        column.typmod = ((precision << 16) | scale) + 4;
        column.type_name =
            "numeric(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
      }
      table.columns.push_back(column);
    }
    ObjectId id = table.id;
    catalog_.tables[id] = table;
    return catalog_.tables[id];
  }

  // A valid btree index on plain columns (an entry starting with "(" is an expression), with
  // default int4/text operator classes; definition filled as pg_get_indexdef prints it.
  Index& AddIndex(const Table& table, const std::string& name, const std::vector<std::string>& keys,
                  const std::string& am = "btree") {
    Index index;
    index.id = next_id_++;
    index.table_id = table.id;
    index.schema = table.schema;
    index.name = name;
    index.access_method = am;
    std::string columns;
    for (const std::string& key : keys) {
      IndexColumn column;
      if (key[0] == '(') {
        column.expression = key.substr(1, key.size() - 2);
      } else {
        column.column = key;
        const Column* c = table.FindColumn(key);
        if (c != nullptr && c->collation != 0) {
          column.opclass = kTextOps;
          column.collation = c->collation;
        } else {
          column.opclass = kInt4Ops;
          column.opfamily = kIntFamily;
        }
      }
      index.keys.push_back(column);
      columns += (columns.empty() ? "" : ", ") + key;
    }
    index.definition = "CREATE INDEX " + name + " ON " + (table.Partitioned() ? "ONLY " : "") +
                       table.schema + "." + table.name + " USING " + am + " (" + columns + ")";
    ObjectId id = index.id;
    catalog_.indexes[id] = index;
    return catalog_.indexes[id];
  }

  // Turns an index into a unique one (fixing its definition text).
  static void MakeUnique(Index& index) {
    index.unique = true;
    index.definition.replace(0, 13, "CREATE UNIQUE INDEX ");
  }

  // References into foreign_keys/constraints are valid until the next Add of the same kind.
  ForeignKey& AddForeignKey(const Table& table, const std::string& name,
                            const std::vector<std::string>& columns, const Table& referenced,
                            const std::vector<std::string>& referenced_columns) {
    ForeignKey fk;
    fk.id = next_id_++;
    fk.name = name;
    fk.table_id = table.id;
    fk.referenced_table_id = referenced.id;
    fk.columns = columns;
    fk.referenced_columns = referenced_columns;
    fk.equality_operators.assign(columns.size(), kInt4Eq);
    catalog_.foreign_keys.push_back(fk);
    catalog_.equality_members.insert({kIntFamily, kInt4Eq});
    return catalog_.foreign_keys.back();
  }

  CheckConstraintInfo& AddConstraint(const Table& table, const std::string& name, char type) {
    CheckConstraintInfo constraint;
    constraint.id = next_id_++;
    constraint.name = name;
    constraint.table_id = table.id;
    constraint.type = type;
    catalog_.constraints.push_back(constraint);
    return catalog_.constraints.back();
  }

  Catalog& catalog() { return catalog_; }
  // Links partitions and by-table lookups; call after the last Add and before checking.
  const Catalog& Build() {
    catalog_.Link();
    return catalog_;
  }

 private:
  Catalog catalog_;
  ObjectId next_id_ = 1000;
};

}  // namespace dbopt::test
