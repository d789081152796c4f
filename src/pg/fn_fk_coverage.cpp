// dbopt_check_fk_coverage(schema_name): one row per logical foreign key, with the index that
// serves its referential-integrity lookup (core/health/fk_coverage.hpp decides).
#include "core/health/fk_coverage.hpp"
#include "pg/catalog.hpp"
#include "pg/result_set.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

DBOPT_FUNCTION(dbopt_check_fk_coverage) {
  using namespace dbopt;
  std::optional<std::string> schema;
  pg::CallPg([&] {
    if (!PG_ARGISNULL(0)) schema = NameStr(*PG_GETARG_NAME(0));
  });

  pg::ResultSet result(fcinfo);
  pg::SpiConnect();
  Catalog catalog = pg::LoadCatalog(schema);
  pg::ServerPredicateOracle predicates(catalog);
  std::vector<FkCoverage> coverage = CheckFkCoverage(catalog, predicates);
  pg::SpiFinish();
  auto count_or_null = [](std::int64_t value) {
    return value < 0 ? pg::Cell::Null() : pg::Cell::Int(value);
  };
  for (const FkCoverage& entry : coverage) {
    result.AddRow({pg::Cell::Text(entry.table_name), pg::Cell::Text(entry.foreign_key->name),
                   pg::Cell::Array(entry.foreign_key->columns),
                   pg::Cell::TextOrNull(entry.referenced_table),
                   pg::Cell::TextOrNull(entry.covering_index),
                   pg::Cell::Text(FkCoverageStatusName(entry.status)),
                   count_or_null(entry.table_rows), pg::Cell::Int(entry.referenced_updates),
                   pg::Cell::Int(entry.referenced_deletes), pg::Cell::Json(entry.detail_json),
                   pg::Cell::Array(entry.remediation), pg::Cell::Array(entry.revert)});
  }
  return (Datum)0;
}
