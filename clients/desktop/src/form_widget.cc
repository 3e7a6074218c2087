#include "form_widget.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "i18n.h"
#include "labels.h"
#include "ui_util.h"

namespace screening::desktop {
namespace {

const v1::AnswerValue* Find(const google::protobuf::Map<std::string, v1::AnswerValue>& answers,
                            const std::string& id) {
  auto it = answers.find(id);
  return it == answers.end() ? nullptr : &it->second;
}

// The codes a single-choice-like control offers, as answer values.
struct Choice {
  std::string code;  // shown and compared
  v1::AnswerValue value;
};

std::vector<Choice> ChoicesFor(const ItemInfo& info) {
  std::vector<Choice> out;
  const v1::Item& item = *info.def;
  if (item.type() == v1::PROTECTIVE) {
    for (int i = 0; i <= 2; ++i) {
      Choice c;
      c.code = std::to_string(i);
      c.value.set_integer(i);
      out.push_back(std::move(c));
    }
    if (!item.no_unknown()) {
      Choice c;
      c.code = "unknown";
      c.value.set_code("unknown");
      out.push_back(std::move(c));
    }
    return out;
  }
  for (const std::string& code : AcceptedCodes(info)) {
    Choice c;
    c.code = code;
    c.value.set_code(code);
    out.push_back(std::move(c));
  }
  return out;
}

std::string CurrentCode(const v1::Item& item, const v1::AnswerValue* value) {
  if (value == nullptr) return "";
  if (item.type() == v1::PROTECTIVE && value->value_case() == v1::AnswerValue::kInteger) {
    return std::to_string(value->integer());
  }
  return value->value_case() == v1::AnswerValue::kCode ? value->code() : "";
}

QLabel* SmallHelp(const QString& text) {
  QLabel* help = Paragraph(text);
  help->setStyleSheet(QStringLiteral("color: #444444;"));
  return help;
}

}  // namespace

FormWidget::FormWidget(Session* session, bool read_only, QWidget* parent)
    : QWidget(parent), session_(session), read_only_(read_only) {
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  const auto& items = instrument.items();
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(
      SmallHelp(L("Frågor markerade med * är obligatoriska.", "Questions marked * are required.")));
  for (int s = 0; s < instrument.definition().sections_size(); ++s) {
    const v1::Section& section = instrument.definition().sections(s);
    auto* box = new QGroupBox(Q(TextIn(section.title(), lang)), this);
    box->setAccessibleName(Q(TextIn(section.title(), lang)));
    box->setObjectName(Q("section_" + section.id()));
    auto* v = new QVBoxLayout(box);
    if (const std::string& intro = TextIn(section.intro(), lang); !intro.empty()) {
      QLabel* label = Paragraph(Q(intro));
      label->setStyleSheet(QStringLiteral("font-style: italic;"));
      v->addWidget(label);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ItemInfo& info = items[i];
      if (info.section != s || info.group >= 0) continue;
      const std::string& id = info.def->id();
      Row row;
      row.index = static_cast<int>(i);
      row.section = s;
      row.message = new MessageLabel(L("Meddelande för frågan", "Message for the question"));
      if (info.def->type() == v1::GROUP) {
        row.container = BuildGroup(info, row.message, &row.focus);
      } else {
        Setter set = [this, id](const v1::AnswerValue* value) {
          return value == nullptr ? session_->Clear(id) : session_->Set(id, *value);
        };
        auto set_note = [this, id](const std::string& note) { return session_->SetNote(id, note); };
        const auto& notes = session_->answers().notes();
        auto note_it = notes.find(id);
        row.container = BuildItem(info, Find(session_->answers().answers(), id), set, set_note,
                                  note_it == notes.end() ? nullptr : &note_it->second, row.message,
                                  &row.focus, true);
      }
      row.container->setObjectName(Q("item_" + id));
      v->addWidget(row.container);
      rows_.push_back(row);
    }
    layout->addWidget(box);
    section_boxes_.push_back(box);
  }
  layout->addStretch(1);
  UpdateVisibility();
}

QWidget* FormWidget::BuildItem(const ItemInfo& info, const v1::AnswerValue* current,
                               const Setter& set,
                               const std::function<Status(const std::string&)>& set_note,
                               const std::string* note, MessageLabel* message, QWidget** focus,
                               bool can_clear) {
  const v1::Item& item = *info.def;
  const std::string& lang = Language();
  auto* box = new QFrame;
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 6, 0, 6);
  ItemControl control{info,      current,      Q(TextIn(item.text(), lang)),
                      QString(), Q(item.id()), nullptr,
                      message,   focus,        can_clear};
  control.name =
      control.question + (item.required() ? L(" (obligatorisk)", " (required)") : QString());
  control.apply = [this, &item, set, message](const v1::AnswerValue* value) {
    Apply(item, set, value, message);
  };
  AddQuestion(v, item, control.question);
  if (QWidget* answer = BuildAnswer(control); answer != nullptr) v->addWidget(answer);
  if (QWidget* note_edit = BuildNote(control, set_note, note); note_edit != nullptr) {
    v->addWidget(note_edit);
  }
  v->addWidget(message);
  box->setAccessibleName(control.name);
  return box;
}

void FormWidget::AddQuestion(QVBoxLayout* v, const v1::Item& item, const QString& question) {
  auto* label = new QLabel(question + (item.required() ? QStringLiteral(" *") : QString()));
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  QFont bold = label->font();
  bold.setBold(true);
  label->setFont(bold);
  v->addWidget(label);
  if (const std::string& help = TextIn(item.help(), Language()); !help.empty()) {
    v->addWidget(SmallHelp(Q(help)));
  }
}

QWidget* FormWidget::BuildAnswer(const ItemControl& control) {
  const v1::Item& item = *control.info.def;
  switch (item.type()) {
    case v1::YES_NO:
    case v1::SINGLE_CHOICE:
    case v1::PROTECTIVE:
    case v1::SPJ_FACTOR:
      if (item.type() == v1::SPJ_FACTOR && item.current_and_history()) {
        return BuildCurrentAndHistory(control);
      }
      return BuildChoice(control);
    case v1::MULTI_CHOICE:
      return BuildMultiChoice(control);
    case v1::INTEGER:
    case v1::DATE:
      return BuildNumberOrDate(control);
    case v1::TEXT:
      return BuildText(control);
    default:
      return nullptr;
  }
}

QWidget* FormWidget::BuildCurrentAndHistory(const ItemControl& control) {
  // Two codes; the answer is set once both are chosen.
  const v1::Item& item = *control.info.def;
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  const v1::AnswerValue* current = control.current;
  auto codes = AcceptedCodes(control.info);
  auto* grid = new QWidget;
  auto* g = new QVBoxLayout(grid);
  g->setContentsMargins(0, 0, 0, 0);
  auto* current_group = new QButtonGroup(grid);
  auto* history_group = new QButtonGroup(grid);
  const std::string cur =
      current != nullptr && current->has_spj() ? current->spj().current() : std::string();
  const std::string his =
      current != nullptr && current->has_spj() ? current->spj().history() : std::string();
  for (int part = 0; part < 2; ++part) {
    auto* line = new QHBoxLayout;
    const QString part_name = part == 0 ? L("Aktuellt", "Current") : L("Historiskt", "History");
    line->addWidget(new QLabel(part_name + QStringLiteral(":")));
    QButtonGroup* group = part == 0 ? current_group : history_group;
    for (std::size_t c = 0; c < codes.size(); ++c) {
      auto* radio = Named(new QRadioButton(Q(CodeLabel(instrument, item, codes[c], lang))),
                          control.name + QStringLiteral(" – ") + part_name + QStringLiteral(": ") +
                              Q(CodeLabel(instrument, item, codes[c], lang)));
      radio->setObjectName(control.object +
                           (part == 0 ? QStringLiteral(":current:") : QStringLiteral(":history:")) +
                           Q(codes[c]));
      radio->setChecked(codes[c] == (part == 0 ? cur : his));
      radio->setEnabled(!read_only_);
      group->addButton(radio, static_cast<int>(c));
      line->addWidget(radio);
      if (*control.focus == nullptr) *control.focus = radio;
    }
    line->addStretch(1);
    g->addLayout(line);
  }
  auto on_change = [codes, current_group, history_group, message = control.message,
                    apply = control.apply]() {
    if (current_group->checkedId() < 0 || history_group->checkedId() < 0) {
      message->ShowInfo(
          L("Välj både aktuellt och historiskt.", "Choose both current and history."));
      return;
    }
    v1::AnswerValue value;
    value.mutable_spj()->set_current(codes[static_cast<std::size_t>(current_group->checkedId())]);
    value.mutable_spj()->set_history(codes[static_cast<std::size_t>(history_group->checkedId())]);
    apply(&value);
  };
  connect(current_group, &QButtonGroup::idToggled, this, [on_change](int, bool checked) {
    if (checked) on_change();
  });
  connect(history_group, &QButtonGroup::idToggled, this, [on_change](int, bool checked) {
    if (checked) on_change();
  });
  return grid;
}

QWidget* FormWidget::BuildChoice(const ItemControl& control) {
  const v1::Item& item = *control.info.def;
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  std::vector<Choice> choices = ChoicesFor(control.info);
  const std::string chosen = CurrentCode(item, control.current);
  auto* options = new QWidget;
  QBoxLayout* o = choices.size() > 3 ? static_cast<QBoxLayout*>(new QVBoxLayout(options))
                                     : static_cast<QBoxLayout*>(new QHBoxLayout(options));
  o->setContentsMargins(0, 0, 0, 0);
  auto* group = new QButtonGroup(options);
  for (std::size_t c = 0; c < choices.size(); ++c) {
    const QString text = Q(CodeLabel(instrument, item, choices[c].code, lang));
    auto* radio = Named(new QRadioButton(text), control.name + QStringLiteral(": ") + text);
    radio->setObjectName(control.object + QStringLiteral(":") + Q(choices[c].code));
    radio->setChecked(choices[c].code == chosen);
    radio->setEnabled(!read_only_);
    group->addButton(radio, static_cast<int>(c));
    o->addWidget(radio);
    if (*control.focus == nullptr) *control.focus = radio;
  }
  if (control.can_clear && !read_only_) {
    auto* clear =
        Named(new QToolButton, L("Töm svaret på: ", "Clear the answer to: ") + control.question);
    clear->setText(L("Töm", "Clear"));
    clear->setObjectName(control.object + QStringLiteral(":clear"));
    o->addWidget(clear);
    connect(clear, &QToolButton::clicked, this, [group, apply = control.apply]() {
      QSignalBlocker block(group);
      group->setExclusive(false);
      for (QAbstractButton* b : group->buttons()) b->setChecked(false);
      group->setExclusive(true);
      apply(nullptr);
    });
  }
  if (choices.size() <= 3) o->addStretch(1);
  connect(group, &QButtonGroup::idToggled, this,
          [choices, apply = control.apply](int id, bool checked) {
            if (checked) apply(&choices[static_cast<std::size_t>(id)].value);
          });
  return options;
}

QWidget* FormWidget::BuildMultiChoice(const ItemControl& control) {
  const v1::Item& item = *control.info.def;
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  auto* options = new QWidget;
  auto* o = new QVBoxLayout(options);
  o->setContentsMargins(0, 0, 0, 0);
  std::vector<std::string> chosen;
  if (control.current != nullptr && control.current->has_codes()) {
    chosen.assign(control.current->codes().codes().begin(), control.current->codes().codes().end());
  }
  auto boxes = std::make_shared<std::vector<std::pair<std::string, QCheckBox*>>>();
  for (const std::string& code : control.info.codes) {
    const QString text = Q(CodeLabel(instrument, item, code, lang));
    auto* check = Named(new QCheckBox(text), control.name + QStringLiteral(": ") + text);
    check->setObjectName(control.object + QStringLiteral(":") + Q(code));
    check->setChecked(std::find(chosen.begin(), chosen.end(), code) != chosen.end());
    check->setEnabled(!read_only_);
    o->addWidget(check);
    boxes->emplace_back(code, check);
    if (*control.focus == nullptr) *control.focus = check;
  }
  for (const auto& [code, check] : *boxes) {
    connect(check, &QCheckBox::toggled, this,
            [boxes, apply = control.apply, can_clear = control.can_clear]() {
              v1::AnswerValue value;
              for (const auto& [c, b] : *boxes) {
                if (b->isChecked()) value.mutable_codes()->add_codes(c);
              }
              if (value.codes().codes_size() == 0 && can_clear) {
                apply(nullptr);
              } else {
                apply(&value);
              }
            });
  }
  return options;
}

QWidget* FormWidget::BuildNumberOrDate(const ItemControl& control) {
  const v1::Item& item = *control.info.def;
  const v1::AnswerValue* current = control.current;
  auto* edit = Named(new QLineEdit, control.name);
  edit->setObjectName(control.object);
  edit->setReadOnly(read_only_);
  const bool integer = item.type() == v1::INTEGER;
  edit->setPlaceholderText(integer ? QStringLiteral("%1–%2").arg(item.min()).arg(item.max())
                                   : L("ÅÅÅÅ-MM-DD", "YYYY-MM-DD"));
  edit->setMaximumWidth(integer ? 120 : 160);
  if (current != nullptr) {
    if (integer && current->value_case() == v1::AnswerValue::kInteger) {
      edit->setText(QString::number(current->integer()));
    } else if (!integer && current->value_case() == v1::AnswerValue::kDate) {
      edit->setText(Q(current->date()));
    }
  }
  connect(edit, &QLineEdit::editingFinished, this,
          [edit, integer, apply = control.apply, message = control.message, &item,
           can_clear = control.can_clear]() {
            const QString text = edit->text().trimmed();
            if (text.isEmpty()) {
              if (can_clear) apply(nullptr);
              return;
            }
            v1::AnswerValue value;
            if (integer) {
              bool ok = false;
              const qlonglong n = text.toLongLong(&ok);
              if (!ok) {
                message->ShowError(
                    Q(ItemMessage(item, Status::InvalidArgument("not a number"), Language())));
                return;
              }
              value.set_integer(n);
            } else {
              value.set_date(S(text));
            }
            apply(&value);
          });
  *control.focus = edit;
  return edit;
}

QWidget* FormWidget::BuildText(const ItemControl& control) {
  auto* edit = Named(new QPlainTextEdit, control.name);
  edit->setObjectName(control.object);
  edit->setReadOnly(read_only_);
  edit->setTabChangesFocus(true);
  edit->setMaximumHeight(90);
  if (control.current != nullptr && control.current->value_case() == v1::AnswerValue::kText) {
    edit->setPlainText(Q(control.current->text()));
  }
  connect(edit, &QPlainTextEdit::textChanged, this,
          [edit, apply = control.apply, can_clear = control.can_clear]() {
            const std::string text = S(edit->toPlainText());
            if (text.empty()) {
              if (can_clear) apply(nullptr);
              return;
            }
            v1::AnswerValue value;
            value.set_text(text);
            apply(&value);
          });
  *control.focus = edit;
  return edit;
}

QWidget* FormWidget::BuildNote(const ItemControl& control,
                               const std::function<Status(const std::string&)>& set_note,
                               const std::string* note) {
  const v1::Item& item = *control.info.def;
  const bool takes_note =
      item.allows_note() || std::any_of(item.options().begin(), item.options().end(),
                                        [](const v1::ChoiceOption& o) { return o.needs_note(); });
  if (!takes_note || !set_note) return nullptr;
  auto* note_edit = Named(new QLineEdit, L("Anteckning till: ", "Note on: ") + control.question);
  note_edit->setObjectName(control.object + QStringLiteral(":note"));
  note_edit->setPlaceholderText(
      L("Anteckning (kort, utan personuppgifter)", "Note (short, without personal details)"));
  note_edit->setReadOnly(read_only_);
  if (note != nullptr) note_edit->setText(Q(*note));
  connect(note_edit, &QLineEdit::textChanged, this,
          [this, set_note, message = control.message](const QString& text) {
            Status st = set_note(S(text));
            if (st.ok()) {
              message->Clear();
            } else {
              message->ShowError(
                  Q(T(Language(), "Anteckningen godtas inte: ", "The note is not accepted: ") +
                    st.message()));
            }
            Q_EMIT changed();
          });
  return note_edit;
}

QWidget* FormWidget::BuildGroup(const ItemInfo& info, MessageLabel* message, QWidget** focus) {
  const v1::Item& item = *info.def;
  const std::string& lang = Language();
  const std::string id = item.id();
  const int index = session_->instrument().ItemIndex(id);
  auto* box = new QFrame;
  box->setFrameShape(QFrame::StyledPanel);
  auto* v = new QVBoxLayout(box);
  const QString title = Q(TextIn(item.text(), lang));
  v->addWidget(Heading(title, 3));
  if (const std::string& help = TextIn(item.help(), lang); !help.empty()) {
    v->addWidget(SmallHelp(Q(help)));
  }
  auto* blocks = new QVBoxLayout;
  v->addLayout(blocks);
  group_layouts_.emplace_back(index, blocks);
  auto* add = Named(new QPushButton(L("Lägg till", "Add") + QStringLiteral(": ") + title),
                    L("Lägg till en rad i: ", "Add a row to: ") + title);
  add->setObjectName(Q(id) + QStringLiteral(":add"));
  add->setEnabled(!read_only_);
  connect(add, &QPushButton::clicked, this, [this, id, index, message]() {
    auto block = session_->AddBlock(id);
    if (!block.ok()) {
      message->ShowError(
          Q(ItemMessage(*session_->instrument().items()[static_cast<std::size_t>(index)].def,
                        block.status(), Language())));
      return;
    }
    message->Clear();
    RebuildGroup(index);
    Q_EMIT changed();
  });
  v->addWidget(add, 0, Qt::AlignLeft);
  v->addWidget(message);
  *focus = add;
  box->setAccessibleName(title);
  RebuildGroup(index);
  return box;
}

void FormWidget::RebuildGroup(int group_index) {
  QVBoxLayout* layout = nullptr;
  for (auto& [index, l] : group_layouts_) {
    if (index == group_index) layout = l;
  }
  if (layout == nullptr) return;
  while (QLayoutItem* child = layout->takeAt(0)) {
    if (child->widget() != nullptr) child->widget()->deleteLater();
    delete child;
  }
  const Instrument& instrument = session_->instrument();
  const ItemInfo& group = instrument.items()[static_cast<std::size_t>(group_index)];
  const std::string group_id = group.def->id();
  const v1::AnswerValue* value = Find(session_->answers().answers(), group_id);
  const int count = value != nullptr && value->has_blocks() ? value->blocks().blocks_size() : 0;
  QWidget* first_focus = nullptr;
  for (int b = 0; b < count; ++b) {
    auto* block_box = new QGroupBox(QStringLiteral("%1 %2").arg(L("Rad", "Row")).arg(b + 1), this);
    block_box->setAccessibleName(QStringLiteral("%1 %2").arg(L("Rad", "Row")).arg(b + 1));
    block_box->setObjectName(Q(group_id) + QStringLiteral("[%1]").arg(b));
    auto* bv = new QVBoxLayout(block_box);
    for (const v1::Item& child : group.def->items()) {
      const int child_index = instrument.ItemIndex(child.id());
      const ItemInfo& info = instrument.items()[static_cast<std::size_t>(child_index)];
      const std::string child_id = child.id();
      Setter set = [this, group_id, b, child_id](const v1::AnswerValue* v) {
        if (v == nullptr) return Status::Ok();  // a block item cannot be cleared
        return session_->SetInBlock(group_id, b, child_id, *v);
      };
      auto* message = new MessageLabel(L("Meddelande för frågan", "Message for the question"));
      QWidget* focus = nullptr;
      const v1::AnswerValue* current = Find(value->blocks().blocks(b).answers(), child_id);
      QWidget* w = BuildItem(info, current, set, {}, nullptr, message, &focus, false);
      w->setObjectName(Q(group_id) + QStringLiteral("[%1].").arg(b) + Q(child_id));
      // Object names inside a block carry the block so tests and scripts can find them.
      for (QWidget* control : w->findChildren<QWidget*>()) {
        if (control->objectName().startsWith(Q(child_id))) {
          control->setObjectName(Q(group_id) + QStringLiteral("[%1].").arg(b) +
                                 control->objectName());
        }
      }
      bv->addWidget(w);
      if (first_focus == nullptr) first_focus = focus;
    }
    auto* remove = Named(new QPushButton(L("Ta bort raden", "Remove the row")),
                         QStringLiteral("%1 %2").arg(L("Ta bort rad", "Remove row")).arg(b + 1));
    remove->setObjectName(Q(group_id) + QStringLiteral("[%1]:remove").arg(b));
    remove->setEnabled(!read_only_);
    connect(remove, &QPushButton::clicked, this, [this, group_id, group_index, b]() {
      if (session_->RemoveBlock(group_id, b).ok()) {
        QTimer::singleShot(0, this, [this, group_index]() {
          RebuildGroup(group_index);
          Q_EMIT changed();
        });
      }
    });
    bv->addWidget(remove, 0, Qt::AlignLeft);
    layout->addWidget(block_box);
    if (b == count - 1 && first_focus != nullptr && !read_only_) {
      QTimer::singleShot(0, first_focus, [first_focus]() { first_focus->setFocus(); });
    }
    first_focus = nullptr;
  }
}

void FormWidget::Apply(const v1::Item& item, const Setter& set, const v1::AnswerValue* value,
                       MessageLabel* message) {
  Status st = set(value);
  if (st.ok()) {
    message->Clear();
  } else {
    message->ShowError(Q(ItemMessage(item, st, Language())));
  }
  UpdateVisibility();
  Q_EMIT changed();
}

void FormWidget::UpdateVisibility() {
  std::vector<bool> section_visible(section_boxes_.size(), false);
  for (const Row& row : rows_) {
    const bool enabled = session_->IsEnabled(row.index);
    row.container->setVisible(enabled);
    if (enabled) section_visible[static_cast<std::size_t>(row.section)] = true;
  }
  for (std::size_t s = 0; s < section_boxes_.size(); ++s) {
    section_boxes_[s]->setVisible(section_visible[s]);
  }
}

bool FormWidget::FocusNextMissing() {
  const auto missing = session_->MissingRequired();
  if (missing.empty()) return false;
  const int index = session_->instrument().ItemIndex(missing.front());
  for (const Row& row : rows_) {
    if (row.index == index && row.focus != nullptr) {
      row.focus->setFocus(Qt::ShortcutFocusReason);
      return true;
    }
  }
  return false;
}

int FormWidget::MessageCount() const {
  int n = 0;
  for (const MessageLabel* m : findChildren<MessageLabel*>()) {
    if (!m->isHidden() && m->is_error()) ++n;
  }
  return n;
}

}  // namespace screening::desktop
