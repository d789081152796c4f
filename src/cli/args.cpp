#include "cli/args.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "cli/exit_codes.hpp"

namespace dbopt::cli {
namespace {

struct OptionSpec {
  const char* long_name;  // without "--"
  char short_name;        // 0: none
  bool takes_value;
};

// psql's letters where psql has the option (-d -h -p -U), pg_dump's -n for a schema.
const OptionSpec kHealthOptions[] = {
    {"dbname", 'd', true},       {"host", 'h', true},       {"port", 'p', true},
    {"username", 'U', true},     {"schema", 'n', true},     {"include-data", 0, false},
    {"format", 'F', true},       {"min-severity", 0, true}, {"color", 0, true},
    {"no-password", 'w', false}, {"password", 'W', false},  {"help", '?', false},
};

// The connection options are health's; the rest are top's own.
const OptionSpec kTopOptions[] = {
    {"dbname", 'd', true},       {"host", 'h', true},      {"port", 'p', true},
    {"username", 'U', true},     {"limit", 0, true},       {"order-by", 0, true},
    {"all-users", 0, false},     {"format", 'F', true},    {"color", 0, true},
    {"no-password", 'w', false}, {"password", 'W', false}, {"help", '?', false},
};

// The connection options are health's; the rest map to dbopt_recommend_indexes()'s arguments.
const OptionSpec kAdviseOptions[] = {
    {"dbname", 'd', true},       {"host", 'h', true},
    {"port", 'p', true},         {"username", 'U', true},
    {"budget", 0, true},         {"max-indexes", 0, true},
    {"max-columns", 0, true},    {"algorithm", 0, true},
    {"min-calls", 0, true},      {"min-benefit-per-size", 0, true},
    {"apply", 0, false},         {"dry-run", 0, false},
    {"format", 'F', true},       {"color", 0, true},
    {"no-password", 'w', false}, {"password", 'W', false},
    {"help", '?', false},
};

// `dbopt migrate`: connection options as above; which subcommand takes which of the rest is
// kMigrateOptionUse below.
// Each group on its own lines, so that subcommands' options merge without conflicts.
// clang-format off
const OptionSpec kMigrateOptions[] = {
    {"dbname", 'd', true},    {"host", 'h', true},   {"port", 'p', true},
    {"username", 'U', true},  {"dir", 0, true},      {"to", 0, true},
    {"steps", 0, true},       {"dry-run", 0, false}, {"backup", 0, true},
    {"lock-wait", 0, true},   {"online", 0, false},  {"fail-on", 0, true},
    {"format", 'F', true},    {"color", 0, true},    {"no-password", 'w', false},
    {"password", 'W', false}, {"help", '?', false},
    // from-findings
    {"checks", 0, true}, {"min-severity", 0, true}, {"schema", 'n', true}, {"advise", 0, false},
    {"no-health", 0, false},
    // up: validation
    {"allow-out-of-order", 0, false},
};
// clang-format on

// `dbopt report`: connection options as above, then where, what format and since when.
const OptionSpec kReportOptions[] = {
    {"dbname", 'd', true},   {"host", 'h', true},         {"port", 'p', true},
    {"username", 'U', true}, {"output", 'o', true},       {"format", 'F', true},
    {"since", 0, true},      {"no-password", 'w', false}, {"password", 'W', false},
    {"help", '?', false},
};

// Per subcommand, the options beyond connection, --dir, --format, --color and --help.
struct MigrateOptionUse {
  const char* subcommand;
  std::vector<std::string> options;
};
const MigrateOptionUse kMigrateOptionUse[] = {
    {"new", {}},
    {"up", {"to", "dry-run", "backup", "lock-wait", "allow-out-of-order"}},
    {"down", {"to", "steps", "dry-run", "lock-wait"}},
    {"status", {}},
    {"verify", {}},
    {"lint", {"online", "fail-on"}},
    {"baseline", {"to", "lock-wait"}},
    {"repair", {"lock-wait"}},
    {"from-findings", {"checks", "min-severity", "schema", "advise", "no-health"}},
};

struct OptionTable {
  const OptionSpec* begin;
  const OptionSpec* end;
};

template <size_t N>
OptionTable Table(const OptionSpec (&specs)[N]) {
  return {specs, specs + N};
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct ParsedOption {
  const OptionSpec* spec;
  std::string value;
};

// Splits one command's arguments into options (with values) and positional arguments.
void SplitArguments(const std::vector<std::string>& args, size_t begin, OptionTable known,
                    std::vector<ParsedOption>* options, std::vector<std::string>* positional) {
  bool options_done = false;
  for (size_t i = begin; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      positional->push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::string value;
    bool has_inline_value = false;
    std::string shown;  // the option as the user wrote it, for messages
    if (arg[1] == '-') {
      const size_t eq = arg.find('=');
      const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      shown = "--" + name;
      for (const OptionSpec* candidate = known.begin; candidate != known.end; ++candidate)
        if (name == candidate->long_name) spec = candidate;
      if (eq != std::string::npos) {
        has_inline_value = true;
        value = arg.substr(eq + 1);
      }
    } else {
      shown = arg.substr(0, 2);
      for (const OptionSpec* candidate = known.begin; candidate != known.end; ++candidate)
        if (candidate->short_name == arg[1]) spec = candidate;
      if (arg.size() > 2) {
        has_inline_value = true;
        value = arg.substr(2);
      }
    }
    if (spec == nullptr) throw UsageError("unknown option \"" + shown + "\"");
    if (spec->takes_value && !has_inline_value) {
      if (i + 1 >= args.size()) throw UsageError("option \"" + shown + "\" needs a value");
      value = args[++i];
    } else if (!spec->takes_value && has_inline_value) {
      throw UsageError("option \"" + shown + "\" takes no value");
    }
    options->push_back({spec, value});
  }
}

OutputFormat ParseFormat(const std::string& value) {
  const std::string v = Lower(value);
  if (v == "text") return OutputFormat::kText;
  if (v == "json") return OutputFormat::kJson;
  if (v == "sql") return OutputFormat::kSql;
  throw UsageError("invalid value \"" + value + "\" for --format (expected text, json or sql)");
}

ColorMode ParseColor(const std::string& value) {
  const std::string v = Lower(value);
  if (v == "auto") return ColorMode::kAuto;
  if (v == "always") return ColorMode::kAlways;
  if (v == "never") return ColorMode::kNever;
  throw UsageError("invalid value \"" + value + "\" for --color (expected auto, always or never)");
}

// Applies a connection option to connection; false if option is not one.
bool ApplyConnectionOption(const ParsedOption& option, ConnectionOptions* connection) {
  const std::string name = option.spec->long_name;
  if (name == "dbname")
    connection->dbname = option.value;
  else if (name == "host")
    connection->host = option.value;
  else if (name == "port")
    connection->port = option.value;
  else if (name == "username")
    connection->username = option.value;
  else if (name == "no-password")
    connection->password_prompt = PasswordPrompt::kNever;
  else if (name == "password")
    connection->password_prompt = PasswordPrompt::kAlways;
  else
    return false;
  return true;
}

// The one positional argument every command takes: the connection string.
void SetConninfo(const std::vector<std::string>& positional, ConnectionOptions* connection) {
  if (positional.size() > 1)
    throw UsageError("too many arguments: \"" + positional[1] +
                     "\" (give one connection string; quote it if it contains spaces)");
  if (!positional.empty()) connection->conninfo = positional[0];
}

Command ParseHealth(const std::vector<std::string>& args) {
  Command command;
  command.kind = Command::Kind::kHealth;
  std::vector<ParsedOption> options;
  std::vector<std::string> positional;
  SplitArguments(args, 1, Table(kHealthOptions), &options, &positional);
  HealthOptions& health = command.health;
  for (const ParsedOption& option : options) {
    const std::string name = option.spec->long_name;
    if (name == "help") {
      command.kind = Command::Kind::kHelp;
      command.help_topic = "health";
      return command;
    }
    if (ApplyConnectionOption(option, &health.connection)) continue;
    if (name == "schema") {
      if (option.value.empty()) throw UsageError("--schema needs a non-empty schema name");
      health.schema = option.value;
    }
    if (name == "include-data") health.include_data = true;
    if (name == "format") health.format = ParseFormat(option.value);
    if (name == "color") health.color = ParseColor(option.value);
    if (name == "min-severity" && !ParseSeverity(option.value, &health.min_severity))
      throw UsageError("invalid value \"" + option.value +
                       "\" for --min-severity (expected critical, warning or info)");
  }
  SetConninfo(positional, &health.connection);
  return command;
}

// A whole number of at least 1 (at most 18 digits); 0 when value is not one.
std::int64_t PositiveNumber(const std::string& value) {
  const bool digits =
      !value.empty() && value.size() <= 18 &&
      std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  return digits ? std::stoll(value) : 0;
}

// A positive int for option; what names the unit in the message.
int PositiveInt(const std::string& value, const std::string& option, const std::string& what) {
  const std::int64_t number = PositiveNumber(value);
  if (number < 1 || number > 1000000000)
    throw UsageError("invalid value \"" + value + "\" for " + option +
                     " (expected a whole number of " + what + ", at least 1)");
  return static_cast<int>(number);
}

int ParseLimit(const std::string& value) {
  return PositiveInt(value, "--limit", "queries");
}

Command ParseTop(const std::vector<std::string>& args) {
  Command command;
  command.kind = Command::Kind::kTop;
  std::vector<ParsedOption> options;
  std::vector<std::string> positional;
  SplitArguments(args, 1, Table(kTopOptions), &options, &positional);
  TopOptions& top = command.top;
  for (const ParsedOption& option : options) {
    const std::string name = option.spec->long_name;
    if (name == "help") {
      command.kind = Command::Kind::kHelp;
      command.help_topic = "top";
      return command;
    }
    if (ApplyConnectionOption(option, &top.connection)) continue;
    if (name == "limit") top.limit = ParseLimit(option.value);
    if (name == "order-by" && !ParseTopOrder(option.value, &top.order_by))
      throw UsageError("invalid value \"" + option.value +
                       "\" for --order-by (expected total_time, mean_time, calls or rows)");
    if (name == "all-users") top.all_users = true;
    if (name == "format") {
      const std::string format = Lower(option.value);
      if (format != "text" && format != "json")
        throw UsageError("invalid value \"" + option.value +
                         "\" for --format (expected text or json)");
      top.format = ParseFormat(format);
    }
    if (name == "color") top.color = ParseColor(option.value);
  }
  SetConninfo(positional, &top.connection);
  return command;
}

Command ParseAdvise(const std::vector<std::string>& args) {
  Command command;
  command.kind = Command::Kind::kAdvise;
  std::vector<ParsedOption> options;
  std::vector<std::string> positional;
  SplitArguments(args, 1, Table(kAdviseOptions), &options, &positional);
  AdviseOptions& advise = command.advise;
  bool dry_run = false;
  for (const ParsedOption& option : options) {
    const std::string name = option.spec->long_name;
    if (name == "help") {
      command.kind = Command::Kind::kHelp;
      command.help_topic = "advise";
      return command;
    }
    if (ApplyConnectionOption(option, &advise.connection)) continue;
    if (name == "budget") {
      const std::string budget = Lower(option.value);
      if (budget.empty()) throw UsageError("--budget needs a size, e.g. --budget=500MB");
      advise.budget = budget == "unlimited" ? "" : option.value;
    }
    if (name == "max-indexes")
      advise.max_indexes = Lower(option.value) == "unlimited"
                               ? AdviseOptions::kNoLimit
                               : PositiveInt(option.value, "--max-indexes", "indexes");
    if (name == "max-columns")
      advise.max_columns = PositiveInt(option.value, "--max-columns", "columns");
    if (name == "algorithm") {
      if (option.value.empty())
        throw UsageError("--algorithm needs a name: dbopt, extend or exhaustive");
      advise.algorithm = Lower(option.value);
    }
    if (name == "min-calls") {
      advise.min_calls = PositiveNumber(option.value);
      if (advise.min_calls < 1)
        throw UsageError("invalid value \"" + option.value +
                         "\" for --min-calls (expected a whole number of calls, at least 1)");
    }
    if (name == "min-benefit-per-size") {
      char* end = nullptr;
      const double value = std::strtod(option.value.c_str(), &end);
      if (option.value.empty() || end != option.value.c_str() + option.value.size() ||
          !std::isfinite(value) || value < 0)
        throw UsageError("invalid value \"" + option.value +
                         "\" for --min-benefit-per-size (expected a number, at least 0)");
      advise.min_benefit_per_size = option.value;
    }
    if (name == "apply") advise.apply = true;
    if (name == "dry-run") dry_run = true;
    if (name == "format") advise.format = ParseFormat(option.value);
    if (name == "color") advise.color = ParseColor(option.value);
  }
  if (advise.apply && dry_run) throw UsageError("--apply and --dry-run exclude each other");
  if (advise.apply && advise.format == OutputFormat::kSql)
    throw UsageError("--apply runs the statements itself: use --format text or json with it");
  SetConninfo(positional, &advise.connection);
  return command;
}

Command ParseMigrate(const std::vector<std::string>& args) {
  Command command;
  command.kind = Command::Kind::kMigrate;
  std::vector<ParsedOption> options;
  std::vector<std::string> positional;
  SplitArguments(args, 1, Table(kMigrateOptions), &options, &positional);
  MigrateOptions& migrate = command.migrate;
  for (const ParsedOption& option : options) {
    if (std::string(option.spec->long_name) == "help") {
      command.kind = Command::Kind::kHelp;
      command.help_topic = "migrate";
      return command;
    }
  }
  if (positional.empty())
    throw UsageError(
        "dbopt migrate needs a subcommand (new, up, down, status, verify, lint, "
        "baseline, repair, from-findings)");
  migrate.subcommand = positional[0];
  const auto& known = MigrateSubcommands();
  if (std::find(known.begin(), known.end(), migrate.subcommand) == known.end())
    throw UsageError("unknown migrate subcommand \"" + migrate.subcommand + "\"");
  migrate.arguments.assign(positional.begin() + 1, positional.end());
  for (const ParsedOption& option : options) {
    const std::string name = option.spec->long_name;
    if (!MigrateOptionAllowed(migrate.subcommand, name))
      throw UsageError("option \"--" + name + "\" is not valid for \"dbopt migrate " +
                       migrate.subcommand + "\"");
    if (ApplyConnectionOption(option, &migrate.connection)) continue;
    if (name == "dir") {
      if (option.value.empty()) throw UsageError("--dir needs a non-empty folder name");
      migrate.directory = option.value;
    }
    if (name == "to") {
      if (option.value.empty()) throw UsageError("--to needs a version");
      migrate.to = option.value;
    }
    if (name == "steps") migrate.steps = PositiveInt(option.value, "--steps", "migrations");
    if (name == "dry-run") migrate.dry_run = true;
    if (name == "backup") {
      if (option.value.empty()) throw UsageError("--backup needs a folder");
      migrate.backup_dir = option.value;
    }
    if (name == "lock-wait") {
      const std::int64_t seconds = option.value == "0" ? 0 : PositiveNumber(option.value);
      if ((seconds == 0 && option.value != "0") || seconds > 86400)
        throw UsageError("invalid value \"" + option.value +
                         "\" for --lock-wait (expected whole seconds, 0 to 86400)");
      migrate.lock_wait_seconds = static_cast<int>(seconds);
    }
    if (name == "online") migrate.online = true;
    if (name == "fail-on") migrate.fail_on = Lower(option.value);
    if (name == "format") {
      migrate.format = ParseFormat(option.value);
      if (migrate.format == OutputFormat::kSql)
        throw UsageError("dbopt migrate writes text or json, not sql");
    }
    if (name == "color") migrate.color = ParseColor(option.value);
    if (name == "checks") {
      migrate.checks.clear();
      size_t begin = 0;
      while (begin <= option.value.size()) {
        const size_t comma = std::min(option.value.find(',', begin), option.value.size());
        const std::string id = Lower(option.value.substr(begin, comma - begin));
        if (id.empty() ||
            id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
          throw UsageError("invalid check id \"" + id +
                           "\" in --checks (expected ids such as fk_unindexed,index_redundant)");
        migrate.checks.push_back(id);
        begin = comma + 1;
      }
    }
    if (name == "min-severity" && !ParseSeverity(option.value, &migrate.min_severity))
      throw UsageError("invalid value \"" + option.value +
                       "\" for --min-severity (expected critical, warning or info)");
    if (name == "schema") {
      if (option.value.empty()) throw UsageError("--schema needs a schema name");
      migrate.schema = option.value;
    }
    if (name == "advise") migrate.advise = true;
    if (name == "no-health") migrate.no_health = true;
    if (name == "allow-out-of-order") migrate.allow_out_of_order = true;
  }
  if (migrate.no_health && !migrate.advise)
    throw UsageError("--no-health leaves nothing to write without --advise");
  if (!migrate.to.empty() && migrate.steps != 0)
    throw UsageError("--to and --steps exclude each other");
  return command;
}

// --since: a date or timestamp ("2026-11-30", "2026-11-30 12:00") or an interval back from
// now ("7 days", "36 hours", "2 weeks"); the server parses it (a bad one is a usage error).
bool LooksLikeTimestamp(const std::string& value) {
  return value.size() >= 10 && std::isdigit(static_cast<unsigned char>(value[0])) &&
         value[4] == '-' && value[7] == '-';
}

Command ParseReport(const std::vector<std::string>& args) {
  Command command;
  command.kind = Command::Kind::kReport;
  std::vector<ParsedOption> options;
  std::vector<std::string> positional;
  SplitArguments(args, 1, Table(kReportOptions), &options, &positional);
  ReportOptions& report = command.report;
  bool format_given = false;
  for (const ParsedOption& option : options) {
    const std::string name = option.spec->long_name;
    if (name == "help") {
      command.kind = Command::Kind::kHelp;
      command.help_topic = "report";
      return command;
    }
    if (ApplyConnectionOption(option, &report.connection)) continue;
    if (name == "output") {
      if (option.value.empty()) throw UsageError("--output needs a file name");
      report.output = option.value == "-" ? "" : option.value;
    }
    if (name == "format") {
      const std::string format = Lower(option.value);
      if (format != "html" && format != "markdown" && format != "md")
        throw UsageError("invalid value \"" + option.value +
                         "\" for --format (expected html or markdown)");
      report.markdown = format != "html";
      format_given = true;
    }
    if (name == "since") {
      if (option.value.empty() || option.value.find_first_not_of(" ") == std::string::npos)
        throw UsageError("--since needs an interval (\"7 days\") or a date (\"2026-11-30\")");
      report.since = option.value;
      report.since_is_timestamp = LooksLikeTimestamp(option.value);
    }
  }
  if (!format_given) {
    const std::string lower = Lower(report.output);
    report.markdown = lower.size() > 3 && lower.compare(lower.size() - 3, 3, ".md") == 0;
  }
  SetConninfo(positional, &report.connection);
  return command;
}

std::vector<std::string> Spellings(OptionTable table) {
  std::vector<std::string> spellings;
  for (const OptionSpec* option = table.begin; option != table.end; ++option) {
    spellings.push_back(std::string("--") + option->long_name);
    if (option->short_name != 0) spellings.push_back(std::string("-") + option->short_name);
  }
  return spellings;
}

}  // namespace

std::vector<std::string> HealthOptionSpellings() {
  return Spellings(Table(kHealthOptions));
}

std::vector<std::string> TopOptionSpellings() {
  return Spellings(Table(kTopOptions));
}

std::vector<std::string> AdviseOptionSpellings() {
  return Spellings(Table(kAdviseOptions));
}

std::vector<std::string> MigrateOptionSpellings() {
  return Spellings(Table(kMigrateOptions));
}

std::vector<std::string> ReportOptionSpellings() {
  return Spellings(Table(kReportOptions));
}

const std::vector<std::string>& MigrateSubcommands() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const MigrateOptionUse& use : kMigrateOptionUse) list.push_back(use.subcommand);
    return list;
  }();
  return names;
}

bool MigrateOptionAllowed(const std::string& subcommand, const std::string& long_name) {
  static const char* const kEveryone[] = {"dbname",   "host", "port",   "username", "no-password",
                                          "password", "dir",  "format", "color",    "help"};
  for (const char* name : kEveryone)
    if (long_name == name) return true;
  for (const MigrateOptionUse& use : kMigrateOptionUse)
    if (subcommand == use.subcommand)
      return std::find(use.options.begin(), use.options.end(), long_name) != use.options.end();
  return false;
}

bool IsCommandName(const std::string& name) {
  return name == "health" || name == "top" || name == "advise" || name == "migrate" ||
         name == "report";
}

bool ParseTopOrder(const std::string& text, TopOrder* order) {
  for (TopOrder candidate :
       {TopOrder::kTotalTime, TopOrder::kMeanTime, TopOrder::kCalls, TopOrder::kRows}) {
    if (Lower(text) == TopOrderName(candidate)) {
      *order = candidate;
      return true;
    }
  }
  return false;
}

const char* TopOrderName(TopOrder order) {
  switch (order) {
    case TopOrder::kTotalTime:
      return "total_time";
    case TopOrder::kMeanTime:
      return "mean_time";
    case TopOrder::kCalls:
      return "calls";
    case TopOrder::kRows:
      return "rows";
  }
  return "total_time";
}

bool ParseSeverity(const std::string& text, Severity* severity) {
  for (Severity candidate : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    if (Lower(text) == SeverityName(candidate)) {
      *severity = candidate;
      return true;
    }
  }
  return false;
}

Command ParseCommandLine(const std::vector<std::string>& args) {
  Command command;
  if (args.empty()) throw UsageError("no command given");
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "-?") return command;
  if (first == "--version" || first == "-V") {
    command.kind = Command::Kind::kVersion;
    return command;
  }
  if (first == "help") {
    if (args.size() > 2) throw UsageError("too many arguments to \"help\"");
    if (args.size() == 2) {
      if (!IsCommandName(args[1])) throw UsageError("unknown command \"" + args[1] + "\"");
      command.help_topic = args[1];
    }
    return command;
  }
  if (first == "health") return ParseHealth(args);
  if (first == "top") return ParseTop(args);
  if (first == "advise") return ParseAdvise(args);
  if (first == "migrate") return ParseMigrate(args);
  if (first == "report") return ParseReport(args);
  if (first[0] == '-') throw UsageError("unknown option \"" + first + "\"");
  throw UsageError("unknown command \"" + first + "\"");
}

}  // namespace dbopt::cli
