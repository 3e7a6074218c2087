// A form generated from any instrument definition, bound to a Session.
//
// Sections in order with their intro; items in order with required marks, help, a control
// fitting the item type (`unknown` offered where the definition allows it), a note field
// where the item takes one, and the session's validation message next to the item. Which
// items show is asked of the Session after every change (conditional items appear and
// disappear); repeat groups get "add" and "remove" per block. The widget holds no rules:
// every change is a Session call, and what the session refuses is shown, not second-guessed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <QWidget>

#include <screening/session.h>

class QLabel;
class QVBoxLayout;

namespace screening::desktop {

class MessageLabel;

class FormWidget : public QWidget {
  Q_OBJECT
 public:
  // `session` must outlive the widget. Read-only forms show the answers with every control
  // disabled.
  FormWidget(Session* session, bool read_only, QWidget* parent = nullptr);

  // The first enabled required item without an answer gets the keyboard focus; false when
  // there is none.
  bool FocusNextMissing();
  // The number of validation messages shown now.
  int MessageCount() const;

 Q_SIGNALS:
  // An answer, note or block changed in the session.
  void changed();

 private:
  // One top-level item's row.
  struct Row {
    int index = -1;  // into Instrument::items()
    int section = -1;
    QWidget* container = nullptr;
    QWidget* focus = nullptr;
    MessageLabel* message = nullptr;
  };
  // How a control writes: nullptr clears the answer.
  using Setter = std::function<Status(const v1::AnswerValue*)>;

  // What the control of one item is built from.
  struct ItemControl {
    const ItemInfo& info;
    const v1::AnswerValue* current;  // the answer now, or nullptr
    QString question;                // the item's text
    QString name;                    // the accessible name: the question, marked if required
    QString object;                  // the object name (the item id), prefix of its parts'
    std::function<void(const v1::AnswerValue*)> apply;  // writes and shows the outcome
    MessageLabel* message;
    QWidget** focus;  // set to the first control that takes the keyboard focus
    bool can_clear;   // an emptied control clears the answer
  };

  // One item: its question and help, the control for its answer, a note where it takes one,
  // and its message.
  QWidget* BuildItem(const ItemInfo& info, const v1::AnswerValue* current, const Setter& set,
                     const std::function<Status(const std::string&)>& set_note,
                     const std::string* note, MessageLabel* message, QWidget** focus,
                     bool can_clear);
  void AddQuestion(QVBoxLayout* layout, const v1::Item& item, const QString& question);
  // The control fitting the item's type; nullptr for a type without one.
  QWidget* BuildAnswer(const ItemControl& control);
  // An SPJ factor with a current and a history code, set once both are chosen.
  QWidget* BuildCurrentAndHistory(const ItemControl& control);
  // Radio buttons for one code (yes/no, single choice, protective, SPJ factor), with "clear".
  QWidget* BuildChoice(const ItemControl& control);
  QWidget* BuildMultiChoice(const ItemControl& control);
  QWidget* BuildNumberOrDate(const ItemControl& control);
  QWidget* BuildText(const ItemControl& control);
  // The note field; nullptr when the item takes no note.
  QWidget* BuildNote(const ItemControl& control,
                     const std::function<Status(const std::string&)>& set_note,
                     const std::string* note);
  QWidget* BuildGroup(const ItemInfo& info, MessageLabel* message, QWidget** focus);
  void RebuildGroup(int group_index);
  // Applies a change and shows the outcome next to the item.
  void Apply(const v1::Item& item, const Setter& set, const v1::AnswerValue* value,
             MessageLabel* message);
  void UpdateVisibility();

  Session* session_;
  bool read_only_;
  std::vector<Row> rows_;
  std::vector<QWidget*> section_boxes_;
  // Group item index -> the layout holding its blocks.
  std::vector<std::pair<int, QVBoxLayout*>> group_layouts_;
};

}  // namespace screening::desktop
