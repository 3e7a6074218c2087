// The roles of an account and the states of an assessment, as the library's API names them.
//
// Their ids ("caseworker", "submitted", ...) are what the database, the JSON output, the CLI's
// arguments and the audit trail hold (docs/store.md, "Who may do what" and "Review"); code
// compares the enums, never the ids.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include <screening/status.h>

namespace screening {

enum class Role {
  kCaseworker,   // records contacts and assessments in her units
  kSupervisor,   // reviews her units' assessments, grants access to protected cases
  kCoordinator,  // counts the indicators (every unit, or her units)
  kAdmin,        // accounts, units, instrument versions, audit, check and backup
};

inline constexpr std::array<Role, 4> kRoles = {Role::kCaseworker, Role::kSupervisor,
                                               Role::kCoordinator, Role::kAdmin};

// "caseworker", "supervisor", "coordinator", "admin".
std::string_view RoleId(Role role);
// The role with that id, or nullopt (an unknown id is the caller's error to report).
std::optional<Role> RoleFromId(std::string_view id);
// As RoleFromId, with the error a user is shown: kInvalidArgument "role: expected caseworker,
// supervisor, coordinator or admin".
Result<Role> ParseRole(std::string_view id);

// A case role works in cases (caseworker, supervisor); the others never see case content.
constexpr bool IsCaseRole(Role role) {
  return role == Role::kCaseworker || role == Role::kSupervisor;
}

// An assessment version's place in review (docs/store.md, "Review").
enum class AssessmentStatus {
  kDraft,      // being written; autosaved
  kSubmitted,  // waiting for a supervisor
  kReturned,   // sent back with a comment; its owner changes and submits it again
  kApproved,   // reviewed; changed only by an amendment (a new version)
  kDiscarded,  // a draft thrown away; kept for the audit trail, listed only when asked for
};

inline constexpr std::array<AssessmentStatus, 5> kAssessmentStatuses = {
    AssessmentStatus::kDraft, AssessmentStatus::kSubmitted, AssessmentStatus::kReturned,
    AssessmentStatus::kApproved, AssessmentStatus::kDiscarded};

// "draft", "submitted", "returned", "approved", "discarded".
std::string_view StatusId(AssessmentStatus status);
std::optional<AssessmentStatus> StatusFromId(std::string_view id);
// As StatusFromId, with the error a user is shown (kInvalidArgument naming the five).
Result<AssessmentStatus> ParseStatus(std::string_view id);

// Its owner may still change it (a draft, or returned by a supervisor).
constexpr bool IsEditable(AssessmentStatus status) {
  return status == AssessmentStatus::kDraft || status == AssessmentStatus::kReturned;
}

}  // namespace screening
