#include "admin_pages.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <screening/dates.h>

#include "app_state.h"
#include "i18n.h"
#include "ui_util.h"

namespace screening::desktop {
namespace {

QString UnitName(const AppState& state, const std::string& unit) {
  return Q(state.registry().vocabulary()->Label("units", unit, Language()));
}

// `role`: a role's id ("caseworker", as a pending change names it).
QString RoleName(const AppState& state, std::string_view role) {
  return Q(state.registry().vocabulary()->Label("user_roles", role, Language()));
}
QString RoleName(const AppState& state, Role role) { return RoleName(state, RoleId(role)); }

QComboBox* RoleCombo(const AppState& state, const QString& name) {
  auto* combo = Named(new QComboBox, name);
  // The data is the role's id: what an accessibility tool and a test find it by.
  for (Role role : kRoles) combo->addItem(RoleName(state, role), Q(RoleId(role)));
  return combo;
}

// Every unit of the vocabulary (the administrator places accounts in any of them).
QComboBox* AllUnitsCombo(const AppState& state, const QString& name) {
  auto* combo = Named(new QComboBox, name);
  if (const v1::TermList* units = state.registry().vocabulary()->List("units")) {
    for (const auto& term : units->terms())
      combo->addItem(UnitName(state, term.id()), Q(term.id()));
  }
  return combo;
}

QLineEdit* PasswordField(const QString& name) {
  auto* field = Named(new QLineEdit, name);
  field->setEchoMode(QLineEdit::Password);
  return field;
}

QPushButton* Button(const QString& text, const QString& name, const char* object) {
  auto* button = Named(new QPushButton(text), name);
  button->setObjectName(QString::fromLatin1(object));
  button->setAutoDefault(false);
  return button;
}

// What on the account waits for a second person, as words ("" when nothing does).
QString Waiting(const AppState& state, const UserRecord& u) {
  QStringList what;
  if (u.awaiting_confirmation) what << L("kontot", "the account");
  for (const std::string& p : u.pending) {
    const auto colon = p.find(':');
    const std::string kind = p.substr(0, colon);
    const std::string value = p.substr(colon + 1);
    what << (kind == "role" ? L("rollen ", "the role ") + RoleName(state, value)
                            : L("enheten ", "the unit ") + UnitName(state, value));
  }
  return what.join(QStringLiteral(", "));
}

QString StateText(const AppState& state, const UserRecord& u) {
  QStringList parts;
  parts << (u.active ? L("aktivt", "active") : L("avstängt", "deactivated"));
  if (u.locked) parts << L("låst", "locked");
  if (u.must_change_password) parts << L("engångslösenord", "one-time password");
  if (const QString what = Waiting(state, u); !what.isEmpty()) {
    parts << L("väntar på bekräftelse: ", "waits for confirmation: ") + what +
                 L(" (begärt av ", " (asked by ") + Q(u.requested_by) + QStringLiteral(")");
  }
  if (!u.bootstrap_utc.empty()) {
    parts << L("enhetens första arbetsledare (utan andra person)",
               "the unit's first supervisor (without a second person)");
  }
  return parts.join(QStringLiteral(", "));
}

}  // namespace

// ------------------------------------------------------------------ accounts

AccountsPage::AccountsPage(AppState* state, QWidget* parent) : Page(state, parent) {
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Konton", "Accounts"), 1));
  v->addWidget(Paragraph(
      L("Ändringar gäller från användarens nästa steg och loggas. En arbetsledare eller "
        "administratör, och en enhet som läggs till en arbetsledare, gäller först när en andra "
        "person bekräftar (en annan administratör, eller en arbetsledare i enheten). Ett "
        "lösenord du sätter gäller en inloggning: användaren väljer sedan ett eget.",
        "Changes hold from the user's next step and are logged. A supervisor or administrator, "
        "and a unit added to a supervisor, hold only when a second person confirms (another "
        "administrator, or a supervisor of the unit). A password you set is for one login: the "
        "user then chooses their own.")));
  pins_ = new MessageLabel(L("Instrumentversioner", "Instrument versions"));
  pins_->setObjectName(QStringLiteral("accounts_pins"));
  v->addWidget(pins_);
  table_ = ListTable(L("Konton", "Accounts"), {L("Namn", "Name"), L("Roll", "Role"),
                                               L("Enheter", "Units"), L("Status", "State")});
  table_->setObjectName(QStringLiteral("accounts_table"));
  v->addWidget(table_, 1);

  // The selected account.
  auto* selected = new QGroupBox(L("Markerat konto", "Selected account"));
  auto* sv = new QVBoxLayout(selected);
  auto* row1 = new QHBoxLayout;
  auto* deactivate =
      Button(L("Stäng &av", "&Deactivate"), L("Stäng av", "Deactivate"), "accounts_deactivate");
  auto* reactivate = Button(L("Aktivera &igen", "&Reactivate"), L("Aktivera igen", "Reactivate"),
                            "accounts_reactivate");
  auto* confirm = Button(L("&Bekräfta (andra person)", "&Confirm (second person)"),
                         L("Bekräfta", "Confirm"), "accounts_confirm");
  row1->addWidget(deactivate);
  row1->addWidget(reactivate);
  row1->addWidget(confirm);
  row1->addStretch(1);
  sv->addLayout(row1);
  auto* row2 = new QHBoxLayout;
  role_ = RoleCombo(*state_, L("Ny roll", "New role"));
  role_->setObjectName(QStringLiteral("accounts_role"));
  auto* change_role =
      Button(L("Byt &roll", "Change &role"), L("Byt roll", "Change role"), "accounts_change_role");
  unit_ = AllUnitsCombo(*state_, L("Enhet", "Unit"));
  unit_->setObjectName(QStringLiteral("accounts_unit"));
  auto* add_unit = Button(L("Lägg till &enhet", "Add &unit"), L("Lägg till enhet", "Add unit"),
                          "accounts_add_unit");
  auto* remove_unit = Button(L("Ta &bort enhet", "Re&move unit"), L("Ta bort enhet", "Remove unit"),
                             "accounts_remove_unit");
  row2->addWidget(role_);
  row2->addWidget(change_role);
  row2->addSpacing(16);
  row2->addWidget(unit_);
  row2->addWidget(add_unit);
  row2->addWidget(remove_unit);
  row2->addStretch(1);
  sv->addLayout(row2);
  auto* row3 = new QHBoxLayout;
  one_time_password_ = PasswordField(L("Engångslösenord", "One-time password"));
  one_time_password_->setObjectName(QStringLiteral("accounts_one_time_password"));
  auto* set_password =
      Button(L("Sätt &engångslösenord", "Set &one-time password"),
             L("Sätt engångslösenord", "Set one-time password"), "accounts_set_password");
  row3->addWidget(one_time_password_);
  row3->addWidget(set_password);
  row3->addStretch(1);
  sv->addLayout(row3);
  v->addWidget(selected);

  // A new account.
  auto* add = new QGroupBox(L("Nytt konto", "New account"));
  auto* form = new QFormLayout(add);
  new_name_ = Named(new QLineEdit, L("Användarnamn", "User name"));
  new_name_->setObjectName(QStringLiteral("accounts_new_name"));
  new_role_ = RoleCombo(*state_, L("Roll", "Role"));
  new_role_->setObjectName(QStringLiteral("accounts_new_role"));
  new_unit_ = AllUnitsCombo(*state_, L("Enhet", "Unit"));
  new_unit_->insertItem(0, L("(ingen)", "(none)"), QString());
  new_unit_->setCurrentIndex(0);
  new_unit_->setObjectName(QStringLiteral("accounts_new_unit"));
  new_password_ = PasswordField(L("Engångslösenord", "One-time password"));
  new_password_->setObjectName(QStringLiteral("accounts_new_password"));
  form->addRow(L("A&nvändarnamn:", "User &name:"), new_name_);
  form->addRow(L("R&oll:", "Ro&le:"), new_role_);
  form->addRow(L("E&nhet:", "U&nit:"), new_unit_);
  form->addRow(L("Engångs&lösenord:", "One-time &password:"), new_password_);
  auto* create = Button(L("Lägg &till kontot", "Add the &account"),
                        L("Lägg till kontot", "Add the account"), "accounts_add");
  form->addRow(QString(), create);
  v->addWidget(add);

  auto* pin = Button(
      L("&Godkänn installerade instrumentversioner", "Accept the installed instrument &versions"),
      L("Godkänn installerade instrumentversioner", "Accept the installed instrument versions"),
      "accounts_pin");
  v->addWidget(pin, 0, Qt::AlignLeft);
  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("accounts_message"));
  v->addWidget(message_);

  connect(deactivate, &QPushButton::clicked, this, [this]() { SetActive(false); });
  connect(reactivate, &QPushButton::clicked, this, [this]() { SetActive(true); });
  connect(confirm, &QPushButton::clicked, this, &AccountsPage::Confirm);
  connect(change_role, &QPushButton::clicked, this, &AccountsPage::ChangeRole);
  connect(add_unit, &QPushButton::clicked, this, [this]() { ChangeUnit(true); });
  connect(remove_unit, &QPushButton::clicked, this, [this]() { ChangeUnit(false); });
  connect(set_password, &QPushButton::clicked, this, &AccountsPage::SetOneTimePassword);
  connect(create, &QPushButton::clicked, this, &AccountsPage::AddAccount);
  connect(pin, &QPushButton::clicked, this, &AccountsPage::PinInstruments);
  Reload();
}

QString AccountsPage::Title() const { return L("Konton", "Accounts"); }

void AccountsPage::Reload() {
  const QString keep = table_->currentRow() >= 0 && table_->item(table_->currentRow(), 0)
                           ? table_->item(table_->currentRow(), 0)->text()
                           : QString();
  auto users = state_->store().Users(state_->actor());
  if (!users.ok()) {
    users_.clear();
    table_->setRowCount(0);
    message_->ShowError(
        Describe(L("Kontona kunde inte visas", "The accounts could not be shown"), users.status()));
    return;
  }
  users_ = std::move(*users);
  table_->setRowCount(static_cast<int>(users_.size()));
  for (std::size_t i = 0; i < users_.size(); ++i) {
    const UserRecord& u = users_[i];
    QStringList units;
    for (const auto& unit : u.units) units << UnitName(*state_, unit);
    const QStringList cells = {Q(u.name), RoleName(*state_, u.role),
                               units.join(QStringLiteral(", ")), StateText(*state_, u)};
    SetRowTexts(table_, static_cast<int>(i), cells);
  }
  if (!keep.isEmpty()) Select(S(keep));
  // Installed instrument versions the database does not accept yet.
  auto unpinned = state_->store().UnpinnedInstruments(state_->actor());
  if (unpinned.ok() && !unpinned->empty()) {
    QStringList list;
    for (const auto& p : *unpinned) list << Q(p.instrument_id + " " + p.version);
    pins_->ShowError(L("Inte godkända i databasen: ", "Not accepted by the database: ") +
                     list.join(QStringLiteral(", ")) +
                     L(". Bedömningar på dem kan inte skickas in förrän de godkänns.",
                       ". Assessments on them cannot be submitted until they are accepted."));
  } else {
    pins_->Clear();
  }
}

bool AccountsPage::Select(const std::string& name) {
  for (std::size_t i = 0; i < users_.size(); ++i) {
    if (users_[i].name == name) {
      table_->selectRow(static_cast<int>(i));
      table_->setCurrentCell(static_cast<int>(i), 0);
      return true;
    }
  }
  return false;
}

std::string AccountsPage::Selected() {
  const int row = table_->currentRow();
  if (row < 0 || row >= static_cast<int>(users_.size())) {
    message_->ShowError(
        L("Markera ett konto i listan först.", "Select an account in the list first."));
    return {};
  }
  return users_[static_cast<std::size_t>(row)].name;
}

void AccountsPage::Report(const QString& what, const Status& status, const QString& done) {
  if (!status.ok()) {
    message_->ShowError(Describe(what, status));
    return;
  }
  Reload();
  message_->ShowInfo(done);
}

void AccountsPage::AddAccount() {
  const std::string name = S(new_name_->text().trimmed());
  std::string password = S(new_password_->text());
  new_password_->clear();
  const Role role = RoleFromId(S(new_role_->currentData().toString())).value_or(Role::kCaseworker);
  const std::string unit = S(new_unit_->currentData().toString());
  std::vector<std::string> units;
  if (!unit.empty()) units.push_back(unit);
  Status st = state_->store().AddUser(state_->actor(), name, role, units, password);
  WipeSecret(&password);
  Report(L("Kontot kunde inte läggas till", "The account could not be added"), st,
         Q(name) + L(" är tillagt. Lösenordet gäller en inloggning.",
                     " is added. The password is for one login."));
  if (st.ok()) {
    new_name_->clear();
    Select(name);
  }
}

void AccountsPage::SetActive(bool active) {
  const std::string name = Selected();
  if (name.empty()) return;
  Report(active ? L("Kontot kunde inte aktiveras", "The account could not be reactivated")
                : L("Kontot kunde inte stängas av", "The account could not be deactivated"),
         state_->store().SetUserActive(state_->actor(), name, active),
         Q(name) + (active ? L(" är aktivt igen.", " is active again.")
                           : L(" är avstängt.", " is deactivated.")));
}

void AccountsPage::ChangeRole() {
  const std::string name = Selected();
  if (name.empty()) return;
  const Role role = RoleFromId(S(role_->currentData().toString())).value_or(Role::kCaseworker);
  Report(L("Rollen kunde inte bytas", "The role could not be changed"),
         state_->store().SetUserRole(state_->actor(), name, role),
         L("Rollbytet är registrerat för ", "The role change is recorded for ") + Q(name) +
             L(" (se status: väntar det på bekräftelse gäller det först då).",
               " (see the state: if it waits for confirmation, it holds only then)."));
}

void AccountsPage::ChangeUnit(bool member) {
  const std::string name = Selected();
  if (name.empty()) return;
  const std::string unit = S(unit_->currentData().toString());
  Report(L("Enheterna kunde inte ändras", "The units could not be changed"),
         state_->store().SetUserUnit(state_->actor(), name, unit, member),
         (member ? L("Enheten är registrerad för ", "The unit is recorded for ")
                 : L("Enheten är borttagen för ", "The unit is removed for ")) +
             Q(name) + QStringLiteral("."));
}

void AccountsPage::Confirm() {
  const std::string name = Selected();
  if (name.empty()) return;
  Report(L("Kunde inte bekräfta", "Could not confirm"),
         state_->store().ConfirmUser(state_->actor(), name),
         L("Bekräftat: det som väntade på ", "Confirmed: what waited on ") + Q(name) +
             L(" gäller nu.", " holds now."));
}

void AccountsPage::SetOneTimePassword() {
  const std::string name = Selected();
  std::string password = S(one_time_password_->text());
  one_time_password_->clear();
  if (name.empty()) {
    WipeSecret(&password);
    return;
  }
  Status st = state_->store().SetPassword(state_->actor(), name, "", password);
  WipeSecret(&password);
  Report(L("Lösenordet kunde inte sättas", "The password could not be set"), st,
         L("Engångslösenordet är satt för ", "The one-time password is set for ") + Q(name) +
             L(": hen väljer ett eget vid nästa inloggning.",
               ": they choose their own at the next login."));
}

void AccountsPage::PinInstruments() {
  auto pinned = state_->store().PinInstruments(state_->actor());
  if (!pinned.ok()) {
    message_->ShowError(Describe(L("Instrumentversionerna kunde inte godkännas",
                                   "The instrument versions could not be accepted"),
                                 pinned.status()));
    return;
  }
  Reload();
  QStringList list;
  for (const auto& p : *pinned) list << Q(p.instrument_id + " " + p.version);
  message_->ShowInfo(list.isEmpty()
                         ? L("Alla installerade versioner var redan godkända.",
                             "Every installed version was accepted already.")
                         : L("Godkända: ", "Accepted: ") + list.join(QStringLiteral(", ")));
}

// ------------------------------------------------------------------ grants

GrantsPage::GrantsPage(AppState* state, QWidget* parent) : Page(state, parent) {
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Tillgång till skyddade ärenden", "Access to protected cases"), 1));
  v->addWidget(Paragraph(
      L("En arbetsledare i enheten ger en kollega tillgång till ett ärende med skyddade "
        "personuppgifter, till och med ett slutdatum eller tills den återkallas, och tar bort "
        "den. Skälet krävs och loggas. Ingen ger sig själv tillgång.",
        "A supervisor of the unit gives a colleague access to a case with protected personal "
        "data, up to and including an end date or until it is revoked, and removes it. The "
        "reason is required and logged. Nobody grants themselves access.")));
  auto* form = new QFormLayout;
  unit_ = Named(new QComboBox, L("Enhet", "Unit"));
  for (const std::string& unit : state_->actor().units)
    unit_->addItem(UnitName(*state_, unit), Q(unit));
  unit_->setObjectName(QStringLiteral("grants_unit"));
  case_ref_ = Named(new QLineEdit, L("Ärendereferens", "Case reference"));
  case_ref_->setObjectName(QStringLiteral("grants_case_ref"));
  user_ = Named(new QLineEdit, L("Användare", "User"));
  user_->setObjectName(QStringLiteral("grants_user"));
  reason_ = Named(new QLineEdit, L("Skäl", "Reason"));
  reason_->setObjectName(QStringLiteral("grants_reason"));
  has_end_ = Named(new QCheckBox(L("Till och med:", "Up to and including:")),
                   L("Tillgången har ett slutdatum", "The access has an end date"));
  has_end_->setObjectName(QStringLiteral("grants_has_end"));
  const QDate today = QDate::fromString(Q(SwedishToday()), Qt::ISODate);
  until_ = Named(new QDateEdit(today.addDays(30)), L("Slutdatum", "End date"));
  until_->setObjectName(QStringLiteral("grants_until"));
  until_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
  until_->setCalendarPopup(true);
  until_->setMinimumDate(today);
  until_->setEnabled(false);
  connect(has_end_, &QCheckBox::toggled, until_, &QDateEdit::setEnabled);
  auto* end = new QHBoxLayout;
  end->addWidget(has_end_);
  end->addWidget(until_);
  end->addStretch(1);
  form->addRow(L("&Enhet:", "&Unit:"), unit_);
  form->addRow(L("Ä&rendereferens:", "Case &reference:"), case_ref_);
  form->addRow(L("&Användare:", "U&ser:"), user_);
  form->addRow(L("&Skäl:", "Rea&son:"), reason_);
  form->addRow(QString(), end);
  v->addLayout(form);
  auto* buttons = new QHBoxLayout;
  auto* grant =
      Button(L("&Ge tillgång", "&Grant access"), L("Ge tillgång", "Grant access"), "grants_grant");
  auto* revoke = Button(L("Å&terkalla tillgång", "Re&voke access"),
                        L("Återkalla tillgång", "Revoke access"), "grants_revoke");
  buttons->addWidget(grant);
  buttons->addWidget(revoke);
  buttons->addStretch(1);
  v->addLayout(buttons);
  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("grants_message"));
  v->addWidget(message_);
  v->addStretch(1);
  connect(grant, &QPushButton::clicked, this, &GrantsPage::GrantAccess);
  connect(revoke, &QPushButton::clicked, this, &GrantsPage::RevokeAccess);
}

QString GrantsPage::Title() const {
  return L("Tillgång till skyddade ärenden", "Access to protected cases");
}

void GrantsPage::GrantAccess() {
  const std::string until =
      has_end_->isChecked() ? S(until_->date().toString(Qt::ISODate)) : std::string();
  const std::string user = S(user_->text().trimmed());
  Status st = state_->store().Grant(state_->actor(), S(unit_->currentData().toString()),
                                    S(case_ref_->text().trimmed()), user,
                                    S(reason_->text().trimmed()), until);
  if (!st.ok()) {
    message_->ShowError(
        Describe(L("Tillgången kunde inte ges", "The access could not be granted"), st));
    return;
  }
  reason_->clear();
  message_->ShowInfo(
      Q(user) + (until.empty()
                     ? L(" har tillgång tills den återkallas.", " has access until it is revoked.")
                     : L(" har tillgång till och med ", " has access up to and including ") +
                           Q(until) + QStringLiteral(".")));
}

void GrantsPage::RevokeAccess() {
  const std::string user = S(user_->text().trimmed());
  Status st = state_->store().RevokeGrant(state_->actor(), S(unit_->currentData().toString()),
                                          S(case_ref_->text().trimmed()), user,
                                          S(reason_->text().trimmed()));
  if (!st.ok()) {
    message_->ShowError(
        Describe(L("Tillgången kunde inte återkallas", "The access could not be revoked"), st));
    return;
  }
  reason_->clear();
  message_->ShowInfo(
      Q(user) + L(" har inte längre tillgång till ärendet.", " no longer has access to the case."));
}

}  // namespace screening::desktop
