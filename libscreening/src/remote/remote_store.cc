#include <screening/remote_store.h>

#include <fstream>
#include <map>

#include <fmt/format.h>

#include "remote/api_convert.h"
#include "remote/https_client.h"

namespace screening {
namespace {

using internal::FromApi;
using internal::ToApi;

constexpr std::string_view kProtobuf = "application/x-protobuf";

struct ServerAddress {
  std::string host;
  std::string port;
};

Result<ServerAddress> ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  const auto bad = [&] {
    return Status::InvalidArgument(
        "server: expected https://HOST:PORT (the server speaks TLS only)");
  };
  if (url.substr(0, kScheme.size()) != kScheme) return bad();
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) return bad();
  std::string_view host = rest.substr(0, colon);
  const std::string_view port = rest.substr(colon + 1);
  if (port.find_first_not_of("0123456789") != std::string_view::npos || port.size() > 5) {
    return bad();
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]
  }
  if (host.find_first_of("/?#@ ") != std::string_view::npos) return bad();
  return ServerAddress{std::string(host), std::string(port)};
}

internal::HttpsClientOptions ClientOptions(const RemoteStoreOptions& options,
                                           const ServerAddress& address) {
  internal::HttpsClientOptions out;
  out.host = address.host;
  out.port = address.port;
  out.ca_file = options.ca_file;
  out.client_cert_file = options.client_cert_file;
  out.client_key_file = options.client_key_file;
  out.timeout = options.timeout;
  return out;
}

// One call: the request as protobuf, the answer or the server's error.
template <typename Resp>
Result<Resp> CallApi(internal::HttpsClient& client, std::string_view operation,
                     const google::protobuf::Message& request, const std::string* token) {
  std::string body;
  request.SerializeToString(&body);
  std::vector<std::pair<std::string, std::string>> headers = {{"Accept", std::string(kProtobuf)}};
  if (token != nullptr) headers.emplace_back("Authorization", "Bearer " + *token);
  auto response =
      client.Post(fmt::format("/v1/{}", operation), kProtobuf, std::move(body), headers);
  if (!response.ok()) return response.status();
  if (response->status == 200) {
    Resp out;
    if (!out.ParseFromString(response->body)) {
      return Status::Internal(fmt::format("{}: the server's answer could not be read", operation));
    }
    return out;
  }
  v1::ApiError error;
  if (!error.ParseFromString(response->body) || error.code() == v1::ERROR_UNSPECIFIED) {
    return Status::Internal(
        fmt::format("{}: the server answered HTTP {}", operation, response->status));
  }
  return FromApi(error);
}

class RemoteStore final : public Store {
 public:
  RemoteStore(internal::HttpsClientOptions options, std::shared_ptr<const Registry> registry)
      : client_(std::move(options)), registry_(std::move(registry)) {}

  // ---- accounts
  Result<Actor> Login(std::string_view user, std::string_view password,
                      const LoginContext&) override {
    // The server counts failures by the address it sees, never by what a client says.
    v1::LoginRequest req;
    req.set_user(std::string(user));
    req.set_password(std::string(password));
    auto resp = CallApi<v1::LoginResponse>(client_, "Login", req, nullptr);
    req.mutable_password()->assign(req.password().size(), '\0');
    if (!resp.ok()) return resp.status();
    auto actor = FromApi(resp->actor());
    if (!actor.ok()) return actor.status();
    tokens_[actor->user_id] = resp->token();
    return actor;
  }
  Result<Actor> LoginTrusted(std::string_view) override {
    return Status::PermissionDenied(
        "a server does not trust the workstation's OS login: log in with a password");
  }
  Status AddUnit(const Actor& a, std::string_view unit) override {
    v1::AddUnitRequest r;
    r.set_unit(std::string(unit));
    return Void("AddUnit", a, r);
  }
  Status AddUser(const Actor& a, std::string_view name, Role role,
                 const std::vector<std::string>& units, std::string_view password) override {
    v1::AddUserRequest r;
    r.set_name(std::string(name));
    r.set_role(ToApi(role));
    for (const auto& u : units) r.add_units(u);
    r.set_password(std::string(password));
    return Void("AddUser", a, r);
  }
  Status SetPassword(const Actor& a, std::string_view name, std::string_view old_password,
                     std::string_view new_password) override {
    v1::SetPasswordRequest r;
    r.set_name(std::string(name));
    r.set_old_password(std::string(old_password));
    r.set_new_password(std::string(new_password));
    Status st = Void("SetPassword", a, r);
    if (st.ok() && name == a.name) {
      // A changed password ends the user's sessions on the server; this one goes on with a
      // new session under the new password, as the embedded store's actor does.
      v1::LoginRequest again;
      again.set_user(std::string(name));
      again.set_password(std::string(new_password));
      auto resp = CallApi<v1::LoginResponse>(client_, "Login", again, nullptr);
      if (resp.ok()) tokens_[a.user_id] = resp->token();
    }
    return st;
  }
  Result<std::vector<UserRecord>> Users(const Actor& a) override {
    auto resp = Call<v1::UsersResponse>("Users", a, v1::UsersRequest());
    if (!resp.ok()) return resp.status();
    std::vector<UserRecord> out;
    for (const auto& u : resp->users()) {
      auto user = FromApi(u);
      if (!user.ok()) return user.status();
      out.push_back(std::move(*user));
    }
    return out;
  }
  Status SetUserActive(const Actor& a, std::string_view name, bool active) override {
    v1::SetUserActiveRequest r;
    r.set_name(std::string(name));
    r.set_active(active);
    return Void("SetUserActive", a, r);
  }
  Status SetUserRole(const Actor& a, std::string_view name, Role role) override {
    v1::SetUserRoleRequest r;
    r.set_name(std::string(name));
    r.set_role(ToApi(role));
    return Void("SetUserRole", a, r);
  }
  Status SetUserUnit(const Actor& a, std::string_view name, std::string_view unit,
                     bool member) override {
    v1::SetUserUnitRequest r;
    r.set_name(std::string(name));
    r.set_unit(std::string(unit));
    r.set_member(member);
    return Void("SetUserUnit", a, r);
  }
  Status ConfirmUser(const Actor& a, std::string_view name) override {
    v1::ConfirmUserRequest r;
    r.set_name(std::string(name));
    return Void("ConfirmUser", a, r);
  }
  Result<std::vector<InstrumentPinState>> UnpinnedInstruments(const Actor& a) override {
    return Pins("UnpinnedInstruments", a, v1::UnpinnedInstrumentsRequest());
  }
  Result<std::vector<InstrumentPinState>> PinInstruments(const Actor& a) override {
    return Pins("PinInstruments", a, v1::PinInstrumentsRequest());
  }

  // ---- cases
  Result<std::int64_t> AddContact(const Actor& a, const ContactInput& contact) override {
    v1::AddContactRequest r;
    ToApi(contact, r.mutable_contact());
    return Id("AddContact", a, r);
  }
  Result<std::int64_t> AddSubject(const Actor& a, const SubjectInput& subject) override {
    v1::AddSubjectRequest r;
    ToApi(subject, r.mutable_subject());
    return Id("AddSubject", a, r);
  }
  Status Grant(const Actor& a, std::string_view unit, std::string_view case_ref,
               std::string_view user, std::string_view reason, std::string_view until) override {
    v1::GrantRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    r.set_user(std::string(user));
    r.set_reason(std::string(reason));
    r.set_until(std::string(until));
    return Void("Grant", a, r);
  }
  Status RevokeGrant(const Actor& a, std::string_view unit, std::string_view case_ref,
                     std::string_view user, std::string_view reason) override {
    v1::RevokeGrantRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    r.set_user(std::string(user));
    r.set_reason(std::string(reason));
    return Void("RevokeGrant", a, r);
  }
  Result<std::vector<SubjectRecord>> Subjects(const Actor& a, std::string_view unit,
                                              std::string_view case_ref) override {
    v1::SubjectsRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    auto resp = Call<v1::SubjectsResponse>("Subjects", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<SubjectRecord> out;
    for (const auto& s : resp->subjects()) out.push_back(FromApi(s));
    return out;
  }

  // ---- assessments
  Result<std::int64_t> CreateDraft(const Actor& a, const AssessmentInput& input,
                                   const Session& session) override {
    v1::CreateDraftRequest r;
    ToApi(input, r.mutable_input());
    SessionToApi(session, r.mutable_session());
    return Id("CreateDraft", a, r);
  }
  Status UpdateDraft(const Actor& a, std::int64_t id, const Session& session) override {
    v1::UpdateDraftRequest r;
    r.set_id(id);
    SessionToApi(session, r.mutable_session());
    return Void("UpdateDraft", a, r);
  }
  Status DiscardDraft(const Actor& a, std::int64_t id) override {
    v1::DiscardDraftRequest r;
    r.set_id(id);
    return Void("DiscardDraft", a, r);
  }
  Status ReassignDraft(const Actor& a, std::int64_t id, std::string_view new_owner,
                       std::string_view reason) override {
    v1::ReassignDraftRequest r;
    r.set_id(id);
    r.set_new_owner(std::string(new_owner));
    r.set_reason(std::string(reason));
    return Void("ReassignDraft", a, r);
  }
  Status Submit(const Actor& a, std::int64_t id) override {
    v1::SubmitRequest r;
    r.set_id(id);
    return Void("Submit", a, r);
  }
  Status Approve(const Actor& a, std::int64_t id, std::string_view comment) override {
    v1::ApproveRequest r;
    r.set_id(id);
    r.set_comment(std::string(comment));
    return Void("Approve", a, r);
  }
  Status Return(const Actor& a, std::int64_t id, std::string_view comment) override {
    v1::ReturnRequest r;
    r.set_id(id);
    r.set_comment(std::string(comment));
    return Void("Return", a, r);
  }
  Status ChangeLevel(const Actor& a, std::int64_t id, std::string_view level,
                     std::string_view reason) override {
    v1::ChangeLevelRequest r;
    r.set_id(id);
    r.set_level(std::string(level));
    r.set_reason(std::string(reason));
    return Void("ChangeLevel", a, r);
  }
  Result<std::int64_t> Amend(const Actor& a, std::int64_t id, std::string_view reason,
                             const Session& session) override {
    v1::AmendRequest r;
    r.set_id(id);
    r.set_reason(std::string(reason));
    SessionToApi(session, r.mutable_session());
    return Id("Amend", a, r);
  }
  Result<AssessmentRecord> Get(const Actor& a, std::int64_t id) override {
    v1::GetRequest r;
    r.set_id(id);
    auto resp = Call<v1::AssessmentRecordMessage>("Get", a, r);
    if (!resp.ok()) return resp.status();
    return FromApi(*resp);
  }
  Result<std::vector<AssessmentRecord>> History(const Actor& a, std::int64_t id) override {
    v1::HistoryRequest r;
    r.set_id(id);
    auto resp = Call<v1::AssessmentRecordsResponse>("History", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<AssessmentRecord> out;
    for (const auto& m : resp->records()) {
      auto record = FromApi(m);
      if (!record.ok()) return record.status();
      out.push_back(std::move(*record));
    }
    return out;
  }
  Result<std::vector<ReviewEntry>> Reviews(const Actor& a, std::int64_t id) override {
    v1::ReviewsRequest r;
    r.set_id(id);
    auto resp = Call<v1::ReviewsResponse>("Reviews", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<ReviewEntry> out;
    for (const auto& m : resp->reviews()) out.push_back(FromApi(m));
    return out;
  }
  Result<std::vector<AssessmentSummary>> List(const Actor& a, const ListFilter& filter) override {
    v1::ListRequest r;
    ToApi(filter, &r);
    auto resp = Call<v1::ListResponse>("List", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<AssessmentSummary> out;
    for (const auto& m : resp->assessments()) {
      auto summary = FromApi(m);
      if (!summary.ok()) return summary.status();
      out.push_back(std::move(*summary));
    }
    return out;
  }

  // ---- follow-up
  Result<std::vector<DueItem>> Due(const Actor& a, bool overdue_only) override {
    v1::DueRequest r;
    r.set_overdue_only(overdue_only);
    auto resp = Call<v1::DueResponse>("Due", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<DueItem> out;
    for (const auto& m : resp->items()) out.push_back(FromApi(m));
    return out;
  }
  Status MarkDone(const Actor& a, std::int64_t due_item) override {
    v1::MarkDoneRequest r;
    r.set_id(due_item);
    return Void("MarkDone", a, r);
  }
  Status RecordSupportGiven(const Actor& a, std::string_view unit, std::string_view case_ref,
                            std::optional<std::int64_t> subject_id,
                            const std::vector<std::string>& resources) override {
    v1::RecordSupportGivenRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    if (subject_id) r.set_subject_id(*subject_id);
    for (const auto& res : resources) r.add_resources(res);
    return Void("RecordSupportGiven", a, r);
  }
  Status RecordCaseSystemContacts(const Actor& a,
                                  const std::vector<CaseSystemCount>& counts) override {
    v1::RecordCaseSystemContactsRequest r;
    for (const auto& c : counts) ToApi(c, r.add_counts());
    return Void("RecordCaseSystemContacts", a, r);
  }
  Result<std::vector<CaseSystemCount>> CaseSystemContacts(const Actor& a,
                                                          std::string_view from_month,
                                                          std::string_view to_month) override {
    v1::CaseSystemContactsRequest r;
    r.set_from_month(std::string(from_month));
    r.set_to_month(std::string(to_month));
    auto resp = Call<v1::CaseSystemContactsResponse>("CaseSystemContacts", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<CaseSystemCount> out;
    for (const auto& m : resp->counts()) out.push_back(FromApi(m));
    return out;
  }

  // ---- audit and maintenance
  Result<AuditVerification> VerifyAudit(const Actor& a) override {
    auto resp = Call<v1::AuditVerificationMessage>("VerifyAudit", a, v1::VerifyAuditRequest());
    if (!resp.ok()) return resp.status();
    return FromApi(*resp);
  }
  Result<std::vector<AuditEntry>> AuditLog(const Actor& a, std::string_view unit,
                                           std::string_view case_ref) override {
    v1::AuditLogRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    auto resp = Call<v1::AuditLogResponse>("AuditLog", a, r);
    if (!resp.ok()) return resp.status();
    std::vector<AuditEntry> out;
    for (const auto& m : resp->entries()) out.push_back(FromApi(m));
    return out;
  }
  Result<AuditVerification> Check(const Actor& a) override {
    auto resp = Call<v1::AuditVerificationMessage>("Check", a, v1::CheckRequest());
    if (!resp.ok()) return resp.status();
    return FromApi(*resp);
  }
  Result<std::string> CaseExtract(const Actor& a, std::string_view unit, std::string_view case_ref,
                                  std::string_view reason) override {
    v1::CaseExtractRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    r.set_reason(std::string(reason));
    auto resp = Call<v1::JsonDocumentResponse>("CaseExtract", a, r);
    if (!resp.ok()) return resp.status();
    return std::move(*resp->mutable_json());
  }
  Result<std::string> Export(const Actor& a, std::string_view unit,
                             std::string_view case_ref) override {
    v1::ExportRequest r;
    r.set_unit(std::string(unit));
    r.set_case_ref(std::string(case_ref));
    auto resp = Call<v1::JsonDocumentResponse>("Export", a, r);
    if (!resp.ok()) return resp.status();
    return std::move(*resp->mutable_json());
  }
  Result<IndicatorReport> Indicators(const Actor& a, const IndicatorRequest& request) override {
    if (request.definitions != nullptr) {
      return Status::InvalidArgument(
          "indicators: a server counts with its own definitions (choose a version instead)");
    }
    v1::IndicatorsRequest r;
    ToApi(request, &r);
    auto resp = Call<v1::IndicatorReportMessage>("Indicators", a, r);
    if (!resp.ok()) return resp.status();
    return FromApi(*resp);
  }
  Status Bulk(const std::function<Status()>&) override {
    return Status::FailedPrecondition(
        "bulk writes (seeding, imports) run on the server host against its database");
  }
  Result<IntakeRecorded> RecordIntake(const Actor& a, const IntakeInput& input,
                                      const Session& routine) override {
    v1::RecordIntakeRequest r;
    ToApi(input, &r);
    SessionToApi(routine, r.mutable_routine());
    auto resp = Call<v1::RecordIntakeResponse>("RecordIntake", a, r);
    if (!resp.ok()) return resp.status();
    return FromApi(*resp);
  }
  Status Backup(const Actor& a, const std::filesystem::path& out, std::string_view passphrase,
                const std::filesystem::path& key_file, const BackupOptions& options) override {
    if (!out.empty() || !key_file.empty()) {
      return Status::InvalidArgument(
          "backup: a server writes backups into its own backup folder (no path, no key file)");
    }
    v1::BackupRequest r;
    r.set_passphrase(std::string(passphrase));
    r.set_allow_broken_chain(options.allow_broken_chain);
    auto resp = Call<v1::BackupResponse>("Backup", a, r);
    return resp.ok() ? Status::Ok() : resp.status();
  }

 private:
  const std::string* TokenOf(const Actor& a) const {
    auto it = tokens_.find(a.user_id);
    return it == tokens_.end() ? nullptr : &it->second;
  }

  template <typename Resp>
  Result<Resp> Call(std::string_view operation, const Actor& a,
                    const google::protobuf::Message& request) {
    const std::string* token = TokenOf(a);
    if (token == nullptr) {
      return Status::PermissionDenied("not logged in on this server: log in first");
    }
    return CallApi<Resp>(client_, operation, request, token);
  }
  Status Void(std::string_view operation, const Actor& a,
              const google::protobuf::Message& request) {
    auto resp = Call<v1::Empty>(operation, a, request);
    return resp.ok() ? Status::Ok() : resp.status();
  }
  Result<std::int64_t> Id(std::string_view operation, const Actor& a,
                          const google::protobuf::Message& request) {
    auto resp = Call<v1::IdResponse>(operation, a, request);
    if (!resp.ok()) return resp.status();
    return resp->id();
  }
  template <typename Req>
  Result<std::vector<InstrumentPinState>> Pins(std::string_view operation, const Actor& a,
                                               const Req& request) {
    auto resp = Call<v1::PinStatesResponse>(operation, a, request);
    if (!resp.ok()) return resp.status();
    std::vector<InstrumentPinState> out;
    for (const auto& m : resp->states()) out.push_back(FromApi(m));
    return out;
  }
  static void SessionToApi(const Session& session, v1::SessionData* out) {
    out->set_instrument_id(session.instrument().id());
    out->set_instrument_version(session.instrument().version());
    out->set_logic_sha256(session.instrument().logic_sha256());
    *out->mutable_answers() = session.answers();
  }

  internal::HttpsClient client_;
  std::shared_ptr<const Registry> registry_;
  std::map<std::int64_t, std::string> tokens_;  // user id -> session token
};

}  // namespace

Result<std::unique_ptr<Store>> OpenRemoteStore(const RemoteStoreOptions& options,
                                               std::shared_ptr<const Registry> registry) {
  auto address = ParseUrl(options.url);
  if (!address.ok()) return address.status();
  return std::unique_ptr<Store>(
      std::make_unique<RemoteStore>(ClientOptions(options, *address), std::move(registry)));
}

Result<std::shared_ptr<const Registry>> FetchServerInstruments(const RemoteStoreOptions& options,
                                                               const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  auto address = ParseUrl(options.url);
  if (!address.ok()) return address.status();
  internal::HttpsClient client(ClientOptions(options, *address));
  auto files = CallApi<v1::GetInstrumentsResponse>(client, "GetInstruments",
                                                   v1::GetInstrumentsRequest(), nullptr);
  if (!files.ok()) return files.status();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("{}: {}", dir.string(), ec.message()));
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  for (const auto& f : files->files()) {
    const fs::path name = fs::path(f.name()).lexically_normal();
    if (name.is_absolute() || name.empty() || *name.begin() == "..") {
      return Status::Corruption("the server named an instrument file outside its folder");
    }
    fs::create_directories((dir / name).parent_path(), ec);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out << f.content();
    if (!out)
      return Status::IoError(fmt::format("{}: could not be written", (dir / name).string()));
  }
  return Registry::LoadDirectory(dir, nullptr);
}

}  // namespace screening
