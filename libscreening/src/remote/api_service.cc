#include <screening/api_service.h>

#include <sodium.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <semaphore>
#include <sstream>

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "remote/api_convert.h"
#include "store/audit_chain.h"

namespace screening {
namespace {

using internal::FromApi;
using internal::ToApi;

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool IsJson(std::string_view content_type) {
  return content_type.substr(0, 16) == "application/json";
}

// The answer's form: what Accept names (protobuf or JSON), else the request's (curl and most
// HTTP libraries send "Accept: */*").
bool AnswerInJson(const ApiRequest& request) {
  const std::string_view accept = request.accept;
  if (accept.find("application/json") != std::string_view::npos) return true;
  if (accept.find("application/x-protobuf") != std::string_view::npos) return false;
  return IsJson(request.content_type);
}

// The token's hash is what the server keeps: a copy of the session table gives no session.
std::string TokenKey(std::string_view token) {
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return std::string(reinterpret_cast<const char*>(hash), sizeof hash);
}

std::string NewToken() {
  unsigned char bytes[32];  // 256 bits
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(text);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return internal::HexOf(hash, sizeof hash);
}

struct SessionEntry {
  std::int64_t user_id = 0;
  std::string name;
  std::int64_t created = 0;
  std::int64_t last_used = 0;
};

// Open Stores, lent to one call at a time.
class StorePool {
 public:
  StorePool(ApiService::StoreFactory open, int max) : open_(std::move(open)), max_(max) {}

  class Lease {
   public:
    Lease(StorePool* pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease() {
      if (store_) pool_->Return(std::move(store_));
    }
    Store& operator*() { return *store_; }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  Result<Lease> Borrow() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_count_ < max_; });
    if (!idle_.empty()) {
      auto store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(store));
    }
    ++open_count_;
    lock.unlock();
    auto opened = open_();
    if (!opened.ok()) {
      std::lock_guard again(mu_);
      --open_count_;
      cv_.notify_one();
      return opened.status();
    }
    return Lease(this, std::move(*opened));
  }

 private:
  void Return(std::unique_ptr<Store> store) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(store));
    cv_.notify_one();
  }

  ApiService::StoreFactory open_;
  const int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Store>> idle_;
  int open_count_ = 0;
};

// One call being served.
struct Call {
  const ApiRequest& request;
  bool json_in = false;
  bool json_out = false;
  Actor actor;  // the session's user (user_id and name; the store reads the rest)
};

}  // namespace

class ApiService::Impl {
 public:
  Impl(StoreFactory open, std::shared_ptr<const Registry> registry, ApiServiceOptions options)
      : pool_(std::move(open), std::max(1, options.max_stores)),
        registry_(std::move(registry)),
        options_(std::move(options)),
        logins_(std::max(1, options_.concurrent_logins)) {
    (void)internal::EnsureSodium();  // fails only without entropy; randombytes then aborts
    LoadInstrumentFiles();
    Register();
  }

  ApiResponse Handle(const ApiRequest& request) {
    Call call{request, IsJson(request.content_type), AnswerInJson(request), {}};
    auto op = ops_.find(request.operation);
    if (op == ops_.end()) return Failure(call, Status::NotFound("no such operation"));
    return op->second.fn(call);
  }

  std::size_t OpenSessions() const {
    std::lock_guard lock(sessions_mu_);
    return sessions_.size();
  }

  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, op] : ops_) names.push_back(name);
    return names;
  }

 private:
  struct Op {
    std::function<ApiResponse(Call&)> fn;
  };

  std::int64_t Now() const { return options_.clock ? options_.clock->NowUnix() : SystemNow(); }

  // ---------------------------------------------------------------- encoding

  template <typename Message>
  Status Decode(const Call& call, Message* out) const {
    if (call.json_in) {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      if (!google::protobuf::util::JsonStringToMessage(call.request.body, out, options).ok()) {
        return Status::InvalidArgument(
            fmt::format("request body: not a {} in JSON", out->GetDescriptor()->name()));
      }
      return Status::Ok();
    }
    if (!out->ParseFromString(call.request.body)) {
      return Status::InvalidArgument(
          fmt::format("request body: not a {} in protobuf", out->GetDescriptor()->name()));
    }
    return Status::Ok();
  }

  ApiResponse Encode(const Call& call, const google::protobuf::Message& message,
                     int http_status = 200) const {
    ApiResponse out;
    out.http_status = http_status;
    if (call.json_out) {
      out.content_type = "application/json";
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = false;
      (void)google::protobuf::util::MessageToJsonString(message, &out.body, options);
    } else {
      out.content_type = "application/x-protobuf";
      message.SerializeToString(&out.body);
    }
    return out;
  }

  ApiResponse Failure(const Call& call, const Status& status) const {
    return Encode(call, ToApi(status), internal::HttpStatusOf(status.code()));
  }

  ApiResponse Unauthenticated(const Call& call) const {
    v1::ApiError error;
    error.set_code(v1::ERROR_UNAUTHENTICATED);
    error.set_message("no session: log in (the session ended, expired or was never begun)");
    return Encode(call, error, 401);
  }

  // ---------------------------------------------------------------- sessions

  std::optional<SessionEntry> SessionOf(const ApiRequest& request) {
    constexpr std::string_view kBearer = "Bearer ";
    const std::string_view header = request.authorization;
    if (header.substr(0, kBearer.size()) != kBearer) return std::nullopt;
    const std::string key = TokenKey(header.substr(kBearer.size()));
    const std::int64_t now = Now();
    std::lock_guard lock(sessions_mu_);
    auto it = sessions_.find(key);
    if (it == sessions_.end()) return std::nullopt;
    SessionEntry& s = it->second;
    if (now - s.last_used > options_.idle_timeout.count() ||
        now - s.created > options_.lifetime.count()) {
      sessions_.erase(it);
      return std::nullopt;
    }
    s.last_used = now;
    return s;
  }

  void EndSessionsOf(std::string_view name) {
    std::lock_guard lock(sessions_mu_);
    std::erase_if(sessions_, [&](const auto& entry) { return entry.second.name == name; });
  }

  // ---------------------------------------------------------------- registration

  // An operation that needs a session: `fn(store, actor, request, response)`.
  template <typename Req, typename Resp, typename F>
  void Session(const std::string& name, F fn) {
    ops_[name] = Op{[this, fn](Call& call) -> ApiResponse {
      auto session = SessionOf(call.request);
      if (!session) return Unauthenticated(call);
      call.actor.user_id = session->user_id;
      call.actor.name = session->name;
      Req req;
      if (Status st = Decode(call, &req); !st.ok()) return Failure(call, st);
      auto lease = pool_.Borrow();
      if (!lease.ok()) return Failure(call, lease.status());
      Resp resp;
      if (Status st = fn(**lease, call.actor, req, &resp); !st.ok()) return Failure(call, st);
      return Encode(call, resp);
    }};
  }

  // The Session a client sent, evaluated with the server's own copy of its instrument.
  Result<screening::Session> SessionFrom(const v1::SessionData& data) const {
    auto instrument = registry_->Find(data.instrument_id(), data.instrument_version());
    if (instrument == nullptr || data.instrument_version().empty()) {
      return Status::FailedPrecondition(
          fmt::format("instrument {} version {} is not installed on the server",
                      data.instrument_id(), data.instrument_version()));
    }
    if (instrument->logic_sha256() != data.logic_sha256()) {
      return Status::FailedPrecondition(fmt::format(
          "instrument {} version {}: the client's logic differs from the server's (the client "
          "must load the server's instruments)",
          data.instrument_id(), data.instrument_version()));
    }
    return screening::Session::FromProto(instrument, data.answers());
  }

  void LoadInstrumentFiles() {
    namespace fs = std::filesystem;
    const fs::path dir = registry_->directory();
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file() || it->path().extension() != ".textproto") continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      auto* file = instrument_files_.add_files();
      file->set_name(fs::relative(it->path(), dir).generic_string());
      file->set_content(content.str());
      file->set_sha256(Sha256Hex(file->content()));
    }
    std::sort(instrument_files_.mutable_files()->begin(), instrument_files_.mutable_files()->end(),
              [](const auto& a, const auto& b) { return a.name() < b.name(); });
  }

  std::string BackupFileName() const {
    const std::time_t t = static_cast<std::time_t>(Now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    return fmt::format("screening-{}-{}.backup", stamp, NewToken().substr(0, 8));
  }

  void Register();

  StorePool pool_;
  std::shared_ptr<const Registry> registry_;
  ApiServiceOptions options_;
  std::counting_semaphore<64> logins_;
  std::map<std::string, Op> ops_;
  v1::GetInstrumentsResponse instrument_files_;
  mutable std::mutex sessions_mu_;
  std::map<std::string, SessionEntry> sessions_;
};

void ApiService::Impl::Register() {
  using namespace v1;  // NOLINT: the messages of one file, read as a table

  // ---- without a session
  ops_["Login"] = Op{[this](Call& call) -> ApiResponse {
    LoginRequest req;
    if (Status st = Decode(call, &req); !st.ok()) return Failure(call, st);
    screening::Result<Actor> actor = Status::Internal("not logged in");
    {
      logins_.acquire();  // a bounded number of Argon2id hashes at once
      auto lease = pool_.Borrow();
      if (lease.ok()) {
        LoginContext context;
        context.source = call.request.peer;
        actor = (**lease).Login(req.user(), req.password(), context);
      } else {
        actor = lease.status();
      }
      logins_.release();
    }
    if (!actor.ok()) return Failure(call, actor.status());
    LoginResponse resp;
    const std::string token = NewToken();
    {
      std::lock_guard lock(sessions_mu_);
      const std::int64_t now = Now();
      sessions_[TokenKey(token)] = SessionEntry{actor->user_id, actor->name, now, now};
    }
    resp.set_token(token);
    ToApi(*actor, resp.mutable_actor());
    resp.set_idle_timeout_seconds(options_.idle_timeout.count());
    return Encode(call, resp);
  }};
  ops_["Logout"] = Op{[this](Call& call) -> ApiResponse {
    constexpr std::string_view kBearer = "Bearer ";
    const std::string_view header = call.request.authorization;
    if (header.substr(0, kBearer.size()) == kBearer) {
      std::lock_guard lock(sessions_mu_);
      sessions_.erase(TokenKey(header.substr(kBearer.size())));
    }
    return Encode(call, Empty());
  }};
  ops_["GetInstruments"] =
      Op{[this](Call& call) -> ApiResponse { return Encode(call, instrument_files_); }};

  // ---- accounts
  Session<AddUnitRequest, Empty>("AddUnit", [](Store& s, const Actor& a, const AddUnitRequest& r,
                                               Empty*) { return s.AddUnit(a, r.unit()); });
  Session<AddUserRequest, Empty>(
      "AddUser", [](Store& s, const Actor& a, const AddUserRequest& r, Empty*) -> Status {
        auto role = FromApi(r.role());
        if (!role.ok()) return role.status();
        return s.AddUser(a, r.name(), *role, {r.units().begin(), r.units().end()}, r.password());
      });
  Session<SetPasswordRequest, Empty>(
      "SetPassword", [this](Store& s, const Actor& a, const SetPasswordRequest& r, Empty*) {
        Status st = s.SetPassword(a, r.name(), r.old_password(), r.new_password());
        if (st.ok()) EndSessionsOf(r.name());  // a changed password ends its sessions
        return st;
      });
  Session<UsersRequest, UsersResponse>(
      "Users", [](Store& s, const Actor& a, const UsersRequest&, UsersResponse* out) -> Status {
        auto users = s.Users(a);
        if (!users.ok()) return users.status();
        for (const auto& u : *users) ToApi(u, out->add_users());
        return Status::Ok();
      });
  Session<SetUserActiveRequest, Empty>(
      "SetUserActive", [this](Store& s, const Actor& a, const SetUserActiveRequest& r, Empty*) {
        Status st = s.SetUserActive(a, r.name(), r.active());
        if (st.ok() && !r.active()) EndSessionsOf(r.name());
        return st;
      });
  Session<SetUserRoleRequest, Empty>(
      "SetUserRole",
      [this](Store& s, const Actor& a, const SetUserRoleRequest& r, Empty*) -> Status {
        auto role = FromApi(r.role());
        if (!role.ok()) return role.status();
        Status st = s.SetUserRole(a, r.name(), *role);
        if (st.ok()) EndSessionsOf(r.name());
        return st;
      });
  Session<SetUserUnitRequest, Empty>(
      "SetUserUnit", [](Store& s, const Actor& a, const SetUserUnitRequest& r, Empty*) {
        return s.SetUserUnit(a, r.name(), r.unit(), r.member());
      });
  Session<ConfirmUserRequest, Empty>(
      "ConfirmUser", [](Store& s, const Actor& a, const ConfirmUserRequest& r, Empty*) {
        return s.ConfirmUser(a, r.name());
      });
  Session<UnpinnedInstrumentsRequest, PinStatesResponse>(
      "UnpinnedInstruments",
      [](Store& s, const Actor& a, const UnpinnedInstrumentsRequest&,
         PinStatesResponse* out) -> Status {
        auto states = s.UnpinnedInstruments(a);
        if (!states.ok()) return states.status();
        for (const auto& p : *states) ToApi(p, out->add_states());
        return Status::Ok();
      });
  Session<PinInstrumentsRequest, PinStatesResponse>(
      "PinInstruments",
      [](Store& s, const Actor& a, const PinInstrumentsRequest&, PinStatesResponse* out) -> Status {
        auto states = s.PinInstruments(a);
        if (!states.ok()) return states.status();
        for (const auto& p : *states) ToApi(p, out->add_states());
        return Status::Ok();
      });

  // ---- cases
  Session<AddContactRequest, IdResponse>(
      "AddContact",
      [](Store& s, const Actor& a, const AddContactRequest& r, IdResponse* out) -> Status {
        auto id = s.AddContact(a, FromApi(r.contact()));
        if (!id.ok()) return id.status();
        out->set_id(*id);
        return Status::Ok();
      });
  Session<AddSubjectRequest, IdResponse>(
      "AddSubject",
      [](Store& s, const Actor& a, const AddSubjectRequest& r, IdResponse* out) -> Status {
        auto id = s.AddSubject(a, FromApi(r.subject()));
        if (!id.ok()) return id.status();
        out->set_id(*id);
        return Status::Ok();
      });
  Session<GrantRequest, Empty>(
      "Grant", [](Store& s, const Actor& a, const GrantRequest& r, Empty*) {
        return s.Grant(a, r.unit(), r.case_ref(), r.user(), r.reason(), r.until());
      });
  Session<RevokeGrantRequest, Empty>(
      "RevokeGrant", [](Store& s, const Actor& a, const RevokeGrantRequest& r, Empty*) {
        return s.RevokeGrant(a, r.unit(), r.case_ref(), r.user(), r.reason());
      });
  Session<SubjectsRequest, SubjectsResponse>(
      "Subjects",
      [](Store& s, const Actor& a, const SubjectsRequest& r, SubjectsResponse* out) -> Status {
        auto subjects = s.Subjects(a, r.unit(), r.case_ref());
        if (!subjects.ok()) return subjects.status();
        for (const auto& x : *subjects) ToApi(x, out->add_subjects());
        return Status::Ok();
      });

  // ---- assessments
  Session<CreateDraftRequest, IdResponse>(
      "CreateDraft",
      [this](Store& s, const Actor& a, const CreateDraftRequest& r, IdResponse* out) -> Status {
        auto session = SessionFrom(r.session());
        if (!session.ok()) return session.status();
        auto id = s.CreateDraft(a, FromApi(r.input()), *session);
        if (!id.ok()) return id.status();
        out->set_id(*id);
        return Status::Ok();
      });
  Session<UpdateDraftRequest, Empty>(
      "UpdateDraft",
      [this](Store& s, const Actor& a, const UpdateDraftRequest& r, Empty*) -> Status {
        auto session = SessionFrom(r.session());
        if (!session.ok()) return session.status();
        return s.UpdateDraft(a, r.id(), *session);
      });
  Session<DiscardDraftRequest, Empty>(
      "DiscardDraft", [](Store& s, const Actor& a, const DiscardDraftRequest& r, Empty*) {
        return s.DiscardDraft(a, r.id());
      });
  Session<ReassignDraftRequest, Empty>(
      "ReassignDraft", [](Store& s, const Actor& a, const ReassignDraftRequest& r, Empty*) {
        return s.ReassignDraft(a, r.id(), r.new_owner(), r.reason());
      });
  Session<SubmitRequest, Empty>("Submit", [](Store& s, const Actor& a, const SubmitRequest& r,
                                             Empty*) { return s.Submit(a, r.id()); });
  Session<ApproveRequest, Empty>("Approve",
                                 [](Store& s, const Actor& a, const ApproveRequest& r, Empty*) {
                                   return s.Approve(a, r.id(), r.comment());
                                 });
  Session<ReturnRequest, Empty>("Return", [](Store& s, const Actor& a, const ReturnRequest& r,
                                             Empty*) { return s.Return(a, r.id(), r.comment()); });
  Session<ChangeLevelRequest, Empty>(
      "ChangeLevel", [](Store& s, const Actor& a, const ChangeLevelRequest& r, Empty*) {
        return s.ChangeLevel(a, r.id(), r.level(), r.reason());
      });
  Session<AmendRequest, IdResponse>(
      "Amend", [this](Store& s, const Actor& a, const AmendRequest& r, IdResponse* out) -> Status {
        auto session = SessionFrom(r.session());
        if (!session.ok()) return session.status();
        auto id = s.Amend(a, r.id(), r.reason(), *session);
        if (!id.ok()) return id.status();
        out->set_id(*id);
        return Status::Ok();
      });
  Session<GetRequest, AssessmentRecordMessage>(
      "Get",
      [](Store& s, const Actor& a, const GetRequest& r, AssessmentRecordMessage* out) -> Status {
        auto record = s.Get(a, r.id());
        if (!record.ok()) return record.status();
        ToApi(*record, out);
        return Status::Ok();
      });
  Session<HistoryRequest, AssessmentRecordsResponse>(
      "History",
      [](Store& s, const Actor& a, const HistoryRequest& r,
         AssessmentRecordsResponse* out) -> Status {
        auto records = s.History(a, r.id());
        if (!records.ok()) return records.status();
        for (const auto& x : *records) ToApi(x, out->add_records());
        return Status::Ok();
      });
  Session<ReviewsRequest, ReviewsResponse>(
      "Reviews",
      [](Store& s, const Actor& a, const ReviewsRequest& r, ReviewsResponse* out) -> Status {
        auto reviews = s.Reviews(a, r.id());
        if (!reviews.ok()) return reviews.status();
        for (const auto& x : *reviews) ToApi(x, out->add_reviews());
        return Status::Ok();
      });
  Session<ListRequest, ListResponse>(
      "List", [](Store& s, const Actor& a, const ListRequest& r, ListResponse* out) -> Status {
        auto filter = FromApi(r);
        if (!filter.ok()) return filter.status();
        auto listed = s.List(a, *filter);
        if (!listed.ok()) return listed.status();
        for (const auto& x : *listed) ToApi(x, out->add_assessments());
        return Status::Ok();
      });

  // ---- follow-up
  Session<DueRequest, DueResponse>(
      "Due", [](Store& s, const Actor& a, const DueRequest& r, DueResponse* out) -> Status {
        auto items = s.Due(a, r.overdue_only());
        if (!items.ok()) return items.status();
        for (const auto& x : *items) ToApi(x, out->add_items());
        return Status::Ok();
      });
  Session<MarkDoneRequest, Empty>("MarkDone", [](Store& s, const Actor& a, const MarkDoneRequest& r,
                                                 Empty*) { return s.MarkDone(a, r.id()); });
  Session<RecordSupportGivenRequest, Empty>(
      "RecordSupportGiven",
      [](Store& s, const Actor& a, const RecordSupportGivenRequest& r, Empty*) {
        std::optional<std::int64_t> subject;
        if (r.has_subject_id()) subject = r.subject_id();
        return s.RecordSupportGiven(a, r.unit(), r.case_ref(), subject,
                                    {r.resources().begin(), r.resources().end()});
      });
  Session<RecordCaseSystemContactsRequest, Empty>(
      "RecordCaseSystemContacts",
      [](Store& s, const Actor& a, const RecordCaseSystemContactsRequest& r, Empty*) {
        std::vector<CaseSystemCount> counts;
        for (const auto& c : r.counts()) counts.push_back(FromApi(c));
        return s.RecordCaseSystemContacts(a, counts);
      });
  Session<CaseSystemContactsRequest, CaseSystemContactsResponse>(
      "CaseSystemContacts",
      [](Store& s, const Actor& a, const CaseSystemContactsRequest& r,
         CaseSystemContactsResponse* out) -> Status {
        auto counts = s.CaseSystemContacts(a, r.from_month(), r.to_month());
        if (!counts.ok()) return counts.status();
        for (const auto& c : *counts) ToApi(c, out->add_counts());
        return Status::Ok();
      });

  // ---- intake
  Session<RecordIntakeRequest, RecordIntakeResponse>(
      "RecordIntake",
      [this](Store& s, const Actor& a, const RecordIntakeRequest& r,
             RecordIntakeResponse* out) -> Status {
        auto routine = SessionFrom(r.routine());
        if (!routine.ok()) return routine.status();
        auto recorded = s.RecordIntake(a, FromApi(r), *routine);
        if (!recorded.ok()) return recorded.status();
        ToApi(*recorded, out);
        return Status::Ok();
      });

  // ---- audit and maintenance
  Session<VerifyAuditRequest, AuditVerificationMessage>(
      "VerifyAudit",
      [](Store& s, const Actor& a, const VerifyAuditRequest&,
         AuditVerificationMessage* out) -> Status {
        auto v = s.VerifyAudit(a);
        if (!v.ok()) return v.status();
        ToApi(*v, out);
        return Status::Ok();
      });
  Session<AuditLogRequest, AuditLogResponse>(
      "AuditLog",
      [](Store& s, const Actor& a, const AuditLogRequest& r, AuditLogResponse* out) -> Status {
        auto entries = s.AuditLog(a, r.unit(), r.case_ref());
        if (!entries.ok()) return entries.status();
        for (const auto& e : *entries) ToApi(e, out->add_entries());
        return Status::Ok();
      });
  Session<CheckRequest, AuditVerificationMessage>(
      "Check",
      [](Store& s, const Actor& a, const CheckRequest&, AuditVerificationMessage* out) -> Status {
        auto v = s.Check(a);
        if (!v.ok()) return v.status();
        ToApi(*v, out);
        return Status::Ok();
      });
  Session<CaseExtractRequest, JsonDocumentResponse>(
      "CaseExtract",
      [](Store& s, const Actor& a, const CaseExtractRequest& r,
         JsonDocumentResponse* out) -> Status {
        auto json = s.CaseExtract(a, r.unit(), r.case_ref(), r.reason());
        if (!json.ok()) return json.status();
        out->set_json(std::move(*json));
        return Status::Ok();
      });
  Session<ExportRequest, JsonDocumentResponse>(
      "Export",
      [](Store& s, const Actor& a, const ExportRequest& r, JsonDocumentResponse* out) -> Status {
        auto json = s.Export(a, r.unit(), r.case_ref());
        if (!json.ok()) return json.status();
        out->set_json(std::move(*json));
        return Status::Ok();
      });
  Session<IndicatorsRequest, IndicatorReportMessage>(
      "Indicators",
      [](Store& s, const Actor& a, const IndicatorsRequest& r,
         IndicatorReportMessage* out) -> Status {
        auto report = s.Indicators(a, FromApi(r));
        if (!report.ok()) return report.status();
        ToApi(*report, out);
        return Status::Ok();
      });
  Session<BackupRequest, BackupResponse>(
      "Backup",
      [this](Store& s, const Actor& a, const BackupRequest& r, BackupResponse* out) -> Status {
        if (options_.backup_dir.empty()) {
          return Status::FailedPrecondition(
              "the server has no backup folder (screening-server --backup-dir)");
        }
        if (r.passphrase().empty()) {
          return Status::InvalidArgument("passphrase: a backup through the server needs one");
        }
        const std::string name = BackupFileName();
        BackupOptions options;
        options.allow_broken_chain = r.allow_broken_chain();
        Status st = s.Backup(a, options_.backup_dir / name, r.passphrase(), {}, options);
        if (st.ok()) out->set_file_name(name);
        return st;
      });
}

ApiService::ApiService(StoreFactory open_store, std::shared_ptr<const Registry> registry,
                       ApiServiceOptions options)
    : impl_(
          std::make_unique<Impl>(std::move(open_store), std::move(registry), std::move(options))) {}

ApiService::~ApiService() = default;

ApiResponse ApiService::Handle(const ApiRequest& request) { return impl_->Handle(request); }

std::size_t ApiService::OpenSessions() const { return impl_->OpenSessions(); }

std::vector<std::string> ApiService::Operations() const { return impl_->Names(); }

std::vector<std::pair<std::string, std::string>> ApiService::NotRemoted() {
  return {{"LoginTrusted", "the workstation's OS login proves nothing to the server"},
          {"Bulk", "seeding and imports run on the server host against the database"}};
}

}  // namespace screening
