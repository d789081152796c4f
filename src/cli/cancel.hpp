// Ctrl-C while a query runs asks the server to cancel it, as psql does; the query then fails
// with the server's "canceling statement due to user request". A second Ctrl-C ends dbopt.
// Interrupted() tells a command that runs several statements (dbopt advise --apply) to stop
// after cleaning up: between statements there is no query for the server to cancel.
#pragma once
#include <libpq-fe.h>

#include <csignal>

namespace dbopt::cli {

class CancelOnInterrupt {
 public:
  explicit CancelOnInterrupt(PGconn* connection);
  ~CancelOnInterrupt();
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;

 private:
  struct sigaction previous_ {};
};

// True once Ctrl-C was pressed while a CancelOnInterrupt was installed (reset by the next
// CancelOnInterrupt).
bool Interrupted();

}  // namespace dbopt::cli
