// dbopt_health(schema_name, include_data): the schema health report.
#include "core/health/health.hpp"
#include "pg/catalog.hpp"
#include "pg/data_checks.hpp"
#include "pg/result_set.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

DBOPT_FUNCTION(dbopt_health) {
  using namespace dbopt;
  std::optional<std::string> schema;
  bool include_data = false;
  pg::CallPg([&] {
    if (!PG_ARGISNULL(0)) schema = NameStr(*PG_GETARG_NAME(0));
  });
  if (PG_ARGISNULL(1))
    pg::Fail(ERRCODE_NULL_VALUE_NOT_ALLOWED, "include_data must not be null",
             "Pass true to sample table data, false (the default) for catalog checks only.");
  include_data = PG_GETARG_BOOL(1);

  pg::ResultSet result(fcinfo);
  std::vector<Finding> findings;
  {
    pg::SpiConnect();
    Catalog catalog = pg::LoadCatalog(schema);
    pg::ServerPredicateOracle predicates(catalog);
    // Evidence as JSON tapes: AddFinding builds each row's jsonb from its tape directly.
    findings = RunCatalogChecks(catalog, predicates, JsonForm::kTape);
    if (include_data) {
      std::vector<Finding> data = pg::RunDataChecks(catalog);
      findings.insert(findings.end(), data.begin(), data.end());
      SortFindings(findings);
    }
    pg::SpiFinish();
  }  // the catalog is freed before the rows are built: they can reuse its memory
  result.AllowMemory(pg::ResultSet::RowBytes(findings));
  for (Finding& finding : findings) {
    result.AddFinding(finding);
    finding = Finding();  // each finding's memory freed as soon as its row is stored
  }
  return (Datum)0;
}
