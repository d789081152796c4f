#include "core/health/data_naming.hpp"

#include <algorithm>
#include <cctype>

namespace dbopt {
namespace {

bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}
bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsWordByte(char c) {
  return IsLower(c) || IsUpper(c) || IsDigit(c) || (static_cast<unsigned char>(c) & 0x80);
}
char Lower(char c) {
  return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Irregular {
  const char* singular;
  const char* plural;
};
const Irregular kIrregulars[] = {{"person", "people"}, {"child", "children"}, {"man", "men"},
                                 {"woman", "women"},   {"mouse", "mice"},     {"goose", "geese"}};

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

// Singular and plural forms of one word, the word itself first.
std::vector<std::string> Inflections(const std::string& word) {
  std::vector<std::string> forms{word};
  auto add = [&forms](const std::string& form) {
    if (form.size() >= 2 && std::find(forms.begin(), forms.end(), form) == forms.end())
      forms.push_back(form);
  };
  for (const Irregular& irregular : kIrregulars) {
    if (word == irregular.singular) add(irregular.plural);
    if (word == irregular.plural) add(irregular.singular);
  }
  // Plurals.
  const size_t n = word.size();
  if (n >= 2 && word[n - 1] == 'y' && !IsVowel(word[n - 2])) add(word.substr(0, n - 1) + "ies");
  if (EndsWith(word, "s") || EndsWith(word, "x") || EndsWith(word, "z") || EndsWith(word, "ch") ||
      EndsWith(word, "sh"))
    add(word + "es");
  add(word + "s");
  // Singulars.
  if (EndsWith(word, "ies") && n > 3) add(word.substr(0, n - 3) + "y");
  if (EndsWith(word, "es") && n > 2) add(word.substr(0, n - 2));
  if (EndsWith(word, "s") && !EndsWith(word, "ss") && n > 1) add(word.substr(0, n - 1));
  return forms;
}

void AddReference(std::vector<NameReference>& references, const std::vector<std::string>& stem,
                  const std::vector<std::string>& key_words) {
  if (stem.empty()) return;
  for (const std::string& table_key : TableKeysForStem(stem)) {
    NameReference reference{table_key, key_words};
    if (std::find(references.begin(), references.end(), reference) == references.end())
      references.push_back(std::move(reference));
  }
}

}  // namespace

std::vector<std::string> NameWords(const std::string& identifier) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&]() {
    if (!current.empty()) words.push_back(current);
    current.clear();
  };
  for (size_t i = 0; i < identifier.size(); ++i) {
    const char c = identifier[i];
    if (!IsWordByte(c)) {
      flush();
      continue;
    }
    if (IsUpper(c) && !current.empty()) {
      const char previous = identifier[i - 1];
      const bool next_lower = i + 1 < identifier.size() && IsLower(identifier[i + 1]);
      // fooBar | FOOBar (the last upper starts the next word) | foo1Bar
      if (IsLower(previous) || IsDigit(previous) || (IsUpper(previous) && next_lower)) flush();
    }
    current += Lower(c);
  }
  flush();
  return words;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words) {
    if (!joined.empty()) joined += '_';
    joined += word;
  }
  return joined;
}

std::vector<std::string> TableKeysForStem(const std::vector<std::string>& stem) {
  std::vector<std::string> keys;
  if (stem.empty()) return keys;
  std::vector<std::string> head(stem.begin(), stem.end() - 1);
  for (const std::string& form : Inflections(stem.back())) {
    std::vector<std::string> words = head;
    words.push_back(form);
    keys.push_back(JoinWords(words));
  }
  return keys;
}

bool IsKeyWord(const std::string& word) {
  static const char* const kKeyWords[] = {"id", "uuid", "guid", "key", "pk",
                                          "no", "nr",   "num",  "code"};
  for (const char* key : kKeyWords)
    if (word == key) return true;
  return false;
}

std::vector<NameReference> NameReferences(const std::string& column) {
  std::vector<NameReference> references;
  const std::vector<std::string> words = NameWords(column);
  const size_t n = words.size();
  for (size_t k = 1; k <= n; ++k) {
    std::vector<std::string> prefix(words.begin(), words.begin() + (n - k));
    std::vector<std::string> suffix(words.begin() + (n - k), words.end());
    // <stem>_<pk>: user_id -> users.id.
    AddReference(references, prefix, suffix);
    // <pk> named after its table, maybe with a role prefix: customer_id, billing_customer_id
    // -> customers.customer_id.
    if (suffix.size() >= 2 && IsKeyWord(suffix.back()))
      AddReference(references, std::vector<std::string>(suffix.begin(), suffix.end() - 1), suffix);
  }
  // <stem>id in one word: userid -> users.id (camelCase userId is split by NameWords already).
  if (n >= 1) {
    for (const char* key : {"id", "uuid"}) {
      const std::string& last = words.back();
      const std::string suffix = key;
      if (last.size() >= suffix.size() + 3 && EndsWith(last, suffix)) {
        std::vector<std::string> stem(words.begin(), words.end() - 1);
        stem.push_back(last.substr(0, last.size() - suffix.size()));
        AddReference(references, stem, {suffix});
      }
    }
  }
  return references;
}

bool NamedAsCopyOf(const std::string& copy, const std::string& original) {
  const std::vector<std::string> copy_words = NameWords(copy);
  const std::vector<std::string> original_words = NameWords(original);
  if (original_words.empty() || copy_words.size() < original_words.size()) return false;
  return std::equal(original_words.rbegin(), original_words.rend(), copy_words.rbegin());
}

}  // namespace dbopt
