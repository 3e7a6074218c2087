// The server's API service in-process (no network): every Store operation is served or
// said not to be, sessions begin and end as docs/api.md says, and what a client sends is
// evaluated by the server's own instruments.
#include <screening/api_service.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>

#include "remote/api_convert.h"
#include "store_fixture.h"
#include "test_paths.h"

namespace screening::test {
namespace {

// The names of Store's operations, read from the public header: a new operation without an
// API mapping fails the first test below.
std::set<std::string> StoreOperations() {
  const fs::path header = fs::path(SCREENING_TEST_DATA_DIR).parent_path().parent_path() /
                          "libscreening/include/screening/store.h";
  std::ifstream in(header);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const auto begin = all.find("class Store {");
  REQUIRE(begin != std::string::npos);
  const auto end = all.find("\n};", begin);
  const std::string body = all.substr(begin, end - begin);
  std::set<std::string> names;
  const std::regex virtual_method(R"(virtual\s+[^;{()]*?\b(\w+)\s*\()");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), virtual_method);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    if (name != "Store") names.insert(name);
  }
  return names;
}

struct Answer {
  int http_status = 0;
  std::string body;
  std::string content_type;
};

class Api {
 public:
  explicit Api(StoreFixture& f, ApiServiceOptions options = {})
      : service_([&f] { return OpenSqliteStore(f.db, RealInstruments(), f.Options()); },
                 RealInstruments(), std::move(options)) {}

  ApiService& service() { return service_; }

  Answer Post(const std::string& operation, const google::protobuf::Message& request,
              const std::string& token = "") {
    ApiRequest r;
    r.operation = operation;
    r.content_type = "application/x-protobuf";
    r.peer = "192.0.2.10";
    if (!token.empty()) r.authorization = "Bearer " + token;
    request.SerializeToString(&r.body);
    ApiResponse resp = service_.Handle(r);
    return {resp.http_status, resp.body, resp.content_type};
  }

  std::string Login(const std::string& user, const std::string& password = kPassword) {
    v1::LoginRequest req;
    req.set_user(user);
    req.set_password(password);
    Answer a = Post("Login", req);
    REQUIRE(a.http_status == 200);
    v1::LoginResponse resp;
    REQUIRE(resp.ParseFromString(a.body));
    return resp.token();
  }

 private:
  ApiService service_;
};

v1::ApiError ErrorOf(const Answer& a) {
  v1::ApiError e;
  REQUIRE(e.ParseFromString(a.body));
  return e;
}

}  // namespace

TEST_CASE("the API serves every Store operation but those it says it does not", "[api]") {
  StoreFixture f(kMarch14, false);
  Api api(f);
  std::set<std::string> expected = StoreOperations();
  REQUIRE(expected.count("CreateDraft") == 1);  // the header was read
  for (const auto& [name, why] : ApiService::NotRemoted()) {
    INFO(name);
    CHECK(expected.erase(name) == 1);
    CHECK_FALSE(why.empty());
  }
  expected.insert("Logout");
  expected.insert("GetInstruments");
  const auto served = api.service().Operations();
  CHECK(std::set<std::string>(served.begin(), served.end()) == expected);
}

TEST_CASE("a session begins with a password and ends at logout, idle time and lifetime", "[api]") {
  StoreFixture f;
  ApiServiceOptions options;
  options.clock = f.clock;
  options.idle_timeout = std::chrono::seconds(600);
  options.lifetime = std::chrono::seconds(3600);
  Api api(f, options);

  v1::LoginRequest wrong;
  wrong.set_user("kim");
  wrong.set_password("not the password");
  Answer refused = api.Post("Login", wrong);
  CHECK(refused.http_status == 403);
  CHECK(ErrorOf(refused).code() == v1::ERROR_PERMISSION_DENIED);

  const std::string token = api.Login("kim");
  CHECK(token.size() == 43);  // 256 bits, base64url without padding
  CHECK(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
      std::string::npos);
  CHECK(api.Login("kim") != token);

  v1::DueRequest due;
  CHECK(api.Post("Due", due, token).http_status == 200);
  CHECK(api.Post("Due", due).http_status == 401);
  CHECK(ErrorOf(api.Post("Due", due)).code() == v1::ERROR_UNAUTHENTICATED);
  std::string forged = token;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  CHECK(api.Post("Due", due, forged).http_status == 401);

  // Idle: 599 s later it still serves (and that call keeps it alive), 601 s after that not.
  f.clock->Advance(599);
  CHECK(api.Post("Due", due, token).http_status == 200);
  f.clock->Advance(601);
  CHECK(api.Post("Due", due, token).http_status == 401);

  // Lifetime: used every 500 s, it ends an hour after the login.
  const std::string long_lived = api.Login("kim");
  for (int i = 0; i < 7; ++i) {
    f.clock->Advance(500);
    CHECK(api.Post("Due", due, long_lived).http_status == 200);
  }
  f.clock->Advance(200);  // 3700 s after the login
  CHECK(api.Post("Due", due, long_lived).http_status == 401);

  // Logout ends it at once.
  const std::string short_lived = api.Login("kim");
  CHECK(api.Post("Logout", v1::LogoutRequest(), short_lived).http_status == 200);
  CHECK(api.Post("Due", due, short_lived).http_status == 401);
}

TEST_CASE("a changed password, a deactivation or a role change ends the user's sessions", "[api]") {
  StoreFixture f;
  Api api(f);
  const std::string admin = api.Login("ada");
  const std::string kim = api.Login("kim");
  const std::string lena = api.Login("lena");
  const std::string bo = api.Login("bo");
  v1::DueRequest due;

  v1::SetPasswordRequest password;
  password.set_name("kim");
  password.set_old_password(kPassword);
  password.set_new_password("a brand new password 2");
  REQUIRE(api.Post("SetPassword", password, kim).http_status == 200);
  CHECK(api.Post("Due", due, kim).http_status == 401);
  CHECK(api.Post("Due", due, api.Login("kim", "a brand new password 2")).http_status == 200);

  v1::SetUserActiveRequest deactivate;
  deactivate.set_name("lena");
  deactivate.set_active(false);
  REQUIRE(api.Post("SetUserActive", deactivate, admin).http_status == 200);
  CHECK(api.Post("Due", due, lena).http_status == 401);

  v1::SetUserRoleRequest role;
  role.set_name("bo");
  role.set_role(v1::ROLE_COORDINATOR);
  REQUIRE(api.Post("SetUserRole", role, admin).http_status == 200);
  CHECK(api.Post("Due", due, bo).http_status == 401);
  // The administrator's own session goes on.
  CHECK(api.Post("Due", due, admin).http_status == 403);  // an administrator has no due items
}

TEST_CASE("the server evaluates with its own instrument and refuses another", "[api]") {
  StoreFixture f;
  Api api(f);
  const std::string kim = api.Login("kim");
  auto dash = RealInstrument("dash");

  v1::CreateDraftRequest req;
  req.mutable_input()->set_unit("ifo_vuxen");
  req.mutable_input()->set_case_ref("A-1");
  req.mutable_input()->set_lang("sv");
  req.mutable_session()->set_instrument_id(dash->id());
  req.mutable_session()->set_instrument_version(dash->version());
  req.mutable_session()->set_logic_sha256(std::string(64, '0'));
  Answer other_logic = api.Post("CreateDraft", req, kim);
  CHECK(other_logic.http_status == 412);
  CHECK_THAT(ErrorOf(other_logic).message(), Catch::Contains("logic differs"));

  req.mutable_session()->set_logic_sha256(dash->logic_sha256());
  req.mutable_session()->set_instrument_version("99.0.0");
  Answer unknown_version = api.Post("CreateDraft", req, kim);
  CHECK(unknown_version.http_status == 412);
  CHECK_THAT(ErrorOf(unknown_version).message(), Catch::Contains("not installed"));

  // No case yet (no intake): the store's own answer comes back through the API.
  req.mutable_session()->set_instrument_version(dash->version());
  Answer no_case = api.Post("CreateDraft", req, kim);
  CHECK(no_case.http_status == 404);
  CHECK(ErrorOf(no_case).code() == v1::ERROR_NOT_FOUND);
  CHECK(ErrorOf(no_case).message() == "no such case");
}

TEST_CASE("bad requests get a clear error and change nothing", "[api]") {
  StoreFixture f;
  Api api(f);
  const std::string kim = api.Login("kim");

  ApiRequest r;
  r.operation = "Due";
  r.content_type = "application/x-protobuf";
  r.authorization = "Bearer " + kim;
  r.body = "\xff\xff\xff garbage";
  ApiResponse garbage = api.service().Handle(r);
  CHECK(garbage.http_status == 400);
  v1::ApiError e;
  REQUIRE(e.ParseFromString(garbage.body));
  CHECK_THAT(e.message(), Catch::Contains("DueRequest"));

  r.operation = "DropTables";
  CHECK(api.service().Handle(r).http_status == 404);

  // JSON in, JSON out (protobuf's canonical mapping); an unknown field is refused.
  ApiRequest json;
  json.operation = "Login";
  json.content_type = "application/json";
  json.body = std::string(R"({"user":"kim","password":")") + kPassword + R"("})";
  json.accept = "*/*";  // what curl sends: the answer comes in the request's form
  ApiResponse logged_in = api.service().Handle(json);
  CHECK(logged_in.http_status == 200);
  CHECK(logged_in.content_type == "application/json");
  CHECK_THAT(logged_in.body, Catch::Contains("\"token\""));
  json.body = std::string(R"({"user":"kim","password":")") + kPassword + R"(","result":"high"})";
  CHECK(api.service().Handle(json).http_status == 400);

  // An unspecified role is not a role.
  const std::string admin = api.Login("ada");
  v1::AddUserRequest add;
  add.set_name("nisse");
  add.add_units("ifo_vuxen");
  add.set_password("a password of his own 1");
  Answer no_role = api.Post("AddUser", add, admin);
  CHECK(no_role.http_status == 400);
  CHECK_THAT(ErrorOf(no_role).message(), Catch::Contains("role"));
  v1::UsersResponse users;
  REQUIRE(users.ParseFromString(api.Post("Users", v1::UsersRequest(), admin).body));
  for (const auto& u : users.users()) CHECK(u.name() != "nisse");
}

TEST_CASE("the instruments a client builds its forms from are the server's", "[api]") {
  StoreFixture f(kMarch14, false);
  Api api(f);
  Answer a = api.Post("GetInstruments", v1::GetInstrumentsRequest());
  REQUIRE(a.http_status == 200);
  v1::GetInstrumentsResponse files;
  REQUIRE(files.ParseFromString(a.body));
  std::set<std::string> names;
  for (const auto& file : files.files()) {
    names.insert(file.name());
    CHECK(file.sha256().size() == 64);
  }
  CHECK(names.count("vocabulary.textproto") == 1);
  CHECK(names.count("dash.textproto") == 1);
}

}  // namespace screening::test

namespace screening::test {

// Every field set to something that is not its default survives ToApi and FromApi: a field
// added to a struct and forgotten in one direction fails here.
TEST_CASE("the API's messages carry every field of the store's records", "[api]") {
  AssessmentRecord r;
  r.id = 7;
  r.chain_id = 3;
  r.version = 2;
  r.amends_id = 3;
  r.amend_reason = "rättelse";
  r.status = AssessmentStatus::kReturned;
  r.unit = "ifo_vuxen";
  r.case_ref = "A-1";
  r.subject_id = 11;
  r.contact_id = 12;
  r.author = "kim";
  r.instrument_id = "dash";
  r.instrument_version = "1.2.0";
  r.logic_sha256 = std::string(64, 'a');
  r.text_sha256 = std::string(64, 'b');
  r.engine_version = "0.1.0";
  r.lang = "en";
  (*r.answers.mutable_answers())["q1"].set_code("yes");
  r.result = v1::Result();
  r.result->set_band("high");
  r.created_utc = "2025-03-14T10:00:00Z";
  r.updated_utc = "2025-03-14T10:01:00Z";
  r.submitted_utc = "2025-03-14T10:02:00Z";
  r.approved_utc = "2025-03-14T10:03:00Z";
  r.logic_pinned = false;
  r.review_comment = "komplettera";
  r.owner = "lena";
  r.contributors = {{"kim", "author"}, {"sara", "reassigner"}};
  v1::AssessmentRecordMessage m;
  internal::ToApi(r, &m);
  const AssessmentRecord back = RequireOk(internal::FromApi(m));
  CHECK(back.id == r.id);
  CHECK(back.chain_id == r.chain_id);
  CHECK(back.version == r.version);
  CHECK(back.amends_id == r.amends_id);
  CHECK(back.amend_reason == r.amend_reason);
  CHECK(back.status == r.status);
  CHECK(back.unit == r.unit);
  CHECK(back.case_ref == r.case_ref);
  CHECK(back.subject_id == r.subject_id);
  CHECK(back.contact_id == r.contact_id);
  CHECK(back.author == r.author);
  CHECK(back.instrument_id == r.instrument_id);
  CHECK(back.instrument_version == r.instrument_version);
  CHECK(back.logic_sha256 == r.logic_sha256);
  CHECK(back.text_sha256 == r.text_sha256);
  CHECK(back.engine_version == r.engine_version);
  CHECK(back.lang == r.lang);
  CHECK(back.answers.SerializeAsString() == r.answers.SerializeAsString());
  REQUIRE(back.result.has_value());
  CHECK(back.result->band() == "high");
  CHECK(back.created_utc == r.created_utc);
  CHECK(back.updated_utc == r.updated_utc);
  CHECK(back.submitted_utc == r.submitted_utc);
  CHECK(back.approved_utc == r.approved_utc);
  CHECK(back.logic_pinned == r.logic_pinned);
  CHECK(back.review_comment == r.review_comment);
  CHECK(back.owner == r.owner);
  REQUIRE(back.contributors.size() == 2);
  CHECK(back.contributors[1].user == "sara");
  CHECK(back.contributors[1].part == "reassigner");

  // A draft has no result, and an absent id stays absent.
  AssessmentRecord draft;
  v1::AssessmentRecordMessage dm;
  internal::ToApi(draft, &dm);
  const AssessmentRecord draft_back = RequireOk(internal::FromApi(dm));
  CHECK_FALSE(draft_back.result.has_value());
  CHECK_FALSE(draft_back.subject_id.has_value());
  CHECK_FALSE(draft_back.amends_id.has_value());

  // Every role and status, and the refusal of an unspecified one.
  for (Role role : kRoles) CHECK(RequireOk(internal::FromApi(internal::ToApi(role))) == role);
  for (AssessmentStatus s : kAssessmentStatuses) {
    CHECK(RequireOk(internal::FromApi(internal::ToApi(s))) == s);
  }
  CHECK(internal::FromApi(v1::ROLE_UNSPECIFIED).status().code() == StatusCode::kInvalidArgument);
  CHECK(internal::FromApi(v1::STATUS_UNSPECIFIED).status().code() == StatusCode::kInvalidArgument);
  ListFilter all;
  v1::ListRequest lm;
  internal::ToApi(all, &lm);
  CHECK_FALSE(RequireOk(internal::FromApi(lm)).status.has_value());

  // A failure keeps its code and words.
  for (const Status& st :
       {Status::InvalidArgument("a"), Status::NotFound("no such case"), Status::AlreadyExists("c"),
        Status::PermissionDenied("d"), Status::FailedPrecondition("e"), Status::Busy("f"),
        Status::IoError("g"), Status::Corruption("h"), Status::Internal("i")}) {
    const Status back_status = internal::FromApi(internal::ToApi(st));
    CHECK(back_status.code() == st.code());
    CHECK(back_status.message() == st.message());
  }
}

TEST_CASE("an indicator report crosses the API cell for cell", "[api]") {
  StoreFixture f;
  IndicatorRequest request;
  request.period = RequireOk(YearPeriod("2025"));
  const IndicatorReport report = RequireOk(f.s().Indicators(f.olle, request));
  REQUIRE_FALSE(report.tables.empty());
  v1::IndicatorReportMessage m;
  internal::ToApi(report, &m);
  const IndicatorReport back = RequireOk(internal::FromApi(m));
  CHECK(back.definitions_id == report.definitions_id);
  CHECK(back.definitions_version == report.definitions_version);
  CHECK(back.title.sv == report.title.sv);
  CHECK(back.period.label == report.period.label);
  CHECK(back.units == report.units);
  CHECK(back.cutoff_utc == report.cutoff_utc);
  CHECK(back.generated_utc == report.generated_utc);
  CHECK(back.threshold == report.threshold);
  CHECK(back.suppressed == report.suppressed);
  REQUIRE(back.tables.size() == report.tables.size());
  for (std::size_t t = 0; t < report.tables.size(); ++t) {
    const auto& a = report.tables[t];
    const auto& b = back.tables[t];
    INFO(a.id);
    CHECK(b.id == a.id);
    CHECK(b.description.en == a.description.en);
    CHECK(b.chart_column == a.chart_column);
    REQUIRE(b.rows.size() == a.rows.size());
    REQUIRE(b.columns.size() == a.columns.size());
    for (std::size_t r = 0; r < a.rows.size(); ++r) {
      CHECK(b.rows[r].id == a.rows[r].id);
      CHECK(b.rows[r].total == a.rows[r].total);
      for (std::size_t c = 0; c < a.columns.size(); ++c) {
        CHECK(b.cells[r][c].kind == a.cells[r][c].kind);
        CHECK(b.cells[r][c].count == a.cells[r][c].count);
        CHECK(b.cells[r][c].suppression == a.cells[r][c].suppression);
      }
    }
  }
  CHECK(back.sums.size() == report.sums.size());
  CHECK(back.ratios.size() == report.ratios.size());
  // Cells that do not match their axes are refused, not read out of bounds.
  m.mutable_tables(0)->mutable_cells()->RemoveLast();
  CHECK(internal::FromApi(m).status().code() == StatusCode::kInvalidArgument);
}

}  // namespace screening::test
