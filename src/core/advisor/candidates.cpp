// Candidate generation. Per query and table: equality columns first, most selective first (by
// n_distinct), then one range column or the ORDER BY / GROUP BY keys; single columns as
// building blocks; INCLUDE columns for an index-only scan; partial indexes for a rare
// constant condition; expression keys; trigram GIN for leading-wildcard patterns. Whatever an
// existing index already serves is dropped; what extends an existing index is a widening.
#include "core/advisor/candidates.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/common/sql_text.hpp"

namespace dbopt::advisor {

using capture::QualKind;
using capture::QualOperand;

const char* CandidateKindName(CandidateKind kind) {
  switch (kind) {
    case CandidateKind::kSingle:
      return "single";
    case CandidateKind::kMultiColumn:
      return "multi_column";
    case CandidateKind::kJoin:
      return "join";
    case CandidateKind::kSort:
      return "sort";
    case CandidateKind::kGroup:
      return "group";
    case CandidateKind::kCovering:
      return "covering";
    case CandidateKind::kPartial:
      return "partial";
    case CandidateKind::kExpression:
      return "expression";
    case CandidateKind::kTrigram:
      return "trigram";
    case CandidateKind::kWiden:
      return "widen";
  }
  return "single";
}

namespace {

std::string KeyText(const IndexKey& key) {
  std::string text = key.column.empty() ? "(" + key.expression + ")" : QuoteIdent(key.column);
  if (!key.opclass.empty()) text += " " + key.opclass;
  if (key.descending) text += " DESC";
  return text;
}

}  // namespace

std::string Candidate::Ddl() const {
  std::string sql = "CREATE INDEX ON " + table + " USING " + access_method + " (";
  for (std::size_t k = 0; k < keys.size(); ++k) sql += (k ? ", " : "") + KeyText(keys[k]);
  sql += ")";
  if (!include.empty()) sql += " INCLUDE (" + JoinIdents(include) + ")";
  if (!predicate.empty()) sql += " WHERE " + predicate;
  return sql;
}

std::vector<std::string> Candidate::Columns() const {
  std::vector<std::string> columns;
  auto add = [&](const std::string& c) {
    if (!c.empty() && std::find(columns.begin(), columns.end(), c) == columns.end())
      columns.push_back(c);
  };
  for (const IndexKey& key : keys) add(key.column);
  for (const std::string& c : include) add(c);
  for (const std::string& c : predicate_columns) add(c);
  return columns;
}

std::vector<std::string> Candidate::NameParts() const {
  std::vector<std::string> parts;
  for (const IndexKey& key : keys) {
    if (!key.column.empty()) {
      parts.push_back(key.column);
      continue;
    }
    std::string part;
    for (char ch : key.expression)
      if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')
        part += ch;
      else if (!part.empty() && part.back() != '_')
        part += '_';
    while (!part.empty() && part.back() == '_') part.pop_back();
    parts.push_back(part.empty() ? "expr" : part);
  }
  for (const std::string& c : include) parts.push_back(c);
  const std::string trgm = "gin_trgm_ops";  // possibly qualified with pg_trgm's schema
  if (access_method == "gin" && !keys.empty() && keys[0].opclass.size() >= trgm.size() &&
      keys[0].opclass.compare(keys[0].opclass.size() - trgm.size(), trgm.size(), trgm) == 0)
    parts.push_back("trgm");
  if (!predicate.empty()) parts.push_back("part");
  return parts;
}

namespace {

// Lower case without blanks, parentheses and casts: "(status = 'open'::text)" and
// "status = 'open'" compare equal. Good enough to recognise our own predicate and expression
// texts in pg_get_indexdef output; a miss only means a candidate is evaluated needlessly.
std::string Normalized(const std::string& sql) {
  std::string out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (ch == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      i += 2;
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_' ||
                                sql[i] == ' ' || sql[i] == '"'))
        ++i;
      --i;
      continue;
    }
    if (ch == ' ' || ch == '(' || ch == ')' || ch == '"') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

// The parts of a pg_get_indexdef text: key texts and the predicate ("" when not found).
struct DefinitionParts {
  std::vector<std::string> keys;
  std::string predicate;
};

DefinitionParts ParseDefinition(const std::string& definition) {
  DefinitionParts parts;
  std::size_t using_at = definition.find(" USING ");
  if (using_at == std::string::npos) return parts;
  std::size_t open = definition.find('(', using_at);
  if (open == std::string::npos) return parts;
  int depth = 0;
  bool quoted = false;
  std::string current;
  std::size_t i = open;
  for (; i < definition.size(); ++i) {
    const char ch = definition[i];
    if (ch == '\'') quoted = !quoted;
    if (!quoted && ch == '(') {
      if (depth++ == 0) continue;
    } else if (!quoted && ch == ')') {
      if (--depth == 0) break;
    } else if (!quoted && ch == ',' && depth == 1) {
      parts.keys.push_back(current);
      current.clear();
      continue;
    }
    current += ch;
  }
  parts.keys.push_back(current);
  std::size_t where = definition.find(" WHERE ", i);
  if (where != std::string::npos) parts.predicate = definition.substr(where + 7);
  return parts;
}

bool SameKey(const IndexColumn& existing, const std::string& existing_text, const IndexKey& key,
             bool reversed) {
  const bool descending = (existing.option & 1) != 0;
  if (key.column.empty()) {
    if (!existing.IsExpression()) return false;
    // "lower(email) DESC" / "lower(email) text_pattern_ops": compare the expression part.
    std::string text = existing_text;
    for (const char* suffix : {" DESC", " NULLS FIRST", " NULLS LAST"}) {
      std::size_t at = text.rfind(suffix);
      if (at != std::string::npos) text.erase(at);
    }
    if (Normalized(text) != Normalized(key.expression)) return false;
  } else if (existing.column != key.column) {
    return false;
  }
  return (descending != key.descending) == reversed;
}

}  // namespace

bool ExistingCovers(const Catalog& catalog, const Index& index, const Candidate& candidate) {
  if (index.table_id != candidate.table_id || !index.valid || !index.ready) return false;
  if (index.access_method != candidate.access_method) return false;
  if (candidate.keys.empty() || candidate.keys.size() > index.keys.size()) return false;
  const bool needs_text = index.Partial() || !candidate.predicate.empty() ||
                          std::any_of(index.keys.begin(), index.keys.end(),
                                      [](const IndexColumn& c) { return c.IsExpression(); }) ||
                          std::any_of(candidate.keys.begin(), candidate.keys.end(),
                                      [](const IndexKey& k) { return !k.opclass.empty(); });
  DefinitionParts parts;
  std::string definition;
  if (needs_text) {
    definition = catalog.IndexDefinition(index);
    parts = ParseDefinition(definition);
  }
  if (index.Partial() || !candidate.predicate.empty()) {
    // A full index serves a partial candidate's queries; a partial one only the same
    // predicate.
    if (index.Partial() && Normalized(parts.predicate) != Normalized(candidate.predicate))
      return false;
  }
  auto key_text = [&](std::size_t k) { return k < parts.keys.size() ? parts.keys[k] : ""; };
  bool keys_match = false;
  if (index.access_method == "btree") {
    for (bool reversed : {false, true}) {
      bool all = true;
      for (std::size_t k = 0; k < candidate.keys.size() && all; ++k)
        all = SameKey(index.keys[k], key_text(k), candidate.keys[k], reversed);
      keys_match = keys_match || all;
    }
  } else {
    // Unordered access methods: every candidate key is some key of the index, with the
    // candidate's operator class when it names one.
    keys_match = true;
    for (const IndexKey& key : candidate.keys) {
      bool found = false;
      for (std::size_t k = 0; k < index.keys.size() && !found; ++k) {
        IndexKey plain = key;
        plain.descending = (index.keys[k].option & 1) != 0;
        if (!SameKey(index.keys[k], key_text(k), plain, false)) continue;
        found = key.opclass.empty() || key_text(k).find(key.opclass) != std::string::npos;
      }
      keys_match = keys_match && found;
    }
  }
  if (!keys_match) return false;
  for (const std::string& column : candidate.include) {
    bool found = false;
    for (const auto* list : {&index.keys, &index.include})
      for (const IndexColumn& c : *list) found = found || c.column == column;
    if (!found) return false;
  }
  return true;
}

bool ExistingMatches(const Catalog& catalog, const Index& index, const Candidate& candidate) {
  if (!index.valid || !index.ready || index.parent_index_id != 0 || index.unique || index.primary ||
      index.exclusion || index.constraint_id != 0 ||
      index.access_method != candidate.access_method ||
      index.keys.size() != candidate.keys.size() ||
      index.include.size() != candidate.include.size())
    return false;
  for (std::size_t i = 0; i < index.include.size(); ++i)
    if (index.include[i].column != candidate.include[i]) return false;
  // pg_get_indexdef prints an operator class, a collation or NULLS only when not the default;
  // the candidate's DDL names neither collation nor NULLS.
  const DefinitionParts existing = ParseDefinition(catalog.IndexDefinition(index));
  const DefinitionParts wanted = ParseDefinition(candidate.Ddl());
  if (existing.keys.size() != wanted.keys.size()) return false;
  for (std::size_t k = 0; k < wanted.keys.size(); ++k)
    if (Normalized(existing.keys[k]) != Normalized(wanted.keys[k])) return false;
  return Normalized(existing.predicate) == Normalized(wanted.predicate);
}

const Index* WidenedIndex(const Catalog& catalog, const Candidate& candidate) {
  if (candidate.access_method != "btree" || !candidate.predicate.empty()) return nullptr;
  // A partitioned index cannot be dropped CONCURRENTLY (DROP INDEX locks every partition):
  // on a partitioned table the wider index is proposed beside the old one, never instead.
  const Table* table = catalog.FindTable(candidate.table_id);
  if (table != nullptr && table->Partitioned()) return nullptr;
  for (const Index* index : catalog.IndexesOf(candidate.table_id)) {
    if (index->access_method != "btree" || !index->valid || !index->ready || index->unique ||
        index->primary || index->exclusion || index->constraint_id != 0 || index->Partial() ||
        index->replica_identity || index->referenced_by_foreign_key ||
        index->parent_index_id != 0 || index->keys.empty())
      continue;
    if (index->keys.size() > candidate.keys.size()) continue;
    if (index->keys.size() == candidate.keys.size() &&
        candidate.include.size() <= index->include.size())
      continue;
    bool prefix = true;
    for (std::size_t k = 0; k < index->keys.size() && prefix; ++k) {
      const IndexColumn& key = index->keys[k];
      prefix = !key.IsExpression() && key.column == candidate.keys[k].column &&
               ((key.option & 1) != 0) == candidate.keys[k].descending && key.option <= 1;
    }
    if (!prefix) continue;
    const std::vector<std::string> columns = candidate.Columns();
    bool keeps_include = true;
    for (const IndexColumn& c : index->include)
      keeps_include =
          keeps_include && std::find(columns.begin(), columns.end(), c.column) != columns.end();
    if (keeps_include) return index;
  }
  return nullptr;
}

Candidate BtreeCandidate(const Table& table, const std::vector<std::string>& columns) {
  Candidate candidate;
  candidate.table_id = table.id;
  candidate.table = QualifiedName(table);
  for (const std::string& c : columns) candidate.keys.push_back(IndexKey{c, "", false, ""});
  candidate.kind = columns.size() == 1 ? CandidateKind::kSingle : CandidateKind::kMultiColumn;
  return candidate;
}

namespace {

bool IsEqualityLike(const Predicate& p) {
  return (p.kind == QualKind::kEquality || p.kind == QualKind::kIn ||
          p.kind == QualKind::kIsNull) &&
         (p.operand != QualOperand::kOther);
}

bool IsTextType(const Column& column) {
  return column.type_name == "text" || column.type_name.find("char") != std::string::npos ||
         column.type_name == "citext";
}

// The B-tree operator class that serves LIKE 'abc%' and ~ '^abc' whatever the column's
// collation (the default one does only under the C collation); empty for other types.
std::string PatternOpclass(const Column& column) {
  const std::string& type = column.type_name;
  if (type == "text") return "text_pattern_ops";
  if (type.rfind("character varying", 0) == 0 || type.rfind("varchar", 0) == 0)
    return "varchar_pattern_ops";
  if (type.rfind("character", 0) == 0 || type.rfind("bpchar", 0) == 0) return "bpchar_pattern_ops";
  return "";
}

// Fraction of rows an equality on `p` keeps.
double EqualitySelectivity(const Table& table, const Predicate& p) {
  if (p.selectivity >= 0) return p.selectivity;
  const Column* column = p.column.empty() ? nullptr : table.FindColumn(p.column);
  if (column == nullptr) return 0.01;
  if (p.kind == QualKind::kIsNull) return column->null_fraction >= 0 ? column->null_fraction : 0.01;
  const double distinct = column->DistinctValues(table.rows);
  return distinct > 0 ? std::min(1.0, 1.0 / distinct) : 0.01;
}

struct Generator {
  const Catalog& catalog;
  const CandidateOptions& options;
  std::map<std::string, std::size_t> by_ddl;
  std::vector<Candidate> out;

  void Add(Candidate candidate, std::size_t query) {
    if (candidate.keys.empty()) return;
    if (candidate.access_method == "btree" && candidate.keys.size() > options.max_columns) return;
    // An INCLUDE column that is also a key adds nothing.
    std::vector<std::string> include;
    for (const std::string& c : candidate.include)
      if (std::none_of(candidate.keys.begin(), candidate.keys.end(),
                       [&](const IndexKey& k) { return k.column == c; }) &&
          std::find(include.begin(), include.end(), c) == include.end())
        include.push_back(c);
    candidate.include = include;
    if (candidate.include.size() > options.max_include_columns) return;
    // Duplicate key columns (a column both compared and sorted on) appear once.
    std::vector<IndexKey> keys;
    for (const IndexKey& k : candidate.keys)
      if (k.column.empty() || std::none_of(keys.begin(), keys.end(),
                                           [&](const IndexKey& o) { return o.column == k.column; }))
        keys.push_back(k);
    candidate.keys = keys;
    const std::string ddl = candidate.Ddl();
    auto found = by_ddl.find(ddl);
    if (found != by_ddl.end()) {
      std::vector<std::size_t>& queries = out[found->second].queries;
      if (std::find(queries.begin(), queries.end(), query) == queries.end())
        queries.push_back(query);
      return;
    }
    for (const Index* index : catalog.IndexesOf(candidate.table_id))
      if (ExistingCovers(catalog, *index, candidate)) return;
    if (const Index* widened = WidenedIndex(catalog, candidate)) {
      candidate.kind = CandidateKind::kWiden;
      candidate.replaces = widened->id;
    }
    candidate.queries = {query};
    by_ddl[ddl] = out.size();
    out.push_back(std::move(candidate));
  }
};

Candidate Make(const Table& table, CandidateKind kind, std::vector<IndexKey> keys) {
  Candidate candidate;
  candidate.table_id = table.id;
  candidate.table = QualifiedName(table);
  candidate.kind = kind;
  candidate.keys = std::move(keys);
  return candidate;
}

IndexKey Plain(const std::string& column, bool descending = false) {
  return IndexKey{column, "", descending, ""};
}

// A condition text for a partial index, and the fraction of rows it keeps (-1 unknown).
std::string PartialCondition(const Table& table, const Predicate& p, double max_distinct,
                             double* fraction) {
  *fraction = p.selectivity;
  const Column* column = p.column.empty() ? nullptr : table.FindColumn(p.column);
  if (p.kind == QualKind::kIsNull || p.kind == QualKind::kIsNotNull) {
    if (*fraction < 0 && column != nullptr && column->null_fraction >= 0)
      *fraction = p.kind == QualKind::kIsNull ? column->null_fraction : 1 - column->null_fraction;
    if (p.column.empty()) return "";
    return QuoteIdent(p.column) + (p.kind == QualKind::kIsNull ? " IS NULL" : " IS NOT NULL");
  }
  if (p.operand != QualOperand::kConstant || column == nullptr) return "";
  const double distinct = column->DistinctValues(table.rows);
  if (column->type_name != "boolean" && (distinct <= 0 || distinct > max_distinct)) return "";
  return p.condition;
}

void GenerateForUse(Generator& gen, const Table& table, const Query& query, const TableUse& use,
                    std::size_t q) {
  const CandidateOptions& options = gen.options;
  // Equality columns, most selective first; IN lists and IS NULL count as equality for the
  // key order (a btree can seek them), but an IN list breaks the order of what follows.
  struct Eq {
    std::string column;
    double selectivity;
    bool in_list;
    bool join;
  };
  std::vector<Eq> equality;
  std::vector<std::string> ranges;
  for (const Predicate& p : use.predicates) {
    if (p.column.empty() || table.FindColumn(p.column) == nullptr) continue;
    if (IsEqualityLike(p)) {
      auto it = std::find_if(equality.begin(), equality.end(),
                             [&](const Eq& e) { return e.column == p.column; });
      if (it == equality.end())
        equality.push_back(Eq{p.column, EqualitySelectivity(table, p), p.kind == QualKind::kIn,
                              p.operand == QualOperand::kOuter});
    } else if (p.kind == QualKind::kRange &&
               std::find(ranges.begin(), ranges.end(), p.column) == ranges.end()) {
      ranges.push_back(p.column);
    }
  }
  std::stable_sort(equality.begin(), equality.end(),
                   [](const Eq& a, const Eq& b) { return a.selectivity < b.selectivity; });
  // Ranges already compared by equality are not ranges.
  ranges.erase(std::remove_if(ranges.begin(), ranges.end(),
                              [&](const std::string& r) {
                                return std::any_of(equality.begin(), equality.end(),
                                                   [&](const Eq& e) { return e.column == r; });
                              }),
               ranges.end());

  std::vector<IndexKey> eq_keys;
  for (const Eq& e : equality)
    if (eq_keys.size() < options.max_columns) eq_keys.push_back(Plain(e.column));

  // Single columns.
  for (const Eq& e : equality)
    gen.Add(Make(table, e.join ? CandidateKind::kJoin : CandidateKind::kSingle, {Plain(e.column)}),
            q);
  for (const std::string& r : ranges) gen.Add(Make(table, CandidateKind::kSingle, {Plain(r)}), q);

  // Equality prefixes (most selective first), then one range column.
  for (std::size_t n = 2; n <= eq_keys.size(); ++n)
    gen.Add(Make(table, CandidateKind::kMultiColumn,
                 std::vector<IndexKey>(eq_keys.begin(), eq_keys.begin() + n)),
            q);
  std::vector<IndexKey> best_keys = eq_keys;  // what INCLUDE columns go with
  for (std::size_t r = 0; r < ranges.size() && r < 2; ++r) {
    std::vector<IndexKey> keys(eq_keys.begin(),
                               eq_keys.begin() + std::min(eq_keys.size(), options.max_columns - 1));
    if (keys.empty()) continue;
    keys.push_back(Plain(ranges[r]));
    gen.Add(Make(table, CandidateKind::kMultiColumn, keys), q);
    if (r == 0) best_keys = keys;
  }
  if (best_keys.empty() && !ranges.empty()) best_keys = {Plain(ranges[0])};

  // ORDER BY in index order after the equality columns (not after an IN list, whose values
  // come one after the other). All descending keys are served by a backward scan.
  std::vector<IndexKey> sort_keys;
  if (!use.order_by.empty()) {
    const bool all_desc = std::all_of(use.order_by.begin(), use.order_by.end(),
                                      [](const SortKey& k) { return k.descending; });
    std::vector<IndexKey> order;
    for (const SortKey& k : use.order_by)
      if (table.FindColumn(k.column) != nullptr)
        order.push_back(Plain(k.column, all_desc ? false : k.descending));
    if (order.size() == use.order_by.size() && order.size() <= options.max_columns) {
      for (const Eq& e : equality)
        if (!e.in_list && sort_keys.size() + order.size() < options.max_columns)
          sort_keys.push_back(Plain(e.column));
      sort_keys.insert(sort_keys.end(), order.begin(), order.end());
      gen.Add(Make(table, CandidateKind::kSort, sort_keys), q);
      if (!equality.empty()) gen.Add(Make(table, CandidateKind::kSort, order), q);
    }
  }
  // GROUP BY in index order.
  if (!use.group_by.empty() && use.group_by.size() <= options.max_columns) {
    std::vector<IndexKey> group;
    for (const std::string& c : use.group_by)
      if (table.FindColumn(c) != nullptr) group.push_back(Plain(c));
    if (group.size() == use.group_by.size()) {
      std::vector<IndexKey> keys;
      for (const Eq& e : equality)
        if (!e.in_list && keys.size() + group.size() < options.max_columns)
          keys.push_back(Plain(e.column));
      keys.insert(keys.end(), group.begin(), group.end());
      gen.Add(Make(table, CandidateKind::kGroup, keys), q);
    }
  }

  // INCLUDE the other columns the query reads: an index-only scan.
  if (!use.columns_read.empty()) {
    for (const std::vector<IndexKey>* keys : {&best_keys, &sort_keys}) {
      if (keys->empty()) continue;
      Candidate covering = Make(table, CandidateKind::kCovering, *keys);
      for (const std::string& c : use.columns_read)
        if (table.FindColumn(c) != nullptr) covering.include.push_back(c);
      if (covering.include.empty()) continue;
      gen.Add(covering, q);
    }
  }

  // Partial: a constant condition that keeps few rows becomes the WHERE clause; the other
  // columns (or the sort keys) are the keys.
  const Predicate* rare = nullptr;
  double rare_fraction = 2;
  std::string rare_condition;
  for (const Predicate& p : use.predicates) {
    double fraction = -1;
    std::string condition = PartialCondition(table, p, options.partial_max_distinct, &fraction);
    if (condition.empty() || fraction < 0 || fraction > options.partial_max_fraction) continue;
    if (fraction < rare_fraction) {
      rare = &p;
      rare_fraction = fraction;
      rare_condition = condition;
    }
  }
  if (rare != nullptr) {
    std::vector<IndexKey> keys;
    if (!use.order_by.empty() && !sort_keys.empty()) {
      for (const IndexKey& k : sort_keys)
        if (k.column != rare->column) keys.push_back(k);
    } else {
      for (const IndexKey& k : best_keys)
        if (k.column != rare->column) keys.push_back(k);
    }
    if (keys.empty()) keys.push_back(Plain(rare->column));
    Candidate partial = Make(table, CandidateKind::kPartial, keys);
    partial.predicate = rare_condition;
    partial.predicate_columns = {rare->column};
    gen.Add(partial, q);
    // ... and with the other columns read as INCLUDE columns (an index-only scan).
    for (const std::string& c : use.columns_read)
      if (c != rare->column && table.FindColumn(c) != nullptr) partial.include.push_back(c);
    if (!partial.include.empty()) gen.Add(partial, q);
  }

  // Expression keys and trigram indexes.
  for (const Predicate& p : use.predicates) {
    if (!p.expression.empty() && (IsEqualityLike(p) || p.kind == QualKind::kRange)) {
      IndexKey key;
      key.expression = p.expression;
      gen.Add(Make(table, CandidateKind::kExpression, {key}), q);
    }
    // A case-sensitive pattern anchored at the start (LIKE 'abc%', ~ '^abc'): a B-tree range
    // on the prefix, after the equality columns.
    if (!p.column.empty() && (p.kind == QualKind::kLike || p.kind == QualKind::kRegex) &&
        !p.leading_wildcard && !p.case_insensitive) {
      const Column* column = table.FindColumn(p.column);
      const std::string opclass = column != nullptr ? PatternOpclass(*column) : "";
      if (!opclass.empty()) {
        const IndexKey key{p.column, "", false, opclass};
        gen.Add(Make(table, CandidateKind::kSingle, {key}), q);
        std::vector<IndexKey> keys;
        for (const IndexKey& k : eq_keys)
          if (k.column != p.column && keys.size() + 1 < options.max_columns) keys.push_back(k);
        if (!keys.empty()) {
          keys.push_back(key);
          gen.Add(Make(table, CandidateKind::kMultiColumn, keys), q);
        }
      }
    }
    if (options.trigram && !p.column.empty() &&
        (p.kind == QualKind::kLike || p.kind == QualKind::kRegex) &&
        (p.leading_wildcard || p.case_insensitive)) {
      const Column* column = table.FindColumn(p.column);
      if (column == nullptr || !IsTextType(*column)) continue;
      Candidate trigram =
          Make(table, CandidateKind::kTrigram, {IndexKey{p.column, "", false, "gin_trgm_ops"}});
      trigram.access_method = "gin";
      trigram.requires_extension = "pg_trgm";
      gen.Add(trigram, q);
    }
  }
  (void)query;
}

}  // namespace

std::vector<std::string> IndexableColumns(const TableUse& use) {
  std::vector<std::string> columns;
  auto add = [&](const std::string& c) {
    if (!c.empty() && std::find(columns.begin(), columns.end(), c) == columns.end())
      columns.push_back(c);
  };
  for (const Predicate& p : use.predicates)
    if (IsEqualityLike(p)) add(p.column);
  for (const Predicate& p : use.predicates)
    if (p.kind == QualKind::kRange) add(p.column);
  for (const SortKey& k : use.order_by) add(k.column);
  for (const std::string& c : use.group_by) add(c);
  return columns;
}

std::vector<Candidate> GenerateCandidates(const Catalog& catalog, const Workload& workload,
                                          const CandidateOptions& options) {
  Generator gen{catalog, options, {}, {}};
  for (std::size_t q = 0; q < workload.queries.size(); ++q) {
    const Query& query = workload.queries[q];
    for (const TableUse& use : query.tables) {
      const Table* table = catalog.FindTable(use.table_id);
      // A partitioned table's candidates are partitioned indexes (one per leaf: the what-if
      // engine and the DDL recipe handle them); its rows are its leaves' (SumPartitionStatistics).
      if (table == nullptr || table->rows < options.min_table_rows) continue;
      GenerateForUse(gen, *table, query, use, q);
    }
  }
  return gen.out;
}

std::vector<Candidate> SingleColumnCandidates(const Catalog& catalog, const Workload& workload) {
  CandidateOptions options;
  Generator gen{catalog, options, {}, {}};
  for (std::size_t q = 0; q < workload.queries.size(); ++q)
    for (const TableUse& use : workload.queries[q].tables) {
      const Table* table = catalog.FindTable(use.table_id);
      if (table == nullptr) continue;
      for (const std::string& column : IndexableColumns(use))
        if (table->FindColumn(column) != nullptr) gen.Add(BtreeCandidate(*table, {column}), q);
    }
  return gen.out;
}

bool MayServe(const Candidate& candidate, const TableUse& use) {
  if (candidate.table_id != use.table_id) return false;
  if (candidate.keys.empty() || candidate.keys[0].column.empty()) return true;
  const std::string& leading = candidate.keys[0].column;
  auto tested = [&](const std::string& column) {
    for (const Predicate& p : use.predicates)
      if (p.column == column) return true;
    return false;
  };
  if (tested(leading)) return true;
  for (const SortKey& key : use.order_by)
    if (key.column == leading) return true;
  for (const std::string& column : use.group_by)
    if (column == leading) return true;
  for (const std::string& column : candidate.predicate_columns)
    if (tested(column)) return true;
  if (use.predicates.empty() && use.order_by.empty() && use.group_by.empty())
    return use.columns_read.empty() || std::find(use.columns_read.begin(), use.columns_read.end(),
                                                 leading) != use.columns_read.end();
  return false;
}

}  // namespace dbopt::advisor
