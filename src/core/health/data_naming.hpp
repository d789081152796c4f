// Naming rules of the data checks: which column names point at which table (implied foreign
// keys) and which column names say "a copy of that column" (redundant copies). Pure string
// logic, ASCII case-folding only; the data decides in the end, names only choose what to probe.
#pragma once
#include "core/common/no_postgres.hpp"

#include <string>
#include <vector>

namespace dbopt {

// Splits an identifier into lower-case words at underscores, other punctuation and camelCase
// boundaries: "customerEmail" -> {customer, email}, "HTTPServer_id" -> {http, server, id}.
std::vector<std::string> NameWords(const std::string& identifier);

// Words joined with '_' (the key tables are looked up by).
std::string JoinWords(const std::vector<std::string>& words);

// The table-name keys a stem may refer to: itself, its plural and its singular forms
// ("category" -> category, categories; "person" -> person, people; "users" -> users, user).
// Only the last word is inflected: "order_item" -> order_items.
std::vector<std::string> TableKeysForStem(const std::vector<std::string>& stem);

// Words that end a key column's name ("id" in user_id, "code" in country_code).
bool IsKeyWord(const std::string& word);

// One way a column name can refer to a table: the table's name key (words joined by '_') and
// the words of the referenced primary key column.
struct NameReference {
  std::string table_key;
  std::vector<std::string> key_words;
  bool operator==(const NameReference& other) const {
    return table_key == other.table_key && key_words == other.key_words;
  }
};

// Every (table, key column) a column name can point at:
//  <stem>_<pk> (user_id -> users.id, customer_uuid -> customers.uuid, author_code ->
//  authors.code), <stem><pk> for id (userid, userId -> users.id), <pk> itself when the key is
//  named after its table (customer_id -> customers.customer_id), also with a role prefix
//  (billing_customer_id -> customers.customer_id). Stems are inflected by TableKeysForStem.
std::vector<NameReference> NameReferences(const std::string& column);

// True when `copy` is named as a copy of `original`: its words end with the original's words
// (customer_email / email, customerEmail / email, email / email; not surname / name).
bool NamedAsCopyOf(const std::string& copy, const std::string& original);

}  // namespace dbopt
