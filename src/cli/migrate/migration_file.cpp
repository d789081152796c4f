// Reading migration files: the name, the two sections, libpg_query's statement split and a
// classification of each statement from its parse tree. libpg_query keeps its own memory
// (freed by its pg_query_free_* calls); protobuf-c messages are freed with their
// free_unpacked functions: every such pair is held by a small owner below so that a throw in
// between leaks nothing.
#include "cli/migrate/migration_file.hpp"

#include <dirent.h>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/migrate/parse_options.hpp"
#include "core/common/sha256.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::cli::migrate {
namespace {

const char kTransactionHint[] =
    "remove it: dbopt runs each migration in its own transaction, and statements that cannot "
    "run in one (CREATE INDEX CONCURRENTLY, ...) one by one outside it";

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

CliError FileError(const std::string& path, int line, const std::string& message,
                   const std::string& hint) {
  std::string where = path;
  if (line > 0) where += ":" + std::to_string(line);
  return CliError(kExitUsage, where + ": " + message, hint);
}

// 1 + the number of newlines before offset.
int LineAt(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// PostgreSQL's cursor position (1-based, in characters) as a byte offset into UTF-8 text.
size_t CursorOffset(const std::string& text, int cursorpos) {
  if (cursorpos <= 1) return 0;
  int characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++characters == cursorpos) return i;
  }
  return text.size();
}

bool IsVersion(const std::string& version) {
  if (version.empty() || version.front() == '.' || version.back() == '.') return false;
  for (size_t i = 0; i < version.size(); ++i) {
    const char c = version[i];
    if (c == '.') {
      if (version[i + 1] == '.') return false;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

struct ParsedName {
  std::string version;
  std::string name;
};

ParsedName ParseFileName(const std::string& path) {
  const std::string base = BaseName(path);
  const size_t underscore = base.find('_');
  const bool sql_suffix = base.size() > 4 && base.compare(base.size() - 4, 4, ".sql") == 0;
  ParsedName parsed;
  if (underscore != std::string::npos && sql_suffix) {
    parsed.version = base.substr(0, underscore);
    parsed.name = base.substr(underscore + 1, base.size() - 4 - underscore - 1);
  }
  if (!sql_suffix || underscore == std::string::npos || !IsVersion(parsed.version) ||
      parsed.name.empty())
    throw FileError(path, 0, "not a migration file name (expected VERSION_NAME.sql)",
                    "name migration files like 20261201154500_add_invoice.sql: a version of "
                    "digits (dot-separated parts allowed), '_', a name, \".sql\"; "
                    "`dbopt migrate new NAME` writes one");
  return parsed;
}

// "-- dbopt:up" / "-- dbopt:down" (any case, spaces around, CR tolerated): "up", "down" or "".
std::string MarkerOf(const std::string& line) {
  std::string text;
  for (const char c : line)
    if (!std::isspace(static_cast<unsigned char>(c)))
      text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "--dbopt:up") return "up";
  if (text == "--dbopt:down") return "down";
  return "";
}

// Skips whitespace and comments (nested /* */ as PostgreSQL's) from offset; returns the first
// offset of a token.
size_t SkipSpaceAndComments(const std::string& text, size_t offset) {
  while (offset < text.size()) {
    const char c = text[offset];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++offset;
    } else if (text.compare(offset, 2, "--") == 0) {
      const size_t end = text.find('\n', offset);
      offset = end == std::string::npos ? text.size() : end + 1;
    } else if (text.compare(offset, 2, "/*") == 0) {
      int depth = 0;
      while (offset < text.size()) {
        if (text.compare(offset, 2, "/*") == 0) {
          ++depth;
          offset += 2;
        } else if (text.compare(offset, 2, "*/") == 0) {
          offset += 2;
          if (--depth == 0) break;
        } else {
          ++offset;
        }
      }
    } else {
      break;
    }
  }
  return offset;
}

struct SplitOwner {
  PgQuerySplitResult result;
  ~SplitOwner() { pg_query_free_split_result(result); }
};
struct ParseOwner {
  PgQueryProtobufParseResult result;
  ~ParseOwner() { pg_query_free_protobuf_parse_result(result); }
};
struct TreeFree {
  void operator()(PgQuery__ParseResult* tree) const {
    pg_query__parse_result__free_unpacked(tree, nullptr);
  }
};
struct ScanOwner {
  PgQueryScanResult result;
  ~ScanOwner() { pg_query_free_scan_result(result); }
};
struct TokensFree {
  void operator()(PgQuery__ScanResult* tokens) const {
    pg_query__scan_result__free_unpacked(tokens, nullptr);
  }
};

std::string Str(const char* text) {
  return text == nullptr ? std::string() : std::string(text);
}

// schema.name (each part quoted as needed), as the statement wrote it.
std::string RangeVarName(const PgQuery__RangeVar* range) {
  if (range == nullptr) return "";
  std::string name;
  if (!Str(range->catalogname).empty()) name += QuoteIdent(range->catalogname) + ".";
  if (!Str(range->schemaname).empty()) name += QuoteIdent(range->schemaname) + ".";
  return name + QuoteIdent(Str(range->relname));
}

// A DROP's object: a List of String name parts.
std::string NameListName(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_LIST) return "";
  std::string name;
  for (size_t i = 0; i < node->list->n_items; ++i) {
    const PgQuery__Node* part = node->list->items[i];
    if (part->node_case != PG_QUERY__NODE__NODE_STRING) return "";
    if (!name.empty()) name += ".";
    name += QuoteIdent(Str(part->string->sval));
  }
  return name;
}

bool HasOption(PgQuery__Node* const* options, size_t count, const char* name) {
  for (size_t i = 0; i < count; ++i)
    if (options[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
        Str(options[i]->def_elem->defname) == name)
      return true;
  return false;
}

void Destroys(MigrationStatement* statement, const std::string& table) {
  statement->destroys_data = true;
  if (!table.empty() &&
      std::find(statement->touched_tables.begin(), statement->touched_tables.end(), table) ==
          statement->touched_tables.end())
    statement->touched_tables.push_back(table);
}

const char* TransactionWords(PgQuery__TransactionStmtKind kind) {
  switch (kind) {
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
      return "BEGIN";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
      return "START TRANSACTION";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
      return "COMMIT";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
      return "ROLLBACK";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_SAVEPOINT:
      return "SAVEPOINT";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_RELEASE:
      return "RELEASE SAVEPOINT";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_TO:
      return "ROLLBACK TO SAVEPOINT";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
      return "PREPARE TRANSACTION";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
      return "COMMIT PREPARED";
    case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
      return "ROLLBACK PREPARED";
    default:
      return "transaction control";
  }
}

// Fills needs_autocommit, concurrent_index, destroys_data, touched_tables and
// created_tables from one statement's parse tree. PostgreSQL 15's PreventInTransactionBlock
// callers decide needs_autocommit; where only the live catalog could tell (CLUSTER or REINDEX
// of a partitioned table, DROP SUBSCRIPTION of one that has a slot) the statement is taken to
// need autocommit only when it always does, except DROP SUBSCRIPTION (runs either way outside).
// Returns the transaction-control words when the statement is one (rejected by the caller).
const char* Classify(const PgQuery__Node* node, MigrationStatement* statement) {
  switch (node->node_case) {
    case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
      return TransactionWords(node->transaction_stmt->kind);
    case PG_QUERY__NODE__NODE_INDEX_STMT: {
      const PgQuery__IndexStmt* index = node->index_stmt;
      if (index->concurrent) {
        statement->needs_autocommit = true;
        if (!Str(index->idxname).empty()) {
          // An index lives in its table's schema.
          const std::string schema = index->relation ? Str(index->relation->schemaname) : "";
          statement->concurrent_index =
              (schema.empty() ? "" : QuoteIdent(schema) + ".") + QuoteIdent(index->idxname);
          statement->created_index = statement->concurrent_index;
          statement->index_table = RangeVarName(index->relation);
        }
      }
      break;
    }
    case PG_QUERY__NODE__NODE_REINDEX_STMT: {
      const PgQuery__ReindexStmt* reindex = node->reindex_stmt;
      const bool concurrently =
          OptionTrue(reindex->params, reindex->n_params, "concurrently", false);
      const bool many = reindex->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SCHEMA ||
                        reindex->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM ||
                        reindex->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE;
      if (concurrently || many) statement->needs_autocommit = true;
      if (concurrently && reindex->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX)
        statement->concurrent_index = RangeVarName(reindex->relation);
      break;
    }
    case PG_QUERY__NODE__NODE_DROP_STMT: {
      const PgQuery__DropStmt* drop = node->drop_stmt;
      if (drop->concurrent) statement->needs_autocommit = true;  // DROP INDEX CONCURRENTLY
      if (drop->concurrent && drop->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX &&
          drop->n_objects == 1)
        statement->dropped_index = NameListName(drop->objects[0]);
      if (drop->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
        for (size_t i = 0; i < drop->n_objects; ++i)
          Destroys(statement, NameListName(drop->objects[i]));
      break;
    }
    case PG_QUERY__NODE__NODE_TRUNCATE_STMT: {
      const PgQuery__TruncateStmt* truncate = node->truncate_stmt;
      for (size_t i = 0; i < truncate->n_relations; ++i)
        if (truncate->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
          Destroys(statement, RangeVarName(truncate->relations[i]->range_var));
      break;
    }
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT: {
      const PgQuery__AlterTableStmt* alter = node->alter_table_stmt;
      for (size_t i = 0; i < alter->n_cmds; ++i) {
        if (alter->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) continue;
        const PgQuery__AlterTableCmd* cmd = alter->cmds[i]->alter_table_cmd;
        if (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition && cmd->def &&
            cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
            cmd->def->partition_cmd->concurrent) {
          statement->needs_autocommit = true;
          if (alter->n_cmds == 1 && cmd->def->partition_cmd->name != nullptr) {
            statement->detached_partition = RangeVarName(cmd->def->partition_cmd->name);
            statement->detach_parent = RangeVarName(alter->relation);
          }
        }
        const bool table = alter->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE;
        if (table && (cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn ||
                      cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType))
          Destroys(statement, RangeVarName(alter->relation));
      }
      break;
    }
    case PG_QUERY__NODE__NODE_DELETE_STMT:
      if (node->delete_stmt->where_clause == nullptr)
        Destroys(statement, RangeVarName(node->delete_stmt->relation));
      break;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
      if (node->update_stmt->where_clause == nullptr)
        Destroys(statement, RangeVarName(node->update_stmt->relation));
      break;
    case PG_QUERY__NODE__NODE_VACUUM_STMT:
      if (node->vacuum_stmt->is_vacuumcmd) statement->needs_autocommit = true;  // not ANALYZE
      break;
    case PG_QUERY__NODE__NODE_CLUSTER_STMT:
      if (node->cluster_stmt->relation == nullptr) statement->needs_autocommit = true;
      break;
    case PG_QUERY__NODE__NODE_CREATEDB_STMT:
    case PG_QUERY__NODE__NODE_DROPDB_STMT:
    case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
    case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
    case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
    case PG_QUERY__NODE__NODE_DROP_SUBSCRIPTION_STMT:
      statement->needs_autocommit = true;
      break;
    case PG_QUERY__NODE__NODE_ALTER_DATABASE_STMT:  // ALTER DATABASE ... SET TABLESPACE
      if (HasOption(node->alter_database_stmt->options, node->alter_database_stmt->n_options,
                    "tablespace"))
        statement->needs_autocommit = true;
      break;
    case PG_QUERY__NODE__NODE_DISCARD_STMT:
      if (node->discard_stmt->target == PG_QUERY__DISCARD_MODE__DISCARD_ALL)
        statement->needs_autocommit = true;
      break;
    case PG_QUERY__NODE__NODE_CREATE_SUBSCRIPTION_STMT: {
      // create_slot defaults to connect, which defaults to true.
      const PgQuery__CreateSubscriptionStmt* create = node->create_subscription_stmt;
      const bool connect = OptionTrue(create->options, create->n_options, "connect", true);
      if (OptionTrue(create->options, create->n_options, "create_slot", connect))
        statement->needs_autocommit = true;
      break;
    }
    case PG_QUERY__NODE__NODE_ALTER_SUBSCRIPTION_STMT: {
      const PgQuery__AlterSubscriptionStmt* alter = node->alter_subscription_stmt;
      switch (alter->kind) {
        case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_REFRESH:
          statement->needs_autocommit = true;
          break;
        case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_SET_PUBLICATION:
        case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_ADD_PUBLICATION:
        case PG_QUERY__ALTER_SUBSCRIPTION_TYPE__ALTER_SUBSCRIPTION_DROP_PUBLICATION:
          if (OptionTrue(alter->options, alter->n_options, "refresh", true))
            statement->needs_autocommit = true;
          break;
        default:
          break;
      }
      break;
    }
    case PG_QUERY__NODE__NODE_CREATE_STMT:
      statement->created_tables.push_back(RangeVarName(node->create_stmt->relation));
      break;
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
      if (node->create_table_as_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE &&
          node->create_table_as_stmt->into != nullptr)
        statement->created_tables.push_back(RangeVarName(node->create_table_as_stmt->into->rel));
      break;
    case PG_QUERY__NODE__NODE_SELECT_STMT:  // SELECT ... INTO t
      if (node->select_stmt->into_clause != nullptr)
        statement->created_tables.push_back(RangeVarName(node->select_stmt->into_clause->rel));
      break;
    default:
      break;
  }
  return nullptr;
}

// The statements of one section. first_line: the file line of the section's first byte.
void SplitSection(const std::string& path, int first_line, MigrationSection* section) {
  const std::string& text = section->text;
  SplitOwner split{pg_query_split_with_parser(text.c_str())};
  if (split.result.error != nullptr) {
    const PgQueryError* error = split.result.error;
    const int line = error->cursorpos > 0
                         ? first_line + LineAt(text, CursorOffset(text, error->cursorpos)) - 1
                         : first_line;
    throw FileError(path, line, Str(error->message),
                    "fix the statement (the file was checked with PostgreSQL 15's parser)");
  }
  for (int i = 0; i < split.result.n_stmts; ++i) {
    const PgQuerySplitStmt* piece = split.result.stmts[i];
    size_t begin = static_cast<size_t>(piece->stmt_location);
    size_t end = piece->stmt_len == 0 ? text.size() : begin + static_cast<size_t>(piece->stmt_len);
    begin = SkipSpaceAndComments(text, begin);
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    if (begin >= end) continue;
    MigrationStatement statement;
    statement.sql = text.substr(begin, end - begin);
    statement.line = first_line + LineAt(text, begin) - 1;

    ParseOwner parsed{pg_query_parse_protobuf(statement.sql.c_str())};
    if (parsed.result.error != nullptr) {  // the split parsed it already: cannot happen
      const PgQueryError* error = parsed.result.error;
      const int line =
          error->cursorpos > 0
              ? statement.line +
                    LineAt(statement.sql, CursorOffset(statement.sql, error->cursorpos)) - 1
              : statement.line;
      throw FileError(path, line, Str(error->message), "fix the statement");
    }
    std::unique_ptr<PgQuery__ParseResult, TreeFree> tree(pg_query__parse_result__unpack(
        nullptr, parsed.result.parse_tree.len,
        reinterpret_cast<const uint8_t*>(parsed.result.parse_tree.data)));
    if (tree == nullptr) throw FileError(path, statement.line, "cannot read the parse tree", "");
    for (size_t s = 0; s < tree->n_stmts; ++s) {
      const PgQuery__Node* node = tree->stmts[s]->stmt;
      if (node == nullptr) continue;
      if (const char* words = Classify(node, &statement))
        throw FileError(path, statement.line, std::string(words) + " is not allowed in a migration",
                        kTransactionHint);
    }
    section->statements.push_back(std::move(statement));
  }
}

std::string ReadWholeFile(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0)
    throw CliError(kExitUsage, path + ": " + std::strerror(errno),
                   "check the path (migration files are VERSION_NAME.sql)");
  if (S_ISDIR(info.st_mode))
    throw CliError(kExitUsage, path + ": is a folder, not a migration file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitUsage, path + ": cannot read the file");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

MigrationSection ReadMigrationSection(const std::string& path, int first_line,
                                      const std::string& text) {
  MigrationSection section;
  section.text = text;
  SplitSection(path, first_line, &section);
  return section;
}

bool MigrationFile::NeedsAutocommit() const {
  for (const MigrationStatement& statement : up.statements)
    if (statement.needs_autocommit) return true;
  return false;
}

MigrationFile ReadMigrationFile(const std::string& path) {
  MigrationFile file;
  file.path = path;
  const ParsedName parsed = ParseFileName(path);
  file.version = parsed.version;
  file.name = parsed.name;
  const std::string content = ReadWholeFile(path);
  if (content.find('\0') != std::string::npos)
    throw FileError(path, 0, "contains a NUL byte: not an SQL text file", "");

  // Cut the text at the marker lines.
  struct Cut {
    std::string kind;  // "up", "down"
    int line;          // the marker's line
    size_t begin;      // first byte after the marker line
  };
  std::vector<Cut> cuts;
  size_t offset = 0;
  int line = 1;
  std::vector<size_t> marker_starts;
  while (offset < content.size()) {
    size_t end = content.find('\n', offset);
    const size_t next = end == std::string::npos ? content.size() : end + 1;
    if (end == std::string::npos) end = content.size();
    const std::string kind = MarkerOf(content.substr(offset, end - offset));
    if (!kind.empty()) {
      for (const Cut& cut : cuts)
        if (cut.kind == kind)
          throw FileError(path, line, "a second \"-- dbopt:" + kind + "\" section",
                          "a migration file has one \"-- dbopt:up\" and one \"-- dbopt:down\" "
                          "section; the first was at line " +
                              std::to_string(cut.line));
      cuts.push_back({kind, line, next});
      marker_starts.push_back(offset);
    }
    offset = next;
    ++line;
  }
  for (const char* kind : {"up", "down"}) {
    if (std::none_of(cuts.begin(), cuts.end(), [&](const Cut& cut) { return cut.kind == kind; }))
      throw FileError(path, 0, std::string("no \"-- dbopt:") + kind + "\" section",
                      "a migration file has an up and a down section, each introduced by a "
                      "line \"-- dbopt:up\" or \"-- dbopt:down\" (an empty down section is "
                      "allowed but must be written)");
  }
  // Only comments may come before the first marker.
  const std::string preamble = content.substr(0, marker_starts.front());
  const size_t first_token = SkipSpaceAndComments(preamble, 0);
  if (first_token < preamble.size())
    throw FileError(path, LineAt(preamble, first_token),
                    "SQL before the first \"-- dbopt:up\" or \"-- dbopt:down\" line",
                    "put every statement in the up or the down section");
  for (size_t i = 0; i < cuts.size(); ++i) {
    const size_t end = i + 1 < cuts.size() ? marker_starts[i + 1] : content.size();
    MigrationSection& section = cuts[i].kind == "up" ? file.up : file.down;
    section.text = content.substr(cuts[i].begin, end - cuts[i].begin);
    SplitSection(path, cuts[i].line + 1, &section);
  }
  file.checksum = TokenChecksum(file.up.text);
  file.down_checksum = TokenChecksum(file.down.text);
  return file;
}

std::vector<MigrationFile> ReadMigrationFolder(const std::string& folder) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(folder.c_str()), closedir);
  if (dir == nullptr)
    throw CliError(kExitUsage,
                   "cannot open the migration folder \"" + folder + "\": " + std::strerror(errno),
                   "give the folder with --dir (default ./migrations); `dbopt migrate new NAME` "
                   "creates it");
  std::vector<std::string> paths;
  while (const dirent* entry = readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".sql") == 0 && name[0] != '.')
      paths.push_back(folder + (folder.back() == '/' ? "" : "/") + name);
  }
  std::sort(paths.begin(), paths.end());
  std::vector<MigrationFile> files;
  for (const std::string& path : paths) {
    struct stat info {};
    if (stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) continue;
    files.push_back(ReadMigrationFile(path));
  }
  std::stable_sort(files.begin(), files.end(), [](const MigrationFile& a, const MigrationFile& b) {
    return CompareVersions(a.version, b.version) < 0;
  });
  for (size_t i = 1; i < files.size(); ++i)
    if (CompareVersions(files[i - 1].version, files[i].version) == 0)
      throw CliError(kExitUsage,
                     files[i].path + ": version " + files[i].version + " is also the version of " +
                         files[i - 1].path,
                     "every migration needs its own version: rename one of the files");
  return files;
}

int CompareVersions(const std::string& a, const std::string& b) {
  // Part by part, as numbers of any length: strip leading zeros, then longer is larger.
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const size_t a_end = std::min(a.find('.', i), a.size());
    const size_t b_end = std::min(b.find('.', j), b.size());
    std::string x = i < a.size() ? a.substr(i, a_end - i) : "";
    std::string y = j < b.size() ? b.substr(j, b_end - j) : "";
    const bool x_missing = i >= a.size(), y_missing = j >= b.size();
    if (x_missing != y_missing) return x_missing ? -1 : 1;  // "1.2" before "1.2.0"
    x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
    y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
    if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    if (const int order = x.compare(y)) return order < 0 ? -1 : 1;
    i = a_end + 1;
    j = b_end + 1;
  }
  return 0;
}

std::string TokenChecksum(const std::string& sql) {
  // Line endings inside tokens (string literals, function bodies) are normalised too: a
  // checkout with CRLF line endings is not a change.
  std::string text;
  text.reserve(sql.size());
  for (size_t i = 0; i < sql.size(); ++i)
    if (!(sql[i] == '\r' && i + 1 < sql.size() && sql[i + 1] == '\n')) text += sql[i];
  ScanOwner scan{pg_query_scan(text.c_str())};
  if (scan.result.error != nullptr)
    throw CliError(kExitUsage,
                   "cannot scan the SQL for its checksum: " + Str(scan.result.error->message));
  std::unique_ptr<PgQuery__ScanResult, TokensFree> tokens(pg_query__scan_result__unpack(
      nullptr, scan.result.pbuf.len, reinterpret_cast<const uint8_t*>(scan.result.pbuf.data)));
  if (tokens == nullptr) throw CliError(kExitError, "cannot read libpg_query's scan result");
  Sha256 hash;
  for (size_t i = 0; i < tokens->n_tokens; ++i) {
    const PgQuery__ScanToken* token = tokens->tokens[i];
    if (token->token == PG_QUERY__TOKEN__SQL_COMMENT || token->token == PG_QUERY__TOKEN__C_COMMENT)
      continue;
    if (token->start < 0 || token->end < token->start ||
        static_cast<size_t>(token->end) > text.size())
      continue;
    std::string word = text.substr(token->start, token->end - token->start);
    const bool keyword = token->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD;
    const bool unquoted_identifier =
        token->token == PG_QUERY__TOKEN__IDENT && !word.empty() && word.front() != '"';
    if (keyword || unquoted_identifier)  // PostgreSQL folds ASCII letters only
      for (char& c : word)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    hash.Update(word);
    hash.Update(std::string_view("\0", 1));  // tokens "a" "b" differ from "ab"
  }
  return hash.HexDigest();
}

}  // namespace dbopt::cli::migrate
