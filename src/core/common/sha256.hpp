// SHA-256 (FIPS 180-4), for content checksums (migration files). Written from the standard;
// incremental: Update() any number of times, then HexDigest() once.
#pragma once
#include "core/common/no_postgres.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dbopt {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  // Pads and finishes; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> Digest();
  std::string HexDigest();  // 64 lower-case hex digits

 private:
  void Block(const std::uint8_t* block);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

std::string Sha256Hex(std::string_view bytes);

}  // namespace dbopt
