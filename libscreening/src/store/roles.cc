#include <screening/roles.h>

namespace screening {

std::string_view RoleId(Role role) {
  switch (role) {
    case Role::kCaseworker:
      return "caseworker";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kAdmin:
      return "admin";
  }
  return "caseworker";  // not reached: every enumerator is handled above
}

std::optional<Role> RoleFromId(std::string_view id) {
  for (Role role : kRoles) {
    if (RoleId(role) == id) return role;
  }
  return std::nullopt;
}

Result<Role> ParseRole(std::string_view id) {
  if (auto role = RoleFromId(id)) return *role;
  return Status::InvalidArgument("role: expected caseworker, supervisor, coordinator or admin");
}

std::string_view StatusId(AssessmentStatus status) {
  switch (status) {
    case AssessmentStatus::kDraft:
      return "draft";
    case AssessmentStatus::kSubmitted:
      return "submitted";
    case AssessmentStatus::kReturned:
      return "returned";
    case AssessmentStatus::kApproved:
      return "approved";
    case AssessmentStatus::kDiscarded:
      return "discarded";
  }
  return "draft";  // not reached
}

std::optional<AssessmentStatus> StatusFromId(std::string_view id) {
  for (AssessmentStatus status : kAssessmentStatuses) {
    if (StatusId(status) == id) return status;
  }
  return std::nullopt;
}

Result<AssessmentStatus> ParseStatus(std::string_view id) {
  if (auto status = StatusFromId(id)) return *status;
  return Status::InvalidArgument(
      "status: expected draft, submitted, returned, approved or discarded");
}

}  // namespace screening
