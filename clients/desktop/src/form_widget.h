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

  QWidget* BuildItem(const ItemInfo& info, const v1::AnswerValue* current, const Setter& set,
                     const std::function<Status(const std::string&)>& set_note,
                     const std::string* note, MessageLabel* message, QWidget** focus,
                     bool can_clear);
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
