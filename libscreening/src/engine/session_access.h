// The decoded answers of a Session, for what evaluates them (the engine, the batch scorer,
// the expression fuzzer). Session's public interface speaks in item ids and stored answers;
// the decoded slots are the engine's own representation and stay out of it.
#pragma once

#include <vector>

#include <screening/session.h>

#include "expr/slot.h"

namespace screening::internal {

class SessionAccess {
 public:
  // The decoded answer per item index (Instrument::items()); valid while `session` lives and
  // is not changed.
  static const std::vector<Slot>& Slots(const Session& session) { return *session.slots_; }
};

}  // namespace screening::internal
