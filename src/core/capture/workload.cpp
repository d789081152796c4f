#include "core/capture/workload.hpp"

#include "core/common/json_value.hpp"
#include "core/common/sql_text.hpp"

namespace dbopt::capture {
namespace {

const char* const kExportHint = "Pass the jsonb returned by dbopt_export_workload().";

// Reads the members of one object with messages that say where a problem is.
class Reader {
 public:
  Reader(const JsonValue& object, std::string where) : object_(object), where_(std::move(where)) {}

  [[noreturn]] void Fail(const std::string& what) const {
    throw WorkloadError(where_ + ": " + what, kExportHint);
  }
  const JsonValue* Get(const char* key, JsonValue::Type type, bool required) const {
    const JsonValue* value = object_.Find(key);
    if (value == nullptr || (value->IsNull() && !required)) {
      if (required) Fail(std::string("\"") + key + "\" is missing");
      return nullptr;
    }
    if (value->type() != type)
      Fail(std::string("\"") + key + "\" must be " + Article(type) + ", not " +
           Article(value->type()));
    return value;
  }
  std::string String(const char* key, bool required = true) const {
    const JsonValue* value = Get(key, JsonValue::Type::kString, required);
    return value != nullptr ? value->string() : "";
  }
  std::optional<std::string> OptionalString(const char* key) const {
    const JsonValue* value = Get(key, JsonValue::Type::kString, false);
    if (value == nullptr) return std::nullopt;
    return value->string();
  }
  std::int64_t Integer(const char* key, std::int64_t min, std::int64_t max,
                       bool required = true) const {
    const JsonValue* value = Get(key, JsonValue::Type::kNumber, required);
    if (value == nullptr) return 0;
    std::int64_t out = 0;
    if (!value->AsInt64(&out) || out < min || out > max)
      Fail(std::string("\"") + key + "\" must be an integer from " + std::to_string(min) + " to " +
           std::to_string(max) + ", not " + value->string());
    return out;
  }
  double Number(const char* key, bool required = true) const {
    const JsonValue* value = Get(key, JsonValue::Type::kNumber, required);
    if (value == nullptr) return 0;
    double out = value->AsDouble();
    if (!(out >= 0) || out > 1e300) Fail(std::string("\"") + key + "\" must be a number >= 0");
    return out;
  }
  bool Bool(const char* key) const { return Get(key, JsonValue::Type::kBool, true)->boolean(); }
  const std::string& where() const { return where_; }

 private:
  static std::string Article(JsonValue::Type type) {
    std::string name = JsonValue::TypeName(type);
    return (name == "array" || name == "object" ? "an " : "a ") + name;
  }
  const JsonValue& object_;
  std::string where_;
};

constexpr std::int64_t kMaxInt64 = INT64_MAX;
constexpr std::int64_t kMaxOid = 4294967295LL;

QualShape ReadQual(const JsonValue& value, const std::string& where, std::string* column) {
  if (!value.IsObject()) throw WorkloadError(where + ": must be an object", kExportHint);
  Reader r(value, where);
  QualShape shape{};
  *column = r.String("column", false);
  shape.attnum = static_cast<std::int16_t>(r.Integer("attnum", -32768, 32767));
  std::string op = r.String("op");
  bool kind_known = false;
  for (int k = 0; k <= static_cast<int>(QualKind::kContainment) && !kind_known; ++k) {
    if (op == QualKindName(static_cast<QualKind>(k))) {
      shape.kind = static_cast<QualKind>(k);
      kind_known = true;
    }
  }
  if (!kind_known) r.Fail("unknown \"op\" \"" + op + "\"");
  std::string operand = r.String("compared_to");
  bool operand_known = false;
  for (int k = 0; k <= static_cast<int>(QualOperand::kOther) && !operand_known; ++k) {
    if (operand == QualOperandName(static_cast<QualOperand>(k))) {
      shape.operand = static_cast<QualOperand>(k);
      operand_known = true;
    }
  }
  if (!operand_known) r.Fail("unknown \"compared_to\" \"" + operand + "\"");
  const JsonValue* wildcard = value.Find("leading_wildcard");
  if (wildcard == nullptr)
    shape.leading_wildcard = Wildcard::kNotApplicable;
  else if (wildcard->IsNull())
    shape.leading_wildcard = Wildcard::kUnknown;
  else
    shape.leading_wildcard = r.Bool("leading_wildcard") ? Wildcard::kYes : Wildcard::kNo;
  const JsonValue* insensitive = value.Find("case_insensitive");
  shape.case_insensitive = insensitive != nullptr && r.Bool("case_insensitive");
  return shape;
}

WorkloadAccess ReadAccess(const JsonValue& value, const std::string& where) {
  if (!value.IsObject()) throw WorkloadError(where + ": must be an object", kExportHint);
  Reader r(value, where);
  WorkloadAccess access;
  access.scan_kind = r.String("scan_kind");
  if (!IsScanKind(access.scan_kind))
    r.Fail("\"scan_kind\" must be one of seq, index, index_only, bitmap, tid, not \"" +
           access.scan_kind + "\"");
  access.relation = r.String("relation", false);
  access.relid = r.Integer("relid", 0, kMaxOid);
  access.index = r.String("index", false);
  access.indexid = r.Integer("indexrelid", 0, kMaxOid, false);
  access.plan_calls = r.Integer("plan_calls", 0, kMaxInt64, false);
  access.samples = r.Integer("samples", 0, kMaxInt64);
  access.est_rows = r.Number("est_rows");
  access.loops = r.Number("loops");
  access.rows = r.Number("actual_rows");
  access.removed_by_filter = r.Number("rows_removed_by_filter");
  const JsonValue* quals = r.Get("quals", JsonValue::Type::kArray, false);
  if (quals != nullptr) {
    for (size_t i = 0; i < quals->items().size(); ++i) {
      std::string column;
      access.quals.push_back(
          ReadQual(quals->items()[i], where + ", qual " + std::to_string(i + 1), &column));
      access.qual_columns.push_back(column);
    }
  }
  return access;
}

WorkloadOrderKey ReadOrderKey(const JsonValue& value, const std::string& where) {
  if (!value.IsObject()) throw WorkloadError(where + ": must be an object", kExportHint);
  Reader r(value, where);
  WorkloadOrderKey key;
  key.relation = r.String("relation", false);
  key.relid = r.Integer("relid", 0, kMaxOid);
  key.column = r.String("column", false);
  key.attnum = r.Integer("attnum", -32768, 32767);
  key.group = r.Bool("group");
  key.descending = r.Bool("descending");
  return key;
}

WorkloadEntry ReadEntry(const JsonValue& value, const std::string& where) {
  if (!value.IsObject()) throw WorkloadError(where + ": must be an object", kExportHint);
  Reader r(value, where);
  WorkloadEntry entry;
  entry.database = r.String("database");
  entry.role = r.String("role");
  if (entry.database.empty() || entry.role.empty()) r.Fail("database and role must not be empty");
  entry.queryid = r.Integer("queryid", INT64_MIN, kMaxInt64);
  entry.toplevel = r.Bool("toplevel");
  entry.origin = r.String("origin", false);
  if (entry.origin.empty()) entry.origin = kLocalOrigin;
  if (entry.origin != kLocalOrigin) CheckOriginLabel(entry.origin, where + ": \"origin\"");
  entry.query = r.OptionalString("query");
  entry.calls = r.Integer("calls", 0, kMaxInt64);
  entry.total_time = r.Number("total_exec_time");
  entry.min_time = r.Number("min_exec_time");
  entry.max_time = r.Number("max_exec_time");
  entry.rows = r.Integer("rows", 0, kMaxInt64);
  entry.sampled_calls = r.Integer("sampled_calls", 0, kMaxInt64);
  entry.limit_calls = r.Integer("limit_calls", 0, kMaxInt64, false);
  entry.offset_calls = r.Integer("offset_calls", 0, kMaxInt64, false);
  entry.max_offset = r.Integer("max_offset", 0, kMaxInt64, false);
  entry.sum_offset = r.Number("sum_offset", false);
  entry.count_calls = r.Integer("count_calls", 0, kMaxInt64, false);
  entry.sum_count = r.Number("sum_count", false);
  entry.first_seen = r.String("first_seen", false);
  entry.last_seen = r.String("last_seen", false);
  const JsonValue* paths = r.Get("access_paths", JsonValue::Type::kArray, false);
  if (paths != nullptr) {
    for (size_t i = 0; i < paths->items().size(); ++i)
      entry.access.push_back(
          ReadAccess(paths->items()[i], where + ", access path " + std::to_string(i + 1)));
  }
  const JsonValue* keys = r.Get("order_keys", JsonValue::Type::kArray, false);
  if (keys != nullptr) {
    for (size_t i = 0; i < keys->items().size(); ++i)
      entry.order_keys.push_back(
          ReadOrderKey(keys->items()[i], where + ", order key " + std::to_string(i + 1)));
  }
  return entry;
}

}  // namespace

bool IsScanKind(const std::string& kind) {
  return kind == "seq" || kind == "index" || kind == "index_only" || kind == "bitmap" ||
         kind == "tid";
}

void CheckOriginLabel(const std::string& label, const std::string& what) {
  if (label.empty() || label.size() > kMaxOriginLength)
    throw WorkloadError(what + " must be 1 to 63 bytes long",
                        "Name the origin after the server the workload comes from, e.g. "
                        "'replica1'.");
  if (label == kLocalOrigin)
    throw WorkloadError(what + " must not be \"local\"",
                        "\"local\" names the queries captured on this server; pick another "
                        "label for imported ones.");
}

std::string ImportOrigin(const std::optional<std::string>& requested, const WorkloadEntry& entry,
                         const WorkloadDocument& document) {
  if (requested.has_value()) {
    CheckOriginLabel(*requested, "origin");
    return *requested;
  }
  if (entry.origin != kLocalOrigin) return entry.origin;  // checked by ParseWorkload
  if (document.label.empty())
    throw WorkloadError("the workload's source has no \"label\"",
                        "Name its origin: dbopt_import_workload(workload, origin => 'replica1').");
  CheckOriginLabel(document.label, "the workload source's \"label\"");
  return document.label;
}

std::string ExportLabel(const std::string& cluster_name, const std::string& host, int port) {
  std::string label = !cluster_name.empty() ? cluster_name : host + ":" + std::to_string(port);
  if (label.size() > kMaxOriginLength) label.resize(kMaxOriginLength);
  return label;
}

std::string WriteWorkload(const WorkloadDocument& document) {
  JsonWriter j;
  j.BeginObject();
  j.Field("format", kWorkloadFormat);
  j.Field("version", document.version);
  j.Key("source").BeginObject();
  j.Field("system_identifier", document.system_identifier);
  j.Field("cluster_name", document.cluster_name);
  j.Field("host", document.host);
  j.Field("label", document.label);
  j.EndObject();
  j.Field("exported_at", document.exported_at);
  j.Key("entries").BeginArray();
  for (const WorkloadEntry& e : document.entries) {
    j.BeginObject();
    j.Field("database", e.database);
    j.Field("role", e.role);
    j.Field("queryid", e.queryid);
    j.Field("toplevel", e.toplevel);
    j.Field("origin", e.origin);
    j.Key("query");
    if (e.query.has_value())
      j.String(*e.query);
    else
      j.Null();
    j.Field("calls", e.calls);
    j.Field("total_exec_time", e.total_time);
    j.Field("min_exec_time", e.min_time);
    j.Field("max_exec_time", e.max_time);
    j.Field("rows", e.rows);
    j.Field("sampled_calls", e.sampled_calls);
    j.Field("limit_calls", e.limit_calls);
    j.Field("offset_calls", e.offset_calls);
    j.Field("max_offset", e.max_offset);
    j.Field("sum_offset", e.sum_offset);
    j.Field("count_calls", e.count_calls);
    j.Field("sum_count", e.sum_count);
    j.Key("first_seen");
    e.first_seen.empty() ? j.Null() : j.String(e.first_seen);
    j.Key("last_seen");
    e.last_seen.empty() ? j.Null() : j.String(e.last_seen);
    j.Key("access_paths").BeginArray();
    for (const WorkloadAccess& a : e.access) {
      j.BeginObject();
      j.Field("scan_kind", a.scan_kind);
      j.Key("relation");
      a.relation.empty() ? j.Null() : j.String(a.relation);
      j.Field("relid", a.relid);
      j.Key("index");
      a.index.empty() ? j.Null() : j.String(a.index);
      j.Field("indexrelid", a.indexid);
      j.Field("plan_calls", a.plan_calls);
      j.Field("samples", a.samples);
      j.Field("est_rows", a.est_rows);
      j.Field("loops", a.loops);
      j.Field("actual_rows", a.rows);
      j.Field("rows_removed_by_filter", a.removed_by_filter);
      j.Key("quals").Raw(QualShapesJson(a.quals, a.qual_columns));
      j.EndObject();
    }
    j.EndArray();
    j.Key("order_keys").BeginArray();
    for (const WorkloadOrderKey& k : e.order_keys) {
      j.BeginObject();
      j.Key("relation");
      k.relation.empty() ? j.Null() : j.String(k.relation);
      j.Field("relid", k.relid);
      j.Key("column");
      k.column.empty() ? j.Null() : j.String(k.column);
      j.Field("attnum", k.attnum);
      j.Field("group", k.group);
      j.Field("descending", k.descending);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  return j.str();
}

WorkloadDocument ParseWorkload(const std::string& json) {
  JsonValue root;
  try {
    root = JsonValue::Parse(json);
  } catch (const JsonParseError& e) {
    throw WorkloadError(std::string("workload is not valid JSON: ") + e.what(), kExportHint);
  }
  const JsonValue* format = root.IsObject() ? root.Find("format") : nullptr;
  if (format == nullptr || !format->IsString() || format->string() != kWorkloadFormat)
    throw WorkloadError("workload is not a dbopt workload export (no \"format\": \"" +
                            std::string(kWorkloadFormat) + "\")",
                        kExportHint);
  Reader r(root, "workload");
  WorkloadDocument document;
  document.version = static_cast<int>(r.Integer("version", 0, 1000000));
  if (document.version != kWorkloadVersion)
    throw WorkloadError("unsupported workload format version " + std::to_string(document.version),
                        "This dbopt reads version " + std::to_string(kWorkloadVersion) +
                            "; export again with the same dbopt version on both servers.");
  const JsonValue* source = r.Get("source", JsonValue::Type::kObject, true);
  Reader s(*source, "workload source");
  document.system_identifier = s.String("system_identifier", false);
  document.cluster_name = s.String("cluster_name", false);
  document.host = s.String("host", false);
  document.label = s.String("label", false);
  document.exported_at = r.String("exported_at", false);
  const JsonValue* entries = r.Get("entries", JsonValue::Type::kArray, true);
  document.entries.reserve(entries->items().size());
  for (size_t i = 0; i < entries->items().size(); ++i)
    document.entries.push_back(ReadEntry(entries->items()[i], "entry " + std::to_string(i + 1)));
  return document;
}

}  // namespace dbopt::capture
