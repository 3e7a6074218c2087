#include <screening/secrets.h>

#include <sodium.h>

namespace screening {

void WipeSecret(std::string* secret) {
  if (!secret->empty()) sodium_memzero(secret->data(), secret->size());
  secret->clear();
}

Secret::Secret() { value_.reserve(kMaxBytes); }

Secret::~Secret() { Clear(); }

bool Secret::Append(char c) {
  if (value_.size() >= kMaxBytes) return false;
  value_.push_back(c);
  return true;
}

void Secret::Assign(const Secret& other) {
  if (&other == this) return;
  Clear();
  value_.append(other.value_);  // within the reserved capacity: no reallocation
}

void Secret::PopBack() {
  if (value_.empty()) return;
  sodium_memzero(&value_.back(), 1);
  value_.pop_back();
}

void Secret::Clear() { WipeSecret(&value_); }

bool Secret::operator==(const Secret& other) const {
  return value_.size() == other.value_.size() &&
         (value_.empty() || sodium_memcmp(value_.data(), other.value_.data(), value_.size()) == 0);
}

}  // namespace screening
