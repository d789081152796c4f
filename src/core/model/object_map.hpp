// Containers keyed by object id (an OID) for the catalog model: ObjectIndex, a flat hash from
// id to position, and ObjectMap<T>, a map from id to T that iterates in id order like the
// std::map it replaces (`for (auto& [id, table] : catalog.tables)`, find, count, at,
// operator[], emplace, try_emplace) but costs one allocation per 64 or so elements instead of
// one tree node per element, finds in constant time and is destroyed without a tree walk.
//
// Memory: elements live in fixed-size chunks and never move, so references and pointers to
// them stay valid until the map is destroyed or cleared (as std::map's do), even while other
// elements are added. Unlike std::map's, iterators are invalidated by adding an element
// (the id-ordered view is a vector, sorted again on the next ordered access after an
// out-of-order insertion). Not thread-safe, even for reading: an ordered read may sort.
#pragma once
#include "core/common/no_postgres.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dbopt {

using ObjectId = std::uint32_t;

// Open-addressing hash (linear probing) from id to a position (< 2^32 - 1). No removal.
class ObjectIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // The position stored for id, or kNone.
  std::uint32_t Find(ObjectId id) const {
    if (slots_.empty()) return kNone;
    for (std::size_t at = Home(id);; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.position == kNone) return kNone;
      if (slot.id == id) return slot.position;
    }
  }
  // Stores id -> position unless id is present; returns the position stored for id.
  std::uint32_t Insert(ObjectId id, std::uint32_t position) {
    if ((size_ + 1) * 2 > slots_.size()) Grow(size_ + 1);
    for (std::size_t at = Home(id);; at = (at + 1) & mask_) {
      Slot& slot = slots_[at];
      if (slot.position == kNone) {
        slot = {id, position};
        ++size_;
        return position;
      }
      if (slot.id == id) return slot.position;
    }
  }
  // Room for `count` ids without rehashing.
  void Reserve(std::size_t count) {
    if (count * 2 > slots_.size()) Grow(count);
  }
  std::size_t size() const { return size_; }
  void Clear() {
    slots_.clear();
    mask_ = 0;
    size_ = 0;
  }

 private:
  struct Slot {
    ObjectId id;
    std::uint32_t position;
  };
  std::size_t Home(ObjectId id) const {
    // Fibonacci hashing: OIDs are often consecutive.
    return static_cast<std::size_t>((static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull) >>
                                    32) &
           mask_;
  }
  void Grow(std::size_t count) {
    std::size_t capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    std::vector<Slot> old(capacity, Slot{0, kNone});
    old.swap(slots_);
    mask_ = capacity - 1;
    for (const Slot& slot : old) {
      if (slot.position == kNone) continue;
      std::size_t at = Home(slot.id);
      while (slots_[at].position != kNone) at = (at + 1) & mask_;
      slots_[at] = slot;
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

template <typename T>
class ObjectMap {
 public:
  using key_type = ObjectId;
  using mapped_type = T;
  using value_type = std::pair<const ObjectId, T>;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = value_type&;
  using const_reference = const value_type&;

 private:
  struct Entry {
    ObjectId id;
    value_type* value;
  };

 public:
  template <bool kConst>
  class Iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = typename ObjectMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<kConst, const value_type&, value_type&>;
    using pointer = std::conditional_t<kConst, const value_type*, value_type*>;

    Iterator() = default;
    // iterator -> const_iterator
    template <bool kOther, typename = std::enable_if_t<kConst && !kOther>>
    Iterator(const Iterator<kOther>& other) : entry_(other.entry_) {}  // NOLINT

    reference operator*() const { return *entry_->value; }
    pointer operator->() const { return entry_->value; }
    Iterator& operator++() {
      ++entry_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++entry_;
      return old;
    }
    Iterator& operator--() {
      --entry_;
      return *this;
    }
    Iterator operator--(int) {
      Iterator old = *this;
      --entry_;
      return old;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.entry_ == b.entry_; }
    friend bool operator!=(const Iterator& a, const Iterator& b) { return a.entry_ != b.entry_; }

   private:
    friend class ObjectMap;
    template <bool>
    friend class Iterator;
    explicit Iterator(const Entry* entry) : entry_(entry) {}
    const Entry* entry_ = nullptr;
  };
  using iterator = Iterator<false>;
  using const_iterator = Iterator<true>;

  ObjectMap() = default;
  ObjectMap(const ObjectMap& other) { CopyFrom(other); }
  ObjectMap(ObjectMap&& other) noexcept { Swap(other); }
  ObjectMap& operator=(const ObjectMap& other) {
    if (this != &other) {
      ObjectMap copy(other);
      Swap(copy);
    }
    return *this;
  }
  ObjectMap& operator=(ObjectMap&& other) noexcept {
    if (this != &other) {
      ObjectMap moved(std::move(other));
      Swap(moved);
    }
    return *this;
  }
  ~ObjectMap() { DestroyAll(); }

  // Ordered by id.
  iterator begin() { return iterator(Ordered()); }
  iterator end() { return iterator(Ordered() + order_.size()); }
  const_iterator begin() const { return const_iterator(Ordered()); }
  const_iterator end() const { return const_iterator(Ordered() + order_.size()); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }

  size_type size() const { return order_.size(); }
  bool empty() const { return order_.empty(); }

  iterator find(ObjectId id) { return iterator(FindEntry(id)); }
  const_iterator find(ObjectId id) const { return const_iterator(FindEntry(id)); }
  size_type count(ObjectId id) const { return positions_.Find(id) == ObjectIndex::kNone ? 0 : 1; }
  bool contains(ObjectId id) const { return count(id) != 0; }
  // The element, or nullptr (no ordering needed: cheaper than find()).
  T* Get(ObjectId id) {
    value_type* value = Lookup(id);
    return value == nullptr ? nullptr : &value->second;
  }
  const T* Get(ObjectId id) const {
    const value_type* value = Lookup(id);
    return value == nullptr ? nullptr : &value->second;
  }

  T& at(ObjectId id) {
    if (T* found = Get(id)) return *found;
    throw std::out_of_range("ObjectMap::at: no such object id");
  }
  const T& at(ObjectId id) const {
    if (const T* found = Get(id)) return *found;
    throw std::out_of_range("ObjectMap::at: no such object id");
  }
  T& operator[](ObjectId id) { return *Emplace(id).first; }

  // The element with this id, constructed from args when there is none (as try_emplace, but
  // without an iterator: loaders adding ids out of order should use this or operator[],
  // which never sort).
  template <typename... Args>
  std::pair<T*, bool> Emplace(ObjectId id, Args&&... args) {
    if (value_type* existing = Lookup(id)) return {&existing->second, false};
    value_type* value = Construct(std::piecewise_construct, std::forward_as_tuple(id),
                                  std::forward_as_tuple(std::forward<Args>(args)...));
    Append(id, value);
    return {&value->second, true};
  }
  template <typename... Args>
  std::pair<iterator, bool> try_emplace(ObjectId id, Args&&... args) {
    const bool added = Emplace(id, std::forward<Args>(args)...).second;
    return {iterator(FindEntry(id)), added};
  }
  // As std::map::emplace(key, mapped) (the forms the model uses).
  template <typename Mapped>
  std::pair<iterator, bool> emplace(ObjectId id, Mapped&& mapped) {
    return try_emplace(id, std::forward<Mapped>(mapped));
  }
  std::pair<iterator, bool> insert(const value_type& value) {
    return try_emplace(value.first, value.second);
  }
  std::pair<iterator, bool> insert(value_type&& value) {
    return try_emplace(value.first, std::move(value.second));
  }

  // Room for `count` elements: one allocation for the order and the hash.
  void reserve(size_type count) {
    order_.reserve(count);
    positions_.Reserve(count);
  }
  void clear() {
    ObjectMap empty_map;
    Swap(empty_map);
  }

 private:
  // About 16 kB per chunk (well under malloc's mmap threshold), at least 8 elements.
  static constexpr std::size_t kPerChunk = sizeof(value_type) * 8 > 16384
                                               ? 8
                                               : 16384 / sizeof(value_type);
  struct alignas(value_type) Chunk {
    unsigned char bytes[kPerChunk * sizeof(value_type)];
  };

  value_type* Slot(std::size_t slot) const {
    return reinterpret_cast<value_type*>(chunks_[slot / kPerChunk]->bytes) + slot % kPerChunk;
  }
  value_type* Lookup(ObjectId id) const {
    const std::uint32_t slot = positions_.Find(id);
    return slot == ObjectIndex::kNone ? nullptr : Slot(slot);
  }
  template <typename... Args>
  value_type* Construct(Args&&... args) {
    if (constructed_ == chunks_.size() * kPerChunk)
      chunks_.push_back(std::unique_ptr<Chunk>(new Chunk));  // not zeroed
    value_type* value = Slot(constructed_);
    ::new (static_cast<void*>(value)) value_type(std::forward<Args>(args)...);
    ++constructed_;
    return value;
  }
  void Append(ObjectId id, value_type* value) {
    if (!order_.empty() && order_.back().id > id) sorted_ = false;
    order_.push_back({id, value});
    positions_.Insert(id, static_cast<std::uint32_t>(constructed_ - 1));
  }
  const Entry* Ordered() const {
    if (!sorted_) {
      std::sort(order_.begin(), order_.end(),
                [](const Entry& a, const Entry& b) { return a.id < b.id; });
      sorted_ = true;
    }
    return order_.data();
  }
  const Entry* FindEntry(ObjectId id) const {
    const Entry* first = Ordered();
    const Entry* last = first + order_.size();
    if (positions_.Find(id) == ObjectIndex::kNone) return last;
    return std::lower_bound(first, last, id,
                            [](const Entry& entry, ObjectId key) { return entry.id < key; });
  }

  void DestroyAll() noexcept {
    if (!std::is_trivially_destructible<value_type>::value)
      for (std::size_t slot = 0; slot < constructed_; ++slot) Slot(slot)->~value_type();
    chunks_.clear();
    constructed_ = 0;
  }
  void CopyFrom(const ObjectMap& other) {
    reserve(other.size());
    for (const value_type& value : other) Append(value.first, Construct(value));
  }
  void Swap(ObjectMap& other) noexcept {
    chunks_.swap(other.chunks_);
    std::swap(constructed_, other.constructed_);
    order_.swap(other.order_);
    std::swap(sorted_, other.sorted_);
    std::swap(positions_, other.positions_);
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::size_t constructed_ = 0;       // slots used, in insertion order
  mutable std::vector<Entry> order_;  // one per element; sorted by id when sorted_
  mutable bool sorted_ = true;
  ObjectIndex positions_;  // id -> slot
};

}  // namespace dbopt
