// PSpice's named analog stimuli, as its stimulus editor writes them (to a .stl file the deck
// includes) and its sources use them:
//
//   .STIMULUS VSTIM PWL (0 0 1m 1 2m 0)        V1 IN 0 STIMULUS=VSTIM
//
// A source reads as if the waveform were written in place of STIMULUS=name; an error in the
// waveform is located on the .stimulus card when both are in one file.
#include <map>

#include <fmt/format.h>

#include "netlist/deck.hpp"

namespace ns {

namespace {

using Kind = Token::Kind;

// The segments of `from` that cover [begin, end) of its text, moved to start at `at`.
void copy_segments(const Card& from, std::size_t begin, std::size_t end, std::size_t at,
                   std::vector<Card::Segment>& out) {
  for (std::size_t k = 0; k < from.segments.size(); ++k) {
    const Card::Segment& s = from.segments[k];
    const std::size_t s_end = k + 1 < from.segments.size() ? from.segments[k + 1].offset : from.text.size();
    if (s_end <= begin || s.offset >= end) continue;
    const std::size_t first = std::max(s.offset, begin);
    out.push_back({at + (first - begin), s.line, s.column + static_cast<int>(first - s.offset)});
  }
}

}  // namespace

void expand_stimuli(std::deque<Card>& cards) {
  std::map<std::string, const Card*> stimuli;
  for (const Card& card : cards) {
    const Card* c = &card;
    if (c->tokens.empty() || c->keyword() != ".stimulus") continue;
    const auto& tk = c->tokens;
    if (tk.size() < 3 || tk[1].kind != Kind::Word || tk[2].kind != Kind::Word)
      throw InputError(c->where(), "'.stimulus' needs a name and a waveform (.stimulus NAME PWL (...))");
    if (tk[2].text == "stim")
      throw InputError(c->at(tk[2]), fmt::format("'.stimulus {}' is a PSpice digital stimulus (STIM): not supported; "
                                                 "drive the digital input from an analog source and a bridge", tk[1].text));
    const auto [it, added] = stimuli.emplace(tk[1].text, c);
    if (!added)
      throw InputError(c->at(tk[1]), fmt::format("stimulus '{}' is already defined at {}", tk[1].text,
                                                 it->second->at(it->second->tokens[1]).str()));
  }
  for (Card& card : cards) {
    Card* c = &card;
    if (c->tokens.empty()) continue;
    const char letter = c->keyword()[0];
    if (letter != 'v' && letter != 'i') continue;
    const auto& tk = c->tokens;
    for (std::size_t k = 1; k + 2 < tk.size(); ++k) {
      if (tk[k].kind != Kind::Word || tk[k].text != "stimulus" || tk[k + 1].kind != Kind::Equals) continue;
      const Token& name = tk[k + 2];
      const auto it = stimuli.find(name.text);
      if (it == stimuli.end())
        throw InputError(c->at(name), fmt::format("no '.stimulus {}' in the deck", name.text));
      const Card& stim = *it->second;
      const std::size_t body = stim.tokens[2].offset;
      const std::size_t cut = tk[k].offset, tail = name.offset + name.text.size();
      Card out;
      out.file = c->file;
      out.text = c->text.substr(0, cut);
      for (const Card::Segment& s : c->segments)
        if (s.offset < cut) out.segments.push_back(s);
      const std::size_t at = out.text.size();
      out.text += stim.text.substr(body);
      if (stim.file == c->file || (stim.file && c->file && *stim.file == *c->file))
        copy_segments(stim, body, stim.text.size(), at, out.segments);
      else
        copy_segments(*c, cut, tail, at, out.segments);  // elsewhere: at STIMULUS=name
      out.text += ' ';
      copy_segments(*c, tail, c->text.size(), out.text.size(), out.segments);
      out.text += c->text.substr(tail);
      tokenize(out);
      *c = std::move(out);
      break;
    }
  }
}

}  // namespace ns
