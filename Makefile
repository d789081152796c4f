# PGXS build of dbopt.so from src/pg (server glue) and src/core (PostgreSQL-free core).
# `make` also builds the CLI and unit tests through CMake (see CMakeLists.txt).
EXTENSION = dbopt
MODULE_big = dbopt
DATA = $(wildcard extension/dbopt--*.sql)

CORE_SRCS = $(sort $(wildcard src/core/*/*.cpp))
PG_SRCS = $(sort $(wildcard src/pg/*.cpp src/pg/*/*.cpp))
OBJS = $(PG_SRCS:.cpp=.o) $(CORE_SRCS:.cpp=.o)

REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --outputdir=build/regress

PG_CONFIG ?= pg_config
WERROR ?= $(if $(CI),-Werror,)
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-register -Wno-missing-field-initializers $(WERROR) \
  -fvisibility=hidden -fvisibility-inlines-hidden -Isrc \
  '-DPGDLLEXPORT=__attribute__((visibility("default")))'
SHLIB_LINK += -lstdc++ -Wl,--version-script=$(srcdir)/src/pg/exports.map

# Debian's PostgreSQL is built with LLVM; its bitcode rule ignores PG_CXXFLAGS (C++17 fails).
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Server headers as system headers, so -Wextra -Werror apply to our code only.
# Header dependency tracking: a changed header rebuilds the objects that include it.
%.o: %.cpp
	$(CXX) $(CXXFLAGS) $(CPPFLAGS) -MMD -MP -c -o $@ $<
-include $(OBJS:.o=.d)

override CPPFLAGS := $(patsubst -I$(includedir_server),-isystem $(includedir_server),$(patsubst -I$(includedir_internal),-isystem $(includedir_internal),$(CPPFLAGS)))

BUILD_DIR ?= build
CLI_BINDIR ?= /usr/local/bin
all: cli
.PHONY: cli unit
cli:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(if $(CI),-DDBOPT_WERROR=ON,) >/dev/null
	+cmake --build $(BUILD_DIR)
install: install-cli
install-cli: cli
	mkdir -p '$(DESTDIR)$(CLI_BINDIR)' && $(INSTALL_PROGRAM) $(BUILD_DIR)/dbopt '$(DESTDIR)$(CLI_BINDIR)/dbopt'
clean: clean-cli
clean-cli:
	rm -rf $(BUILD_DIR)
