// Ctrl-C while a query runs asks the server to cancel it, as psql does; the query then fails
// with the server's "canceling statement due to user request". A second Ctrl-C ends dbopt.
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

}  // namespace dbopt::cli
