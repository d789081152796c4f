// Options of libpg_query's parse tree (DefElem lists: VACUUM (FULL), REINDEX (CONCURRENTLY),
// CREATE SUBSCRIPTION ... WITH (connect = false)), read as PostgreSQL reads them. Shared by the
// runner's statement classification (migration_file.cpp) and the linter (lint_convert.cpp).
#pragma once
#include <pg_query/pg_query.pb-c.h>

#include <cstddef>

namespace dbopt::cli::migrate {

// The boolean a DefElem option carries, PostgreSQL's defGetBoolean: no value means true.
bool DefElemTrue(const PgQuery__DefElem* option);

// The named option's value in a DefElem list; if_absent when not given.
bool OptionTrue(PgQuery__Node* const* options, size_t count, const char* name, bool if_absent);

}  // namespace dbopt::cli::migrate
