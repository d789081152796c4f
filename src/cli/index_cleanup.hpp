// Cleaning up after a failed index build. A CREATE INDEX CONCURRENTLY (or REINDEX
// CONCURRENTLY) that fails or is cancelled leaves an invalid index behind: it costs writes and
// space, and a rerun of the same statement fails on its name. Used by `dbopt advise --apply`
// and `dbopt migrate`.
#pragma once
#include <libpq-fe.h>

#include <string>

namespace dbopt::cli {

// Runs one statement in the connection's current state; "" when it succeeded, else the
// server's message (with DETAIL).
std::string RunStatement(PGconn* connection, const std::string& statement);

// Drops index (a name the server resolves: qualified or on the search_path): concurrently
// unless partitioned (a partitioned index cannot be dropped concurrently; its partitions'
// indexes go with it). statement_timeout and lock_timeout are lifted for the drop and
// restored after it: the clean-up must not fail for the reason the build did (a timeout), it
// waits for the transactions a concurrent drop waits for, however long. "" when dropped, else
// the server's message.
std::string DropIndexAfterFailure(PGconn* connection, const std::string& index, bool partitioned);

}  // namespace dbopt::cli
