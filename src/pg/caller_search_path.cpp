#include "pg/caller_search_path.hpp"

#include "pg/guard.hpp"

extern "C" {
#include "utils/builtins.h"
#include "utils/guc.h"
}

namespace dbopt::pg {

int BeginCallerSearchPath(FunctionCallInfo fcinfo, int n) {
  int level = 0;
  CallPg([&] {
    level = NewGUCNestLevel();
    if (!PG_ARGISNULL(n)) {
      const char* path = text_to_cstring(PG_GETARG_TEXT_PP(n));
      if (*path != '\0')
        (void)set_config_option("search_path", path, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
                                true, 0, false);
    }
  });
  return level;
}

void EndCallerSearchPath(int level) {
  if (level > 0) CallPg([&] { AtEOXact_GUC(true, level); });
}

}  // namespace dbopt::pg
