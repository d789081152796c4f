// Keyset pagination for a captured query's (normalized) text: finds the clauses of a plain
// SELECT at its top level (outside parentheses, string literals, quoted names and comments)
// and writes the page query that continues after the last row read instead of skipping rows
// with OFFSET. Text in, text out: no parser, so only what the scanner is sure of is
// rewritten (a single SELECT, optionally after WITH; no GROUP BY, no set operation); the
// caller says so when it gives up.
#pragma once
#include "core/common/no_postgres.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace dbopt::antipatterns {

// One ORDER BY item as written.
struct OrderItem {
  std::string expression;  // the item without ASC/DESC/NULLS
  bool descending = false;
  bool nulls_first = false;     // effective (DESC defaults to NULLS FIRST)
  bool nulls_explicit = false;  // NULLS FIRST/LAST written
};

// The top-level clauses of a SELECT.
struct SelectShape {
  bool select = false;  // one SELECT (optionally after WITH): the fields below are valid
  std::size_t statement_begin = 0;  // after a PREPARE ... AS prefix
  bool set_operation = false;       // UNION / INTERSECT / EXCEPT at the top level
  bool grouped = false;             // GROUP BY or HAVING at the top level
  bool has_where = false;
  std::size_t where_begin = 0;   // first character of the WHERE condition
  std::size_t where_end = 0;     // end of the WHERE condition (trailing space excluded)
  std::size_t where_insert = 0;  // where a WHERE clause would go when there is none
  bool has_order = false;
  std::size_t order_end = 0;  // end of the last ORDER BY item
  std::vector<OrderItem> order;
  bool order_using = false;  // an item orders with USING <op>: not rewritten
  bool has_offset = false;
  std::size_t offset_begin = 0;  // the OFFSET keyword
  std::size_t offset_end = 0;    // after its value (and ROW/ROWS)
  bool has_limit = false;        // LIMIT or FETCH FIRST/NEXT at the top level
  std::size_t limit_insert = 0;  // where a LIMIT would go when there is none
  int max_parameter = 0;         // highest $n in the text
};
SelectShape ScanSelect(const std::string& text);

struct KeysetRewrite {
  std::string statement;                // the page query; "" when no rewrite (see why_not)
  std::vector<std::string> keys;        // the sort keys, tie-breakers included
  std::vector<std::string> parameters;  // "$5", ...: the last row's value of each key
  std::string condition;                // the keyset condition alone
  std::string limit_parameter;          // "$7" when add_limit added LIMIT $7
  std::string why_not;                  // why there is no rewrite
};

// The keyset page query of `text`: the keyset condition on the ORDER BY items (plus
// tie_breakers, appended to the ORDER BY with the last item's direction) added to WHERE, the
// OFFSET removed (and a PREPARE ... AS prefix: the statement alone). item_columns (optional, one
// per ORDER BY item, "" when unknown) names the table column of an item written as an output
// position (ORDER BY 2) or an output alias, which a WHERE clause cannot use. One direction: a row
// comparison, `(a, b) > ($5, $6)`
// (`<` for DESC); mixed directions: `a > $5 OR (a = $5 AND b < $6)`. add_limit: a query
// without LIMIT gets `LIMIT $n` (the page size) after its ORDER BY.
KeysetRewrite RewriteKeyset(const std::string& text, const std::vector<std::string>& item_columns,
                            const std::vector<std::string>& tie_breakers, bool add_limit = false);

}  // namespace dbopt::antipatterns
