#include "fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <screening/vocabulary.h>

namespace screening::fuzz {
namespace {

namespace fs = std::filesystem;

// The vocabulary tests/data/instruments/every_type.textproto is written against (the same
// two lists as tests/unit/test_support.h).
constexpr std::string_view kTestVocabulary = R"pb(
  languages: [ "sv" ]
  lists {
    id: "kinds"
    title { lang: "sv" value: "Sorter" }
    terms {
      id: "physical"
      label { lang: "sv" value: "Fysiskt" }
    }
    terms {
      id: "economic"
      label { lang: "sv" value: "Ekonomiskt" }
    }
    terms {
      id: "other"
      needs_note: true
      label { lang: "sv" value: "Annat" }
    }
  }
  lists {
    id: "places"
    title { lang: "sv" value: "Platser" }
    terms {
      id: "home"
      label { lang: "sv" value: "Hemma" }
    }
    terms {
      id: "work"
      label { lang: "sv" value: "Arbetet" }
    }
  }
)pb";

std::shared_ptr<const Instrument> MustLoad(const fs::path& path,
                                           std::shared_ptr<const Vocabulary> vocabulary) {
  Diagnostics diagnostics;
  auto loaded = LoadInstrumentFile(path, std::move(vocabulary), &diagnostics);
  if (!loaded.ok()) {
    for (const auto& d : diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
    Fail("a fixture instrument does not load");
  }
  return *loaded;
}

}  // namespace

void Fail(std::string_view what) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

Session SampleSession(const std::shared_ptr<const Instrument>& instrument, int round) {
  Session session(instrument);
  if (round == 0) return session;
  auto value = [round](const ItemInfo& info, v1::AnswerValue* v) {
    const v1::Item& item = *info.def;
    if (!info.codes.empty()) {
      if (item.type() == v1::MULTI_CHOICE) {
        v->mutable_codes()->add_codes(info.codes.front());
        if (round == 2) v->mutable_codes()->add_codes(info.codes.back());
      } else if (item.type() == v1::SPJ_FACTOR && item.current_and_history()) {
        v->mutable_spj()->set_current(round == 1 ? info.codes.front() : info.codes.back());
        v->mutable_spj()->set_history(info.codes.front());
      } else {
        v->set_code(round == 1 ? info.codes.front() : info.codes.back());
      }
      return true;
    }
    switch (item.type()) {
      case v1::INTEGER:
        v->set_integer(round == 1 ? item.min() : item.max());
        return true;
      case v1::PROTECTIVE:
        v->set_integer(round == 1 ? 0 : 2);
        return true;
      case v1::DATE:
        v->set_date("2024-02-29");
        return true;
      case v1::TEXT:
        v->set_text("text");
        return true;
      default:
        return false;
    }
  };
  const auto& items = instrument->items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ItemInfo& info = items[i];
    if (info.group >= 0) continue;
    if (info.def->type() == v1::GROUP) {
      for (int b = 0; b < round; ++b) {
        auto block = session.AddBlock(info.def->id());
        if (!block.ok() || round < 2) continue;
        for (std::size_t j = i + 1; j < items.size() && items[j].group == static_cast<int>(i);
             ++j) {
          v1::AnswerValue v;
          if (value(items[j], &v)) {
            (void)session.SetInBlock(info.def->id(), *block, items[j].def->id(), v);
          }
        }
      }
      continue;
    }
    v1::AnswerValue v;
    if (value(info, &v)) (void)session.Set(info.def->id(), v);
  }
  return session;
}

const Registry& Instruments() {
  static const std::shared_ptr<const Registry> registry = [] {
    Diagnostics diagnostics;
    auto r = Registry::LoadDirectory(SCREENING_FUZZ_INSTRUMENTS_DIR, &diagnostics);
    if (!r.ok()) {
      for (const auto& d : diagnostics) std::fprintf(stderr, "%s\n", d.ToString().c_str());
      Fail("the instruments folder does not load");
    }
    return *r;
  }();
  return *registry;
}

std::shared_ptr<const Instrument> EveryType() {
  static const std::shared_ptr<const Instrument> instrument = [] {
    Diagnostics diagnostics;
    auto vocabulary = Vocabulary::LoadText(kTestVocabulary, "test_vocabulary", &diagnostics);
    if (!vocabulary.ok()) Fail("the synthetic vocabulary does not load");
    return MustLoad(fs::path(SCREENING_FUZZ_TEST_DATA_DIR) / "instruments" / "every_type.textproto",
                    *vocabulary);
  }();
  return instrument;
}

std::shared_ptr<const Instrument> CliDemo() {
  static const std::shared_ptr<const Instrument> instrument =
      MustLoad(fs::path(SCREENING_FUZZ_TEST_DATA_DIR) / "cli" / "cli_demo.textproto",
               Instruments().vocabulary());
  return instrument;
}

const std::vector<std::shared_ptr<const Instrument>>& AllInstruments() {
  static const std::vector<std::shared_ptr<const Instrument>> all = [] {
    std::vector<std::shared_ptr<const Instrument>> v = Instruments().all();
    v.push_back(EveryType());
    v.push_back(CliDemo());
    return v;
  }();
  return all;
}

}  // namespace screening::fuzz
