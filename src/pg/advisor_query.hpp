// What the index advisor needs to know about one statement, read from its analyzed Query tree
// (a capture sample, or a statement parsed here): per table, the conditions on its columns or
// on expressions of them (with their SQL text when compared to constants, for partial
// indexes), ORDER BY / GROUP BY columns, every column read (for INCLUDE), LIMIT; for an UPDATE,
// the columns it sets. Relations are read by OID; nothing is locked.
#pragma once
#include <map>
#include <string>

#include "core/advisor/workload_input.hpp"
#include "pg/postgres.hpp"

namespace dbopt::pg::advisor {

// Fills out->tables, has_limit and is_write from `query` (subqueries and CTEs included);
// adds `rows` (the rows the statement wrote over the period) to (*writes)[table] of its
// result relation: inserted, deleted, or updated and each column it sets. Runs PostgreSQL
// lookups through CallPg.
void DescribeQuery(Query* query, double rows, dbopt::advisor::Query* out,
                   std::map<ObjectId, dbopt::advisor::TableWrites>* writes);

// The analyzed Query of one SQL statement (parse analysis with parameter types inferred for
// $n); throws SqlError (42601) unless `sql` is exactly one statement.
Query* AnalyzeStatement(const std::string& sql);

// SQL text of an expression of one relation whose Vars are numbered `varno`, columns
// unqualified as in an index definition; "" when the relation no longer exists.
std::string DeparseExpression(Node* node, Oid relid, int varno);

// AnalyzeStatement in an internal subtransaction: nullptr when the text does not parse or
// analyze (a normalized text such as `date $1` is not valid SQL, a table was dropped); the
// error is discarded. A cancel is rethrown.
Query* TryAnalyzeStatement(const std::string& sql);

}  // namespace dbopt::pg::advisor
