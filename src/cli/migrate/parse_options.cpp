#include "cli/migrate/parse_options.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace dbopt::cli::migrate {
namespace {

std::string Str(const char* text) {
  return text == nullptr ? std::string() : std::string(text);
}

}  // namespace

bool DefElemTrue(const PgQuery__DefElem* option) {
  const PgQuery__Node* arg = option->arg;
  if (arg == nullptr) return true;
  std::string text;
  switch (arg->node_case) {
    case PG_QUERY__NODE__NODE_INTEGER:
      return arg->integer->ival != 0;
    case PG_QUERY__NODE__NODE_BOOLEAN:
      return arg->boolean->boolval;
    case PG_QUERY__NODE__NODE_STRING:
      text = Str(arg->string->sval);
      break;
    case PG_QUERY__NODE__NODE_A_CONST:
      if (arg->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL)
        return arg->a_const->boolval->boolval;
      if (arg->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL)
        return arg->a_const->ival->ival != 0;
      if (arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
        text = Str(arg->a_const->sval->sval);
      break;
    default:
      return true;
  }
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return !(text == "false" || text == "off" || text == "no" || text == "0");
}

bool OptionTrue(PgQuery__Node* const* options, size_t count, const char* name, bool if_absent) {
  for (size_t i = 0; i < count; ++i) {
    const PgQuery__Node* node = options[i];
    if (node->node_case == PG_QUERY__NODE__NODE_DEF_ELEM && Str(node->def_elem->defname) == name)
      return DefElemTrue(node->def_elem);
  }
  return if_absent;
}

}  // namespace dbopt::cli::migrate
