// Writing one of dbopt's state files (pg_stat/dbopt*.stat) at a clean shutdown: the bytes go
// to a temporary file beside the final one, folded into a CRC-32C that ends the file, and the
// file is renamed into place only when everything was written, so a reader never sees a
// partial file. Used from on_shmem_exit callbacks only: failures are LOG lines, never errors.
#pragma once
#include "pg/postgres.hpp"

extern "C" {
#include "port/pg_crc32c.h"
}

#include <cstddef>
#include <cstdio>

namespace dbopt::pg {

class SavedFileWriter {
 public:
  SavedFileWriter(const char* temp_path, const char* final_path);
  SavedFileWriter(const SavedFileWriter&) = delete;
  SavedFileWriter& operator=(const SavedFileWriter&) = delete;

  // False when the file could not be created or an earlier write failed (later writes are
  // then skipped).
  bool ok() const { return ok_; }
  bool Write(const void* data, size_t length);
  // Appends the CRC, closes the file and renames it into place; on failure logs and removes
  // the temporary file. `complete` false (the caller wrote less than its header promised)
  // counts as a failure.
  void Finish(bool complete = true);

 private:
  const char* temp_path_;
  const char* final_path_;
  FILE* file_;
  pg_crc32c crc_;
  bool ok_;
};

}  // namespace dbopt::pg
