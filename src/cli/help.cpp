#include "cli/help.hpp"

#include "cli/migrate/lint_report.hpp"

#ifndef DBOPT_VERSION
#error "DBOPT_VERSION must be defined by the build (from dbopt.control)"
#endif

namespace dbopt::cli {
namespace {

// What every command's help says about connecting, between its usage and its own options.
const char kConnectionHelp[] =
    R"(CONNINFO is a libpq connection string ("host=db1 dbname=app"), a URI
("postgresql://user@db1/app") or a database name. What it leaves out comes from the
usual PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, PGSERVICE variables and
~/.pgpass, as with psql.

Connection options:
  -d, --dbname=DBNAME      database (overrides the one in CONNINFO)
  -h, --host=HOSTNAME      database server host or socket directory
  -p, --port=PORT          database server port
  -U, --username=USERNAME  database user name
  -w, --no-password        never prompt for a password
  -W, --password           prompt for a password before connecting (by default
                           dbopt asks when the server wants one and there is a terminal)
)";

const char kOverview[] =
    R"(dbopt - health checks and advice for a PostgreSQL database (with the dbopt extension)

Usage:
  dbopt COMMAND [OPTIONS]

Commands:
  health    report schema health findings and the statements that fix them
  top       show the heaviest captured queries and how they read their tables
  advise    recommend indexes for the captured workload, and build them (--apply)
  migrate   apply, revert, check and lint schema migrations (dbopt help migrate)
  report    write the history (trends, applied indexes, findings) as one HTML
            page with charts, or Markdown for a ticket
  help      show help for a command ("dbopt help health", "dbopt help advise")

Options:
  -?, -h, --help    show this help, then exit
  -V, --version     output version information, then exit

Exit status: 0 success (no findings), 1 findings or recommendations reported,
2 usage error, 3 connection or server error. See "dbopt help COMMAND".
)";

const char kHealth[] = R"(dbopt health - report schema health findings of a database

Usage:
  dbopt health [OPTIONS] [CONNINFO]

)";

const char kHealthOptionsHelp[] = R"(
Check options:
  -n, --schema=SCHEMA      check only this schema (default: all user schemas)
      --include-data       also run the checks that sample table data (slower)
      --min-severity=LEVEL report only findings at or above LEVEL:
                           critical, warning or info (default: info)

Output options:
  -F, --format=FORMAT      text (default): findings grouped by severity, with fixes
                           json: one JSON array of findings
                           sql:  a script of every remediation statement, to review
                                 and run with "psql -f" (no transaction: CONCURRENTLY
                                 statements cannot run inside one)
      --color=WHEN         color the text output: auto (default: on a terminal,
                           unless NO_COLOR is set), always or never
  -?, --help               show this help, then exit

Exit status:
  0  no findings at or above --min-severity
  1  findings at or above --min-severity were reported
  2  usage error (bad option or argument)
  3  connection failure, dbopt extension missing, or server error

Needs the dbopt extension in the database: CREATE EXTENSION dbopt;
)";

const char kTop[] = R"(dbopt top - the heaviest captured queries and their access paths

Usage:
  dbopt top [OPTIONS] [CONNINFO]

Reads what dbopt captured in the current database (dbopt_queries and
dbopt_access_paths; the server needs shared_preload_libraries = 'dbopt') and shows
one row per query: queryid, calls, total and mean execution time, rows, share of
the total time, and the normalized query text (cut to the terminal's width), with
the relations it scanned under it: scan kind, index used, estimated vs actual rows
and rows removed by filter, per loop, from the sampled executions.

)";

const char kTopOptionsHelp[] = R"(
What to show:
      --limit=N            show the N heaviest queries (default: 10)
      --order-by=WHAT      rank by total_time (default), mean_time, calls or rows
      --all-users          every user's queries (default: the connected user's);
                           others' texts need pg_read_all_stats, as in
                           pg_stat_statements

Output options:
  -F, --format=FORMAT      text (default): a table, access paths under each query
                           json: one object with a "queries" array
      --color=WHEN         auto (default: on a terminal, unless NO_COLOR is set),
                           always or never
  -?, --help               show this help, then exit

Exit status:
  0  success (also when nothing was captured yet)
  2  usage error (bad option or argument)
  3  connection failure, dbopt extension missing or not preloaded, or server error
)";

const char kAdvise[] = R"(dbopt advise - index recommendations for the captured workload

Usage:
  dbopt advise [OPTIONS] [CONNINFO]

Calls dbopt_advise() in the database (one advisor run: the rows of
dbopt_recommend_indexes() and dbopt_recommendation_summary(); superuser; the
server needs shared_preload_libraries = 'dbopt') and shows the indexes that lower the weighted cost of the captured workload most,
the queries each one helps, and the statements that create them. Nothing is
changed unless --apply is given.

)";

const char kAdviseOptionsHelp[] = R"(
Advisor options (the arguments of dbopt_advise()):
      --budget=SIZE        storage the new indexes may take ('500MB', '2GB',
                           bytes; default: unlimited)
      --max-indexes=N      at most N indexes (default: 10; unlimited for none)
      --max-columns=N      at most N key columns per index (default: 3)
      --algorithm=NAME     dbopt (default), extend or exhaustive
      --min-calls=N        only queries called at least N times (default: 1)
      --min-benefit-per-size=X
                           leave out indexes whose benefit (share of the
                           workload cost) is below X times their size (share
                           of the data the workload reads); default 0.1, 0
                           for no floor

Applying:
      --apply              build the recommended indexes, one at a time, each
                           statement in autocommit (CREATE INDEX CONCURRENTLY),
                           check each index is valid, and record it with the
                           captured calls and mean time of the queries it helps
                           (tables applied_index, applied_index_baseline). A
                           failed or invalid build is dropped and reported, and
                           the run stops; Ctrl-C does the same (a second Ctrl-C
                           quits at once). Progress goes to stderr.
      --dry-run            only show the recommendations (the default)

Output options:
  -F, --format=FORMAT      text (default): summary, indexes, the queries they help
                           json: one object with "summary" and "recommendations"
                           sql:  the statements as a script for "psql -f"
                                 (not with --apply)
      --color=WHEN         auto (default: on a terminal, unless NO_COLOR is set),
                           always or never
  -?, --help               show this help, then exit

Exit status:
  0  nothing to recommend, or (--apply) every recommended index was built
  1  recommendations shown (not applied)
  2  usage error (bad option, or an argument the server refuses: --budget 5 parsecs)
  3  connection failure, dbopt extension missing, server error, or (--apply) an
     index that could not be built, or Ctrl-C
)";

const char kMigrate[] = R"(dbopt migrate - versioned schema migrations, applied safely

Usage:
  dbopt migrate SUBCOMMAND [OPTIONS] [ARGUMENTS]

Migrations are .sql files in one folder (--dir, default ./migrations) named
VERSION_NAME.sql (VERSION: digits, optionally dot-separated; "dbopt migrate new"
uses the UTC time), each with an up and a down section:

  -- dbopt:up
  CREATE TABLE ...;
  -- dbopt:down
  DROP TABLE ...;

History is kept in the dbopt extension's tables migration_history and
migration_event (CREATE EXTENSION dbopt in the target database first).

Subcommands:
  new NAME          write an empty migration file VERSION_NAME.sql
  up                apply pending migrations (--to VERSION: up to and including it)
  down              revert the newest applied migration (--steps N, --to VERSION:
                    revert those newer than VERSION)
  status            applied, pending, failed and changed migrations
  verify            files against history (checksums, missing files) and
                    schema changes made outside migrations
  lint [FILE...]    dangerous DDL in migration files (--online: with the live schema)
  baseline          record an existing schema as applied up to --to VERSION
  repair            settle failed runs, realign checksums after deliberate edits,
                    acknowledge recorded schema drift
  from-findings     write dbopt's recommended fixes as a migration file

)";

const char kMigrateOptionsHelp[] = R"(
Migration options:
      --dir=FOLDER         the migration files (default: migrations)
      --to=VERSION         target version (up, down, baseline)
      --steps=N            revert the newest N applied migrations (down)
      --dry-run            run in a transaction that is rolled back, with
                           lock_timeout and statement_timeout set, and report
                           the locks taken and tables rewritten (up, down)
      --backup=FOLDER      pg_dump the tables a data-destroying migration
                           touches before running it (up)
      --allow-out-of-order also apply pending files below the newest applied
                           version (up refuses them without it)
      --lock-wait=SECONDS  wait at most this long for another runner's lock
                           (default: 60; 0: do not wait)
      --online             lint with the live schema's sizes and indexes (lint)
      --fail-on=SEVERITY   lint's exit status is 1 when a finding is at or
                           above SEVERITY (default: error)

from-findings options (which fixes go into the file; NAME defaults to
dbopt_remediations):
      --checks=ID,...      only these dbopt_health() checks (fk_unindexed,
                           constraint_not_valid, index_invalid, index_redundant,
                           index_duplicate, index_unused, ...; default: all)
      --min-severity=SEV   only findings at or above critical, warning or info
                           (default: info)
  -n, --schema=SCHEMA      only findings in this schema
      --advise             add dbopt_recommend_indexes()'s indexes (superuser,
                           dbopt in shared_preload_libraries)
      --no-health          only the advisor's indexes (with --advise)

Output options:
  -F, --format=FORMAT      text (default) or json
      --color=WHEN         auto (default: on a terminal, unless NO_COLOR is set),
                           always or never
  -?, --help               show this help, then exit

Exit status:
  0  success (lint: nothing at or above --fail-on)
  1  lint findings at or above --fail-on; verify: differences found
  2  usage error, or a migration file that is not valid
  3  connection failure, dbopt extension missing, lock not obtained, or a
     migration that failed (nothing of it is left applied)
)";

const char kReport[] = R"(dbopt report - the database's history as a page a person can read

Usage:
  dbopt report [OPTIONS] [CONNINFO]

Reads the history dbopt_snapshot() keeps (and the trend functions over it:
dbopt_workload_trend, dbopt_recommendation_outcomes, dbopt_query_trend,
dbopt_finding_changes, dbopt_seq_scan_growth, dbopt_unused_since) and writes one
self-contained HTML file: inline CSS and SVG charts, nothing fetched from the
network, viewable offline. Sections: workload cost over time with a marker at
each index built by "dbopt advise --apply" and each index's realized benefit;
the top queries and their trend; findings by severity (the latest snapshot's,
or the current dbopt_health() and dbopt_antipatterns() without history);
findings that appeared or were fixed; index usage over time; sequential scan
growth; indexes unused since. A source the server cannot give (an older dbopt,
a missing privilege) is shown as not available, with the reason: the report is
still written. Without history it says so and how to start it
(SELECT dbopt_snapshot(); or SELECT * FROM dbopt_schedule(); with pg_cron).

)";

const char kReportOptionsHelp[] = R"(
Report options:
  -o, --output=FILE        write the report to FILE (default: stdout) and print
                           its path
  -F, --format=FORMAT      html (default; markdown when FILE ends in .md) or
                           markdown: tables and sparklines for a ticket
      --since=WHEN         the window: an interval back from now ("7 days",
                           default; "36 hours") or a date or timestamp
                           ("2026-11-30", "2026-11-30 12:00", UTC unless
                           given)
  -?, --help               show this help, then exit

Exit status:
  0  the report was written (also when there is no history yet)
  2  usage error (bad option or argument, a --since the server cannot read)
  3  connection failure, dbopt extension missing, or the file cannot be written
)";

}  // namespace

std::string HelpText(const std::string& topic) {
  if (topic.empty()) return kOverview;
  if (topic == "health") return std::string(kHealth) + kConnectionHelp + kHealthOptionsHelp;
  if (topic == "top") return std::string(kTop) + kConnectionHelp + kTopOptionsHelp;
  if (topic == "advise") return std::string(kAdvise) + kConnectionHelp + kAdviseOptionsHelp;
  if (topic == "report") return std::string(kReport) + kConnectionHelp + kReportOptionsHelp;
  if (topic == "migrate")
    return std::string(kMigrate) + kConnectionHelp + kMigrateOptionsHelp + LintRulesHelp();
  return "";
}

std::string VersionText() {
  return std::string("dbopt ") + DBOPT_VERSION + "\n";
}

}  // namespace dbopt::cli
