// Included by every core header: the core must never see PostgreSQL headers, whose macros
// (and palloc, elog) would leak PostgreSQL's error regime into code that throws.
#pragma once
#ifdef POSTGRES_H
#error "src/core must not be compiled together with postgres.h"
#endif
