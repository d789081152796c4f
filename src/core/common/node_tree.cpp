#include "core/common/node_tree.hpp"

#include <cctype>

namespace dbopt {

std::string StripNodeLocations(const std::string& tree) {
  static const std::string kField = " :location ";
  std::string out;
  out.reserve(tree.size());
  size_t at = 0;
  while (at < tree.size()) {
    size_t found = tree.find(kField, at);
    if (found == std::string::npos) {
      out.append(tree, at, std::string::npos);
      break;
    }
    out.append(tree, at, found - at);
    size_t end = found + kField.size();
    if (end < tree.size() && tree[end] == '-') ++end;
    while (end < tree.size() && std::isdigit(static_cast<unsigned char>(tree[end]))) ++end;
    at = end;
  }
  return out;
}

std::vector<std::string> SplitNodeList(const std::string& tree) {
  std::vector<std::string> elements;
  if (tree.size() < 2 || tree.front() != '(' || tree.back() != ')') {
    if (!tree.empty()) elements.push_back(tree);
    return elements;
  }
  // Node text escapes braces inside tokens with a backslash (outToken), so depth counting
  // with escapes skipped finds the top-level {...} elements.
  int depth = 0;
  size_t start = 0;
  for (size_t i = 1; i + 1 < tree.size(); ++i) {
    const char c = tree[i];
    if (c == '\\') {
      ++i;
    } else if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}') {
      if (--depth == 0) elements.push_back(tree.substr(start, i - start + 1));
    }
  }
  return elements;
}

}  // namespace dbopt
