#include "pg/saved_file.hpp"

extern "C" {
#include "storage/fd.h"
}

#include <unistd.h>

namespace dbopt::pg {

SavedFileWriter::SavedFileWriter(const char* temp_path, const char* final_path)
    : temp_path_(temp_path), final_path_(final_path), file_(nullptr), ok_(false) {
  INIT_CRC32C(crc_);
  file_ = AllocateFile(temp_path_, PG_BINARY_W);
  if (file_ == nullptr) {
    ereport(LOG,
            (errcode_for_file_access(), errmsg("dbopt: could not write \"%s\": %m", temp_path_)));
    return;
  }
  ok_ = true;
}

bool SavedFileWriter::Write(const void* data, size_t length) {
  if (!ok_) return false;
  ok_ = fwrite(data, length, 1, file_) == 1;
  COMP_CRC32C(crc_, data, length);
  return ok_;
}

void SavedFileWriter::Finish(bool complete) {
  if (file_ == nullptr) return;  // never created: already logged
  FIN_CRC32C(crc_);
  bool ok = ok_ && complete && fwrite(&crc_, sizeof(crc_), 1, file_) == 1;
  if (FreeFile(file_) != 0) ok = false;
  file_ = nullptr;
  if (!ok) {
    ereport(LOG,
            (errcode_for_file_access(), errmsg("dbopt: could not write \"%s\": %m", temp_path_)));
    unlink(temp_path_);
    return;
  }
  (void)durable_rename(temp_path_, final_path_, LOG);
}

}  // namespace dbopt::pg
