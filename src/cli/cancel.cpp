#include "cli/cancel.hpp"

#include <unistd.h>

namespace dbopt::cli {
namespace {

// Read by the signal handler; set only while SIGINT is blocked.
PGcancel* volatile pending_cancel = nullptr;
volatile sig_atomic_t interrupted = 0;

extern "C" void CancelQuery(int) {
  signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process
  interrupted = 1;
  if (pending_cancel == nullptr) return;
  char message[256];
  const char notice[] = "dbopt: canceling the query (Ctrl-C again to quit)\n";
  (void)!write(STDERR_FILENO, notice, sizeof notice - 1);
  PQcancel(pending_cancel, message, sizeof message);  // async-signal-safe (libpq docs)
}

void BlockInterrupt(bool block) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

}  // namespace

CancelOnInterrupt::CancelOnInterrupt(PGconn* connection) {
  BlockInterrupt(true);
  interrupted = 0;
  pending_cancel = PQgetCancel(connection);
  struct sigaction action {};
  action.sa_handler = CancelQuery;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_);
  BlockInterrupt(false);
}

CancelOnInterrupt::~CancelOnInterrupt() {
  BlockInterrupt(true);
  sigaction(SIGINT, &previous_, nullptr);
  PGcancel* cancel = pending_cancel;
  pending_cancel = nullptr;
  PQfreeCancel(cancel);
  BlockInterrupt(false);
}

bool Interrupted() {
  return interrupted != 0;
}

}  // namespace dbopt::cli
